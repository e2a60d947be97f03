import { Command } from 'commander';
import { DEFAULT_POLICY_ID, loadPolicy } from '../../policy/load-policy.js';
import { exitCodeFor } from '../../report/build-report.js';
import { mergeReports } from '../../report/merge-reports.js';
import { readReport } from '../../report/read-report.js';
import { rendererFor } from '../../render/renderers.js';
import { addReportOptions, runCommand, warn, type ReportCliOptions } from '../common.js';
import { openOutput } from '../output.js';

export function mergeCommand(): Command {
  const cmd = new Command('merge')
    .description('merge tlsaudit JSON reports into one audit report, judged again under the chosen policy')
    .argument('<report...>', "JSON reports written with --format json ('-' for stdin)");
  addReportOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Targets are joined on address and port (name and port when there is no address); what each source saw
is kept per protocol and suite, and where sources disagree the report says so.

Example:
  tlsaudit merge internal-nmap.json public-ssllabs.json --format html -o audit.html`,
  );
  return cmd.action((files: string[], opts: ReportCliOptions) =>
    runCommand(async () => {
      const renderer = rendererFor(opts.format);
      const policies = (opts.policy.length > 0 ? opts.policy : [DEFAULT_POLICY_ID]).map((p) => loadPolicy(p));
      // Every input is read and validated before anything is written: a bad file names itself and its JSON path.
      const reports = files.map((f) => readReport(f));
      const report = mergeReports(reports, policies, { strict: opts.strict ?? false });
      for (const n of report.notices ?? []) warn(n);
      const toFile = opts.output !== undefined && opts.output !== '-';
      const color = !toFile && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
      const output = openOutput(opts.output);
      try {
        // The policy documents go to the renderer so rule titles and rationale reach html, junit and sarif.
        await output.write(renderer.render(report, { color, policies }));
        await output.commit();
      } catch (error) {
        output.abort();
        throw error;
      }
      return exitCodeFor(report.targets);
    }),
  );
}
