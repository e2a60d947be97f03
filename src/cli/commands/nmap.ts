import { Command } from 'commander';
import { NMAP_HOW_TO } from '../../adapters/nmap/nmap-how-to.js';
import { InputError, UsageError } from '../../errors.js';
import type { TargetObservation } from '../../model/index.js';
import { addReportOptions, emitReport, runCommand, warn, type EmitContext, type ReportCliOptions } from '../common.js';

export function nmapCommand(): Command {
  const cmd = new Command('nmap')
    .description('audit nmap ssl-enum-ciphers results (XML written with -oX)')
    .argument('[files...]', "nmap XML files; '-' or none reads stdin");
  addReportOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Every open TCP port of every host becomes a target. A port where ssl-enum-ciphers reported nothing
(no TLS there, or the script did not run on it) is listed with status error rather than left out.
Results stream host by host, so piping a running nmap shows each host as nmap finishes it.
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
 * The observations of every input in turn. With several inputs, one that cannot be read becomes a
 * notice and makes the run incomplete (exit 3 at least); only when nothing at all could be read does
 * its error end the run (exit 2).
 */
export async function* nmapObservations(inputs: readonly string[], context: EmitContext): AsyncGenerator<TargetObservation> {
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
      if (!(error instanceof InputError) || inputs.length === 1) throw error;
      firstError ??= error;
      notices.push(error.message);
      context.incomplete = true;
      continue;
    }
    notices.push(...summary.notices);
    if (!summary.complete) context.incomplete = true;
  }
  if (yielded === 0 && firstError) throw firstError;
}
