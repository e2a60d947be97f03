import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandTree, type CommandInfo } from '../../src/cli/command-tree.js';
import { buildProgram } from '../../src/cli/main.js';
import { nmapStyleArguments } from '../../src/cli/target-input.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const tree = commandTree(buildProgram());
const all = (c: CommandInfo): CommandInfo[] => [c, ...c.commands.flatMap(all)];
const have = (tool: string) => spawnSync(tool, ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-help-'));

/** Splits an example line into argv the way a shell would for these simple lines (no quotes in them). */
function argv(example: string): string[] | undefined {
  const command = example.replace(/\s+#.*$/, '').split(/\s*(?:\||&&|>|<|\$\()\s*/).find((part) => part.startsWith('tlsaudit '));
  return command === undefined ? undefined : words(command).slice(1);
}

/** Shell words: blanks separate, single or double quotes group. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The program with every action replaced by a no-op, so an example's command line is parsed and nothing runs. */
function dryProgram(): Command {
  const program = buildProgram();
  const stub = (cmd: Command): void => {
    cmd.action(() => {});
    cmd.commands.forEach(stub);
  };
  program.commands.forEach(stub);
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  return program;
}

describe('--help', () => {
  it('every command ends its help with examples', () => {
    for (const c of all(tree)) expect(c.examples.length, c.path.join(' ')).toBeGreaterThan(0);
  });

  it('every example is a command line tlsaudit accepts', async () => {
    const examples = all(tree).flatMap((c) => c.examples).map(argv).filter((a): a is string[] => a !== undefined);
    expect(examples.length).toBeGreaterThan(20);
    for (const args of examples) {
      const program = dryProgram();
      program.commands.forEach(function quiet(c: Command): void {
        c.configureOutput({ writeOut: () => {}, writeErr: () => {} });
        c.commands.forEach(quiet);
      });
      // -iL is rewritten before commander sees it, as main() does.
      await expect(program.parseAsync(nmapStyleArguments(['node', 'tlsaudit', ...args])), args.join(' ')).resolves.toBeDefined();
    }
  });

  it('examples that name bundled files run for real', async () => {
    const bundled = all(tree)
      .flatMap((c) => c.examples)
      .filter((e) => /^tlsaudit /.test(e) && !/[|&>]/.test(e) && /fixtures\//.test(e));
    expect(bundled.length).toBeGreaterThan(0);
    for (const example of bundled) {
      const run = await runCli(example.split(/\s+/).slice(1));
      expect(run.stderr, example).toBe('');
      expect([0, 1], example).toContain(run.code);
    }
  });

  it('shows each default once, including --concurrency', async () => {
    const explain = await runCli(['explain', '--help']);
    expect(explain.stdout.replace(/\s+/g, ' ')).toContain("(default: the report's policies)");
    expect(explain.stdout).not.toContain('(default: [])');
    // A default is either commander's (printed by --help) or written into the description, never both.
    for (const c of all(tree))
      for (const o of c.options) expect(o.default !== undefined && /\(default:/.test(o.description), `${c.path.join(' ')} ${o.flags}`).toBe(false);
    const probe = (await runCli(['probe', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(probe).toMatch(/--concurrency <n> how many targets at once \(default: \d+\)/);
  });

  it('prefixes every error line the same way, commander\'s usage errors included', async () => {
    for (const args of [['nmap', '--bogus'], ['policy', 'show'], ['nmap', '--format', 'xx'], ['nmap', 'no-such-file.xml']]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0], args.join(' ')).toMatch(/^tlsaudit: /);
      expect(run.stderr).not.toMatch(/^error:/m);
    }
  });
});

describe('policy list and show', () => {
  it('take --format json like every other command, with --json kept as an alias', async () => {
    const list = await runCli(['policy', 'list', '--format', 'json']);
    expect(JSON.parse(list.stdout).map((p: { id: string }) => p.id)).toContain('dataverse');
    expect((await runCli(['policy', 'list', '--json'])).stdout).toBe(list.stdout);
    const show = await runCli(['policy', 'show', 'dataverse', '--format', 'json']);
    expect(JSON.parse(show.stdout).id).toBe('dataverse');
    expect((await runCli(['policy', 'show', 'dataverse', '--json'])).stdout).toBe(show.stdout);
  });

  it('counts in words a person reads: 1 rule, 2 rules', async () => {
    const file = join(dir, 'one-rule.json');
    const policy = JSON.parse(readFileSync(`${ROOT}fixtures/policies/example-internal.json`, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...policy, id: 'one-rule', rules: policy.rules.slice(0, 1) }));
    const run = await runCli(['policy', 'check', file]);
    expect(run.stdout).toMatch(/with 1 rule \(/);
  });
});

describe('the man page', () => {
  const page = `${ROOT}man/tlsaudit.1`;

  it('is built with the package, named in package.json, and lists every command and option', () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'));
    expect(pkg.man).toEqual(['./man/tlsaudit.1']);
    expect(pkg.files).toContain('man');
    expect(existsSync(page)).toBe(true);
    const text = readFileSync(page, 'utf8');
    for (const c of all(tree).slice(1)) expect(text).toContain(`.SS ${c.path.slice(1).join(' ')}`);
    for (const c of all(tree)) for (const o of c.options) expect(text).toContain(`.B ${o.flags.replace(/-/g, '\\-')}`);
  });

  it.skipIf(!have('groff'))('is valid roff: groff reports no warning', () => {
    const run = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', page], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const text = spawnSync('groff', ['-man', '-Tutf8', '-P-c', page], { encoding: 'utf8' }).stdout.replace(/.\x08/g, '');
    expect(text).toContain('tlsaudit policy show mozilla-intermediate');
    expect(text).toMatch(/EXIT STATUS/);
  });
});

describe('shell completion', () => {
  it.skipIf(!have('bash'))('bash completes commands, options, option values and argument choices', async () => {
    const script = join(dir, 'tlsaudit.bash');
    const run = await runCli(['completion', 'bash']);
    expect(run.code).toBe(0);
    writeFileSync(script, run.stdout);
    const complete = (...words: string[]) => {
      const line = words.map((w) => `'${w}'`).join(' ');
      const r = spawnSync('bash', ['-c', `source '${script}'; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _tlsaudit; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout.trim().split('\n').filter(Boolean);
    };
    expect(complete('tlsaudit', 'pr')).toEqual(['probe']);
    expect(complete('tlsaudit', 'policy', 's')).toEqual(['show']);
    expect(complete('tlsaudit', 'nmap', '--for')).toEqual(['--format']);
    expect(complete('tlsaudit', 'nmap', '--format', '')).toEqual(['table', 'json', 'markdown', 'html', 'csv', 'junit', 'sarif', 'pdf']);
    expect(complete('tlsaudit', 'completion', '')).toEqual(expect.arrayContaining(['bash', 'zsh']));
  });

  it.skipIf(!have('zsh'))('zsh loads the script and binds it to tlsaudit', async () => {
    const script = join(dir, '_tlsaudit');
    writeFileSync(script, (await runCli(['completion', 'zsh'])).stdout);
    expect(spawnSync('zsh', ['-n', script]).status).toBe(0);
    const r = spawnSync('zsh', ['-fc', `autoload -U compinit && compinit -u -d ${dir}/zcompdump; source ${script}; print -r -- $_comps[tlsaudit]; whence -w _tlsaudit_policy_show _tlsaudit_nmap`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('_tlsaudit\n_tlsaudit_policy_show: function\n_tlsaudit_nmap: function\n');
  });

  it('an unknown shell is a usage error', async () => {
    const run = await runCli(['completion', 'fish']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tlsaudit: .*fish.*bash, zsh/);
  });
});
