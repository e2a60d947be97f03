import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SslLabsHost } from '../../../src/adapters/ssllabs/index.js';
import { progressLine } from '../../../src/cli/commands/ssllabs.js';
import { describeSchemaError, schemaValidator } from '../../../src/schema/json-validator.js';
import { fakeSslLabsPerTest } from '../../helpers/fake-ssllabs-per-test.js';
import { runInTerminal, terminalScreen } from '../../helpers/terminal-screen.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('./ssllabs-cli-entry.ts', import.meta.url));
const FIXTURES = `${ROOT}fixtures/ssllabs/`;
const recorded = (file: string): SslLabsHost => (JSON.parse(readFileSync(FIXTURES + file, 'utf8')) as SslLabsHost[])[0]!;
const OK = recorded('defectdojo-ok-mevitae-v3.json');
const DH = recorded('defectdojo-dh1024-badssl-v3.json');
const EMAIL = 'auditor@example.org';
const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-ssllabs-'));
/** util-linux `script` gives the command a pseudo-terminal, to see what a user at a terminal sees. */
const hasScript = spawnSync('script', ['--version']).status === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(
  args: string[],
  options: {
    stdin?: string;
    env?: Record<string, string>;
    onSpawn?: (kill: (signal: NodeJS.Signals) => void) => void;
    onStdout?: (soFar: string) => void;
  } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...options.env };
    if (!options.env || !('SSLLABS_EMAIL' in options.env)) delete env.SSLLABS_EMAIL;
    delete env.SSLLABS_API_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'ssllabs', ...args], { cwd: ROOT, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      options.onStdout?.(stdout);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
    options.onSpawn?.((signal) => child.kill(signal));
  });
}

const serve = fakeSslLabsPerTest(EMAIL);

