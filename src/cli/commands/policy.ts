import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { InputError, errorMessage } from '../../errors.js';
import { builtinPolicyIds, loadPolicy, parsePolicy } from '../../policy/load-policy.js';
import type { Policy } from '../../policy/policy.js';
import { runCommand } from '../common.js';

function describe(policy: Policy): string {
  const lines = [`${policy.name} (${policy.id}${policy.version ? `, ${policy.version}` : ''})`];
  if (policy.source) lines.push(`Source: ${policy.source.title}${policy.source.url ? ` <${policy.source.url}>` : ''}`);
  if (policy.description) lines.push('', policy.description);
  lines.push('', 'Rules:');
  for (const rule of policy.rules) {
    lines.push(`  ${rule.severity.toUpperCase().padEnd(4)} ${rule.id}: ${rule.title ?? rule.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export function policyCommand(): Command {
  const cmd = new Command('policy').description('the built-in policies; validate a custom one');

  cmd
    .command('list')
    .description('list the built-in policies')
    .action(() =>
      runCommand(async () => {
        for (const id of builtinPolicyIds()) {
          const p = loadPolicy(id);
          process.stdout.write(`${id.padEnd(22)} ${p.name}${p.version ? ` (${p.version})` : ''}\n`);
        }
        return 0;
      }),
    );

  cmd
    .command('show')
    .description('show a policy: its source and rules')
    .argument('<id|file>', 'built-in policy id or policy file')
    .option('--json', 'print the policy document as JSON')
    .action((id: string, opts: { json?: boolean }) =>
      runCommand(async () => {
        const policy = loadPolicy(id);
        process.stdout.write(opts.json ? `${JSON.stringify(policy, null, 2)}\n` : describe(policy));
        return 0;
      }),
    );

  cmd
    .command('check')
    .description('validate a custom policy file against schemas/policy.schema.json and the cipher registry')
    .argument('<file>', 'policy file (JSON)')
    .action((file: string) =>
      runCommand(async () => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          throw new InputError(`Cannot read policy file ${file}: ${errorMessage(error)}.`, error);
        }
        const policy = parsePolicy(text, file);
        process.stdout.write(`${file}: valid policy '${policy.id}' with ${policy.rules.length} rules.\n`);
        return 0;
      }),
    );

  return cmd;
}
