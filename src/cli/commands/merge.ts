import { Command } from 'commander';
import { exitCodeFor } from '../../report/build-report.js';
import { mergeReports } from '../../report/merge-reports.js';
import { readReport } from '../../report/read-report.js';
import { addReportOptions, loadPolicies, runCommand, warnAll, writeReport, type ReportCliOptions } from '../common.js';

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
      const policies = loadPolicies(opts.policy);
      // Every input is read and validated before anything is written: a bad file names itself and its JSON path.
      const reports = files.map((f) => readReport(f));
      const report = mergeReports(reports, policies, { strict: opts.strict ?? false });
      warnAll(report.notices ?? []);
      await writeReport(report, opts, policies);
      return exitCodeFor(report.targets);
    }),
  );
}
