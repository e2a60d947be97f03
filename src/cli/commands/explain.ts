import { Command, Option } from 'commander';
import { PolicyError, UsageError } from '../../errors.js';
import type { Report } from '../../model/report.js';
import type { Target } from '../../model/target.js';
import { compilePolicy, type CompiledPolicy } from '../../policy/compile-policy.js';
import { builtinPolicyIds, loadPolicy } from '../../policy/load-policy.js';
import { readReport } from '../../report/read-report.js';
import { SERVER_KINDS, type ServerKind } from '../../remediation/advice.js';
import { explainTarget } from '../../remediation/explain-target.js';
import { endpointLabel } from '../../report/target-identity.js';
import { escapeDocument } from '../../render/escape.js';
import { runCommand, someOf } from '../common.js';
import { writeOutput } from '../output.js';

interface ExplainCliOptions {
  server: ServerKind | 'all';
  policy: string[];
  output?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The report's own policies, unless --policy names others; a custom policy must be given again. */
function policiesFor(report: Report, asked: readonly string[]): CompiledPolicy[] {
  if (asked.length > 0) return asked.map((p) => compilePolicy(loadPolicy(p)));
  const refs = report.policies ?? [report.policy];
  const builtins = builtinPolicyIds();
  return refs.map((ref) => {
    if (!builtins.includes(ref.id)) {
      throw new PolicyError(`The report was scored against policy '${ref.id}', which is not built in; give its file with --policy FILE.`);
    }
    return compilePolicy(loadPolicy(ref.id));
  });
}

/** HOST:PORT, [IPv6]:PORT, or HOST alone (every port); matched against the name and the address. */
function matches(t: Target, selector: string): boolean {
  const m = /^\[(.+)\](?::(\d+))?$/.exec(selector) ?? /^([^:]+)(?::(\d+))?$/.exec(selector) ?? [selector, selector];
  const host = (m[1] ?? selector).toLowerCase();
  const port = m[2] === undefined ? undefined : Number(m[2]);
  const names = [t.host.toLowerCase(), t.address?.toLowerCase()];
  return names.includes(host) && (port === undefined || port === t.port);
}

export function explainCommand(): Command {
  return new Command('explain')
    .description('what to change on the server to comply: per finding, for Windows/Schannel, nginx, Apache and Postfix')
    .argument('<report>', "a tlsaudit JSON report ('-' for stdin)")
    .argument('[target]', 'HOST:PORT (or HOST, or [IPv6]:PORT) to explain; default every target')
    .addOption(new Option('--server <kind>', 'advice for this server software only').choices([...SERVER_KINDS, 'all']).default('all'))
    .option('--policy <id|file>', "policy to explain against, repeatable (default: the report's policies)", collect, [])
    .option('-o, --output <file>', 'write the explanation to FILE instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  tlsaudit nmap scan.xml --format json -o report.json
  tlsaudit explain report.json mail.example.org:25 --server postfix
  tlsaudit explain report.json --policy mozilla-intermediate --server nginx

Advice is generated from each target's own findings: it turns off exactly the protocols and suites
the policy forbids that the target offers, and names the approved suites to enable when none is offered.
Exit status: 0 when the explanation was written (whatever the findings), 2 for an unreadable report,
an unknown target or a policy that cannot be loaded.`,
    )
    .action((file: string, selector: string | undefined, opts: ExplainCliOptions) =>
      runCommand(async () => {
        const report = readReport(file);
        const policies = policiesFor(report, opts.policy);
        const servers = opts.server === 'all' ? SERVER_KINDS : [opts.server];
        const targets = selector === undefined ? report.targets : report.targets.filter((t) => matches(t, selector));
        if (selector !== undefined && targets.length === 0) {
          throw new UsageError(`No target ${selector} in ${file}; it has ${someOf(report.targets.map(endpointLabel), 'target')}.`);
        }
        const text = targets.length === 0 ? 'The report has no targets.\n' : targets.map((t) => explainTarget(t, policies, servers)).join('\n');
        // Host names, certificate fields and policy texts come from others: shown, never obeyed by a terminal.
        await writeOutput(opts.output, escapeDocument(text));
        return 0;
      }),
    );
}