describe('tlsaudit ssllabs', () => {
  it('imports saved ssllabs-scan output and scores it (exit 1: two fail)', async () => {
    const r = await cli(['--input', `${FIXTURES}defectdojo-3des-badssl-v3.json`, `${FIXTURES}defectdojo-ok-mevitae-v3.json`, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.targets.map((t: any) => [t.host, t.verdict.status])).toEqual([
      ['3des.badssl.com', 'fail'],
      ['defectdojo.mevitae.com', 'pass'],
    ]);
  });

  it("reads one Host object from stdin with '-'", async () => {
    const r = await cli(['--input', '-', '--format', 'json'], { stdin: JSON.stringify(OK) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).targets[0].sources).toEqual(['ssllabs']);
  });

  it('names an unreadable input in one line, exit 2', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"host": "x", ');
    const r = await cli(['--input', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${bad} is not JSON`);
    const none = await cli([]);
    expect(none.code).toBe(2);
  });

  it('refuses API v4 without an email before any request (exit 2)', async () => {
    const fake = await serve({ hosts: { 'a.test': { report: OK } } });
    const r = await cli(['--api-url', fake.url, 'a.test']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--email ADDRESS or set SSLLABS_EMAIL/);
    expect(fake.requests).toHaveLength(0);
  });

  it('assesses hosts through the API (email from SSLLABS_EMAIL); an unknown host makes exit 3', async () => {
    const fake = await serve({ messages: ['Scheduled maintenance on Sunday'], hosts: { 'a.test': { report: OK }, 'nx.test': { error: 'Unable to resolve domain name' } } });
    const r = await cli(['--api-url', fake.url, '--poll-interval', '5', '--format', 'json', 'a.test', 'nx.test'], {
      env: { SSLLABS_EMAIL: EMAIL },
    });
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    const status = Object.fromEntries(report.targets.map((t: any) => [t.host, t.verdict.status]));
    expect(status).toEqual({ 'a.test': 'pass', 'nx.test': 'error' });
    const validate = schemaValidator('report');
    expect(validate(report), describeSchemaError(validate.errors)).toBe(true);
    expect(r.stderr).toContain('SSL Labs: Scheduled maintenance on Sunday');
    // Not a terminal: no progress lines.
    expect(r.stderr).not.toContain('IN_PROGRESS');
    expect(fake.tooMany).toBe(0);
    expect(fake.requests.every((q) => q.email === EMAIL)).toBe(true);
  });

  it.skipIf(!hasScript)('on a terminal: a line per host in flight, a total line, notices kept above, a summary for -o', async () => {
    const fake = await serve({ messages: ['This is a test server'], hosts: { 'a.test': { report: OK, inProgressPolls: 3 }, 'b.test': { report: DH } } });
    const out = join(dir, 'tty.json');
    const r = await runInTerminal(
      [process.execPath, '--import', 'tsx', ENTRY, 'ssllabs', '--api-url', fake.url, '--email', EMAIL, '--poll-interval', '5', '-o', out, 'a.test', 'b.test'],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, cols: 100, rows: 20 },
    );
    expect(r.code).toBe(1);
    // While it ran: the host's line, with state, percentage and ETA, and the total line counting.
    expect(r.output).toMatch(/a\.test {2}IN_PROGRESS {2}\d+% {2}ETA \d+s/);
    expect(r.output).toMatch(/[01]\/2 done {2}\d pass/);
    expect(r.output).not.toMatch(/READY\s+100%\s+READY/);
    // What stays on screen: the notice, the final total line and the summary line; no host's line is left behind.
    const screen = await terminalScreen(r.output, 100, 20);
    expect(screen).toHaveLength(3);
    expect(screen[0]).toBe('tlsaudit: SSL Labs: This is a test server');
    expect(screen[1]).toMatch(/^2\/2 done {2}1 pass {2}0 warn {2}1 fail {2}0 error( {2}[\d.]+\/s)?$/);
    expect(screen[2]).toBe(`2 targets: 1 pass, 0 warn, 1 fail, 0 error -> ${out}`);
    // -o .json: the format came from the extension.
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.targets).toHaveLength(2);
  });

  it('-v shows each state SSL Labs reported for a host; -q shows none of it', async () => {
    const fake = await serve({ messages: ['Scheduled maintenance on Sunday'], hosts: { 'a.test': { report: OK, inProgressPolls: 1 } } });
    const args = ['--api-url', fake.url, '--email', EMAIL, '--poll-interval', '5', '--format', 'json', 'a.test'];
    const loud = await cli(['-v', ...args]);
    expect(loud.code).toBe(0);
    expect(loud.stderr).toMatch(/^tlsaudit: a\.test {2}IN_PROGRESS/m);
    expect(loud.stderr).toMatch(/^tlsaudit: a\.test {2}READY {2}100%$/m);
    const quiet = await cli(['-q', ...args]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('writes what the server says to stderr as text: no control characters reach the terminal', async () => {
    const fake = await serve({ messages: ['Maintenance \u001b]0;owned\u0007 on \u001b[2JSunday'], hosts: { 'a.test': { report: OK } } });
    const r = await cli(['--api-url', fake.url, '--email', EMAIL, '--poll-interval', '5', '--format', 'json', 'a.test']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Maintenance');
    expect(r.stderr).toContain('Sunday');
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('keeps each progress line one line of text, whatever SSL Labs put in its status message', () => {
    const line = progressLine({ host: 'a.test', state: 'IN_PROGRESS', progress: 40, message: 'Testing\n\u001b[2J\u001b[1Fcipher suites' });
    expect(line).toContain('Testing');
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('says "register this email first" for an unknown email (exit 2)', async () => {
    const fake = await serve({ registered: [], hosts: { 'a.test': { report: OK } } });
    const r = await cli(['--api-url', fake.url, '--email', 'new@example.org', 'a.test']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/register this email first/);
  });

  it('registers an email, which then works; a refused registration is exit 2', async () => {
    const fake = await serve({ registered: [], hosts: { 'a.test': { report: DH, cachedAgeHours: 1 } } });
    const person = ['--first-name', 'Ada', '--last-name', 'Lovelace', '--organization', 'Example Ltd', '--api-url', fake.url];
    const ok = await cli(['register', ...person, '--email', 'ada@example.org']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/registered successfully/);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', command: 'register' });
    expect(fake.requests[0]!.body).toEqual({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.org', organization: 'Example Ltd' });
    const refused = await cli(['register', ...person, '--email', 'ada@gmail.com']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused the registration of ada@gmail.com: email: Only organization/);
    const run = await cli(['--api-url', fake.url, '--email', 'ada@example.org', '--from-cache', '--format', 'json', 'a.test']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).targets[0].verdict.status).toBe('fail');
  });

  it('writes the report of what finished on Ctrl-C (exit 3, notice naming the rest)', async () => {
    const fake = await serve({ hosts: { 'quick.test': { report: OK }, 'endless.test': { report: DH, inProgressPolls: 1_000_000 } } });
    let kill: (signal: NodeJS.Signals) => void = () => {};
    let interrupted = false;
    // The JSON report streams target by target: interrupt once the quick host's target is out.
    const r = await cli(['--api-url', fake.url, '--email', EMAIL, '--poll-interval', '5', '--format', 'json', 'quick.test', 'endless.test'], {
      onSpawn: (k) => (kill = k),
      onStdout: (soFar) => {
        if (!interrupted && soFar.includes('"quick.test"')) {
          interrupted = true;
          kill('SIGINT');
        }
      },
    });
    expect(interrupted).toBe(true);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.targets.map((t: any) => t.host)).toEqual(['quick.test']);
    expect(report.notices.join(' ')).toMatch(/Interrupted: 1 host\(s\) not assessed: endless\.test/);
  });
});
