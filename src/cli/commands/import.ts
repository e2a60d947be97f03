import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { InputError, UsageError, errorMessage } from '../../errors.js';
import { FROM_KINDS, detectKind, detectTextKind, importNmapFile, importOne, type FromKind, type ImportInput, type ImportedFile } from '../../import/index.js';
import type { TargetObservation } from '../../model/target.js';
import { buildReport, exitCodeFor } from '../../report/build-report.js';
import { mergeObservations } from '../../report/merge-reports.js';
import { addReportOptions, loadPolicies, runCommand, warn, writeReport, type ReportCliOptions } from '../common.js';

interface ImportCliOptions extends ReportCliOptions {
  from?: FromKind;
}

export function importCommand(): Command {
  const cmd = new Command('import')
    .description('audit saved results of any kind, told from their content, merged into one report')
    .argument('[files...]', "result files or folders (every file in a folder and its subfolders); '-' or none reads stdin")
    .addOption(new Option('--from <kind>', 'read every input as this kind instead of telling it from the content').choices(FROM_KINDS));
  addReportOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Kinds: nmap XML (ssl-enum-ciphers, ssl-cert), SSL Labs JSON, testssl.sh JSON (--jsonfile or
--jsonfile-pretty) and CSV (--csvfile), sslyze JSON (--json_out), sslscan XML (--xml), and tlsaudit
JSON reports. A server seen by several tools is one target; where the tools disagree the report says so.
Importing several files gives the same report as importing each and merging the reports.

Examples:
  testssl --jsonfile www.json www.example.org && tlsaudit import www.json
  sslscan --xml=mail.xml mail.example.org:465 && tlsaudit import mail.xml
  sslyze --json_out=api.json api.example.org && tlsaudit import api.json
  tlsaudit import results/ --format html -o audit.html
  tlsaudit import --from testssl < scan.csv`,
  );
  return cmd.action((files: string[], opts: ImportCliOptions) => runCommand(() => runImport(files, opts)));
}

/** Every file in a folder and its subfolders (a folder of results per server or per tool), hidden ones left out. */
async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesBelow(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** The files named, a folder standing for the files in it and below it (sorted, hidden ones left out). */
async function expandInputs(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push(arg);
      continue;
    }
    let isDir = false;
    try {
      isDir = (await stat(arg)).isDirectory();
    } catch {
      // Reported when the file is read, with the other unreadable inputs.
    }
    if (!isDir) {
      out.push(arg);
      continue;
    }
    const files = (await filesBelow(arg)).sort();
    if (files.length === 0) throw new InputError(`The folder ${arg} holds no files to import.`);
    out.push(...files);
  }
  return out;
}

async function readInput(path: string): Promise<ImportInput> {
  const origin = path === '-' ? 'stdin' : path;
  try {
    if (path !== '-') return { text: await readFile(path, 'utf8'), origin };
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return { text: Buffer.concat(chunks).toString('utf8'), origin };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error);
    throw new InputError(`Cannot read ${origin}: ${reason}.`, error);
  }
}

/** The first bytes of a file, enough to tell XML and CSV kinds apart without reading it all. */
async function readHead(path: string): Promise<string | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(65536);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return undefined; // readInput reports it, with the other unreadable inputs
  }
}

async function importPath(path: string, from: FromKind | undefined): Promise<ImportedFile> {
  if (path !== '-' && (from === 'nmap' || (from === undefined && detectTextKind((await readHead(path)) ?? '') === 'nmap'))) {
    return importNmapFile(path);
  }
  const input = await readInput(path);
  return importOne(input, detectKind(input, from));
}

async function runImport(args: string[], opts: ImportCliOptions): Promise<number> {
  const paths = await expandInputs(args.length === 0 ? ['-'] : args);
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError("Standard input ('-') can be read only once.");
  if (paths.includes('-') && process.stdin.isTTY) warn('reading a result file from the terminal; give a file, or pipe one in (Ctrl-D ends input).');
  const policies = loadPolicies(opts.policy);
  const observations: TargetObservation[] = [];
  const notices: string[] = [];
  let incomplete = false;
  let firstError: InputError | undefined;
  let read = 0;
  for (const path of paths) {
    try {
      const file = await importPath(path, opts.from);
      observations.push(...file.observations);
      notices.push(...file.notices);
      if (file.incomplete) incomplete = true;
      read++;
    } catch (error) {
      // With several inputs one bad file is a notice and the run is incomplete; alone it ends the run.
      if (!(error instanceof InputError) || paths.length === 1) throw error;
      firstError ??= error;
      notices.push(error.message);
      incomplete = true;
    }
  }
  if (read === 0 && firstError) throw firstError;
  const report = buildReport(mergeObservations(observations), policies, { strict: opts.strict ?? false, notices });
  for (const n of report.notices ?? []) warn(n);
  await writeReport(report, opts, policies);
  return exitCodeFor(report.targets, { incomplete });
}
