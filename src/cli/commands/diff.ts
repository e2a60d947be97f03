import { Command, Option } from 'commander';
import { diffReports } from '../../report/diff-reports.js';
import { readReport } from '../../report/read-report.js';
import { DIFF_FORMATS, renderDiff, type DiffFormat } from '../../render/diff-renderers.js';
import { colorWanted, runCommand } from '../common.js';
import { writeOutput } from '../output.js';

interface DiffCliOptions {
  format: DiffFormat;
  output?: string;
}

export function diffCommand(): Command {
  return new Command('diff')
    .description('what changed between two reports; exit 1 when any target got worse')
    .argument('<old>', 'the earlier JSON report')
    .argument('<new>', 'the later JSON report')
    .addOption(new Option('--format <format>', 'output format').choices(DIFF_FORMATS).default('table'))
    .option('-o, --output <file>', 'write the comparison to FILE (atomically) instead of stdout')
    .option('--no-color', 'no ANSI colour, whatever the terminal (NO_COLOR and FORCE_COLOR are read too)')
    .addHelpText(
      'after',
      `
Status order: pass < warn < error < fail. A target that appears counts against pass; one that
disappears is listed but is no regression; fail <-> error is neither better nor worse.
Exit status: 0 nothing got worse, 1 a target's status got worse, 2 a report could not be read.

Examples:
  tlsaudit diff last-quarter.json this-quarter.json
  tlsaudit diff baseline.json today.json --format markdown -o changes.md   # for the change ticket`,
    )
    .action((oldFile: string, newFile: string, opts: DiffCliOptions) =>
      runCommand(async () => {
        const diff = diffReports(readReport(oldFile), readReport(newFile));
        await writeOutput(opts.output, renderDiff(diff, opts.format, { color: colorWanted(opts.output) }));
        return diff.worsened ? 1 : 0;
      }),
    );
}
