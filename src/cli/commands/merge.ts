import { Command } from 'commander';
import { mergeObservations } from '../../report/merge-reports.js';
import { readReport } from '../../report/read-report.js';
import { addReportOptions, emitReport, runCommand, type ReportCliOptions } from '../common.js';

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
      // Every input is read and validated before anything is written: a bad file names itself and its JSON path.
      const reports = files.map((f) => readReport(f));
      const notices = [...new Set(reports.flatMap((r) => r.notices ?? []))].sort();
      return emitReport(mergeObservations(reports.flatMap((r) => r.targets)), opts, { notices });
    }),
  );
}
