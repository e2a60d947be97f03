import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { InputError, errorMessage } from '../../errors.js';
import { describePolicy } from '../../policy/describe-policy.js';
import { DEFAULT_POLICY_ID, builtinPolicyIds, loadPolicy, parsePolicy } from '../../policy/load-policy.js';
import type { Policy } from '../../policy/policy.js';
import { escapeDocument } from '../../render/escape.js';
import { runCommand } from '../common.js';
import { writeOutput } from '../output.js';

function summary(policy: Policy): string {
  const by = (s: string) => policy.rules.filter((r) => r.severity === s).length;
  return `${policy.rules.length} rules (${by('fail')} fail, ${by('warn')} warn, ${by('info')} info)`;
}

export function policyCommand(): Command {
  const cmd = new Command('policy')
    .description('the built-in policies; validate a custom one')
    .addHelpText(
      'after',
      `
Examples:
  tlsaudit policy list
  tlsaudit policy show dataverse
  tlsaudit policy check acme.json && tlsaudit nmap scan.xml --policy acme.json`,
    );

  cmd
    .command('list')
    .description('list the built-in policies')
    .option('--json', 'print the list as JSON')
    .action((opts: { json?: boolean }) =>
      runCommand(async () => {
        const policies = builtinPolicyIds().map((id) => loadPolicy(id));
        if (opts.json) {
          const list = policies.map((p) => ({ id: p.id, name: p.name, version: p.version, source: p.source, default: p.id === DEFAULT_POLICY_ID }));
          await writeOutput(undefined, `${JSON.stringify(list, null, 2)}\n`);
          return 0;
        }
        const width = Math.max(...policies.map((p) => p.id.length)) + 2;
        const lines = policies.map((p) => {
          const version = p.version ? ` (${p.version})` : '';
          return `${p.id.padEnd(width)}${p.name}${version}${p.id === DEFAULT_POLICY_ID ? ' [default]' : ''}\n`;
        });
        await writeOutput(undefined, escapeDocument(lines.join('')));
        return 0;
      }),
    );

  cmd
    .command('show')
    .description('show a policy: its source, and what each rule checks with the suites it names')
    .argument('<id|file>', 'built-in policy id or policy file')
    .option('--json', 'print the policy document as JSON')
    .addHelpText('after', '\nExamples:\n  tlsaudit policy show mozilla-intermediate\n  tlsaudit policy show nist-800-52r2 --json')
    .action((id: string, opts: { json?: boolean }) =>
      runCommand(async () => {
        const policy = loadPolicy(id);
        // A custom policy's names and messages are someone else's text: shown, never obeyed by the terminal.
        await writeOutput(undefined, opts.json ? `${JSON.stringify(policy, null, 2)}\n` : escapeDocument(describePolicy(policy)));
        return 0;
      }),
    );

  cmd
    .command('check')
    .description('validate a custom policy file against schemas/policy.schema.json and the cipher registry')
    .argument('<file>', 'policy file (JSON)')
    .addHelpText(
      'after',
      `
An invalid policy is reported in one line naming the file and the JSON path of the first problem,
e.g. "Policy my.json is invalid at /rules/2/suites/names/0: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA265' is
not a cipher suite in the IANA registry (did you mean TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256?)." Exit 2.`,
    )
    .action((file: string) =>
      runCommand(async () => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          throw new InputError(`Cannot read policy file ${file}: ${errorMessage(error)}.`, error);
        }
        const policy = parsePolicy(text, file);
        await writeOutput(undefined, escapeDocument(`${file}: valid policy '${policy.id}' (schemaVersion ${policy.schemaVersion}) with ${summary(policy)}.\n`));
        return 0;
      }),
    );

  return cmd;
}
