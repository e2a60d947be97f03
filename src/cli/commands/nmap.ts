import { Command } from 'commander';
import { NMAP_HOW_TO } from '../../adapters/nmap/nmap-how-to.js';
import { InputError, UsageError } from '../../errors.js';
import type { SkippedPort, TargetObservation } from '../../model/index.js';
import { collapseDuplicates } from '../../report/collapse-duplicates.js';
import { mergeSkipped } from '../../report/merge-reports.js';
import { addReportOptions, emitReport, runCommand, warn, type EmitContext, type ReportCliOptions } from '../common.js';

export function nmapCommand(): Command {
  const cmd = new Command('nmap')
    .description('audit nmap ssl-enum-ciphers results (XML written with -oX)')
    .argument('[files...]', "nmap XML files; '-' or none reads stdin");
  addReportOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Every open TCP port nmap treats as TLS (its ssl port rule, STARTTLS services, TLS found by -sV) becomes
a target; one where ssl-enum-ciphers reported nothing is listed with status error. Other open ports
(ssh, http) are listed as skipped and do not change the exit status. The same host:port read twice
is one target. nmap 6.00 and later, UTF-8 or UTF-16 (PowerShell) files are read.
A file cut off before </nmaprun> (nmap interrupted) is still audited: its complete hosts are reported,
stderr says it is incomplete and the exit status is 3 (1 if a target fails).

Examples:
  ${NMAP_HOW_TO.replace('HOST', 'mail.example.org')} | tlsaudit nmap
  nmap -p 25,443,465,587,993 --script ssl-enum-ciphers -oX scan.xml 192.0.2.0/28 && tlsaudit nmap scan.xml
  tlsaudit nmap dc1.xml dc2.xml --format json -o audit.json
  tlsaudit nmap scan.xml --strict --format junit -o tls.xml`,
  );
  return cmd.action((files: string[], opts: ReportCliOptions) => runCommand(() => runNmap(files, opts)));
}

async function runNmap(files: string[], opts: ReportCliOptions): Promise<number> {
  const inputs = files.length === 0 ? ['-'] : files;
  if (inputs.filter((f) => f === '-').length > 1) throw new UsageError("Standard input ('-') can be read only once.");
  // Someone who typed `tlsaudit nmap` alone would otherwise wait on a silent terminal.
  if (inputs.includes('-') && process.stdin.isTTY) warn('reading nmap XML from the terminal; pipe nmap -oX - into tlsaudit, or give a file (Ctrl-D ends input).');
  const context: EmitContext = { notices: [] };
  return emitReport(nmapObservations(inputs, context), opts, context);
}

/**
 * The observations of every input, one target per endpoint (the same host:port read twice, within a
 * file or across files, is merged as `tlsaudit merge` merges reports, so those are held until the end).
 * With several inputs, one that cannot be read becomes a notice and makes the run incomplete (exit 3 at
 * least); only when nothing at all could be read does its error end the run (exit 2). Ports nmap never
 * treated as TLS go to `context.skipped`.
 */
export async function* nmapObservations(inputs: readonly string[], context: EmitContext): AsyncGenerator<TargetObservation> {
  const skipped: SkippedPort[] = [];
  const all: TargetObservation[] = [];
  let failure: { error: unknown } | undefined;
  try {
    for await (const observation of readInputs(inputs, context, skipped)) all.push(observation);
  } catch (error) {
    failure = { error };
  }
  const targets = collapseDuplicates(all);
  context.skipped = mergeSkipped(skipped, targets);
  yield* targets;
  if (failure) throw failure.error;
}

async function* readInputs(inputs: readonly string[], context: EmitContext, skipped: SkippedPort[]): AsyncGenerator<TargetObservation> {
  // The XML parser loads when nmap output is read, not on every start of the CLI.
  const { emptyNmapReadSummary, readNmapXmlFile } = await import('../../adapters/nmap/index.js');
  const notices = (context.notices ??= []);
  let yielded = 0;
  let firstError: InputError | undefined;
  for (const input of inputs) {
    const summary = emptyNmapReadSummary(input === '-' ? 'stdin' : input);
    try {
      for await (const observation of readNmapXmlFile(input, summary)) {
        yielded++;
        yield observation;
      }
    } catch (error) {
      notices.push(...summary.notices);
      skipped.push(...summary.skipped);
      if (!(error instanceof InputError) || inputs.length === 1) throw error;
      firstError ??= error;
      notices.push(error.message);
      context.incomplete = true;
      continue;
    }
    notices.push(...summary.notices);
    skipped.push(...summary.skipped);
    if (!summary.complete) context.incomplete = true;
  }
  if (yielded === 0 && firstError) throw firstError;
}
