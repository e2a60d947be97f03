import { Command } from 'commander';
import type { SkippedPort } from '../../model/report.js';
import type { TargetObservation } from '../../model/target.js';
import { compareText } from '../../report/canonical.js';
import { mergeObservationsOneByOne, mergeSkipped, toObservation } from '../../report/merge-reports.js';
import { readReportStream } from '../../report/read-report-stream.js';
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
is kept per protocol and suite, and where sources disagree the report says so. Reports are read as
streams and a JSON report is written as one, so memory follows the number of targets, not the size of
the text.

With one input, merge converts a report to other formats (judged again, under --policy if given).

Examples:
  tlsaudit merge internal-nmap.json public-ssllabs.json --format html -o audit.html
  tlsaudit merge report.json -o report.html -o report.sarif`,
  );
  return cmd.action((files: string[], opts: ReportCliOptions) =>
    runCommand(async () => {
      // Every input is read and validated before anything is written: a bad file names itself and its JSON path.
      // Only the observations are kept, target by target; the verdicts are recomputed under --policy anyway.
      const observations: Array<TargetObservation | undefined> = [];
      const notices = new Set<string>();
      const skipped: SkippedPort[] = [];
      for (const file of files) {
        const header = await readReportStream(file, (target) => observations.push(toObservation(target)));
        for (const n of header.notices ?? []) notices.add(n);
        skipped.push(...(header.skipped ?? []));
      }
      // Skipped ports that any report assessed are targets, not skipped: known from the inputs, before merging.
      const kept = mergeSkipped(skipped, observations as TargetObservation[]);
      return emitReport(mergeObservationsOneByOne(observations), opts, { notices: [...notices].sort(compareText), skipped: kept });
    }),
  );
}
