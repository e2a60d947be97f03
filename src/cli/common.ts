import { Command, InvalidArgumentError, Option } from 'commander';
import { TlsAuditError, UsageError, errorMessage } from '../errors.js';
import type { Report, SkippedPort } from '../model/report.js';
import type { Target, TargetObservation } from '../model/target.js';
import type { Policy } from '../policy/policy.js';
import { compilePolicy } from '../policy/compile-policy.js';
import { DEFAULT_POLICY_ID, loadPolicy } from '../policy/load-policy.js';
import { StatusTally, assessTarget, reportHeader } from '../report/build-report.js';
import { JsonReportStream } from '../render/json.js';
import { FORMATS } from '../render/renderer.js';
import { rendererFor } from '../render/renderers.js';
import { PAPER_SIZES, findPdfBrowser, renderPdf, type PaperSize } from '../render/pdf.js';
import { openOutput, writeOutput, type OutputSink } from './output.js';
import { planOutputs, summaryLine, writesToFile, type PlannedOutput } from './output-plan.js';
import { printAbove, type Progress } from './progress.js';
import { colorEnabled, setTerminalOptions, terminalOptions } from './terminal-options.js';
import { escapeTerminal } from '../render/escape.js';

/** The options every assessing command takes (CONTRACT.md). */
export interface ReportCliOptions {
  policy: string[];
  /** Absent when not given: then each -o's extension decides, else table. */
  format?: string;
  /** Every -o, in order. */
  output?: string[];
  quiet?: boolean;
  verbose?: boolean;
  /** false after --no-color. */
  color?: boolean;
  strict?: boolean;
  concurrency?: number;
  paper?: PaperSize;
}

/** What --format takes: every text renderer, and pdf (the html report printed by an installed Chromium). */
export const OUTPUT_FORMATS = [...FORMATS, 'pdf'] as const;

/** What a command learns while its observations stream in; read once they are exhausted. */
export interface EmitContext {
  notices?: string[];
  /** The input was cut off or the run interrupted: what was gathered is reported, and exit is at least 3. */
  incomplete?: boolean;
  /** Open ports the source never treated as TLS: listed in the report, no effect on the exit status. */
  skipped?: SkippedPort[];
  /** The run's progress block: told of each judged target, and closed before the report is written. */
  progress?: Progress;
}

export function positiveInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number of at least 1.`);
    return n;
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * The report options. `concurrency` is what --help says --concurrency defaults to for this command; the
 * value itself is the library's default, so the command passes nothing when the user gives nothing.
 */
export function addReportOptions(cmd: Command, defaults: { concurrency: string } = { concurrency: 'all at once; input is read in order' }): Command {
  // Set here, not only by the program, so the command behaves the same however it is mounted.
  cmd.hook('preAction', (_command, action) => {
    const o = action.opts<Pick<ReportCliOptions, 'quiet' | 'verbose' | 'color'>>();
    setTerminalOptions({ quiet: o.quiet === true, verbose: o.verbose === true, color: o.color !== false });
  });
  return cmd
    .addOption(new Option('--policy <id|file>', 'policy to score against, repeatable').argParser(collect).default([], DEFAULT_POLICY_ID))
    .addOption(new Option('--format <format>', 'output format (default: from the -o extension, else table)').choices(OUTPUT_FORMATS))
    .addOption(new Option('--paper <size>', 'paper size of the pdf format').choices(PAPER_SIZES).default('a4'))
    .addOption(
      new Option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout; repeatable, the format from each extension (.json .md .html .csv .xml .sarif .pdf .txt)').argParser(
        collect as (value: string, previous: string[] | undefined) => string[],
      ),
    )
    .option('--strict', 'deprecated findings (severity warn) count as failures')
    .option('--concurrency <n>', `how many targets at once (default: ${defaults.concurrency})`, positiveInteger('--concurrency'))
    .option('-q, --quiet', 'errors only on stderr: no progress, notices or summary')
    .option('-v, --verbose', "each connection's outcome on stderr too (the probe: one line per ClientHello)")
    .option('--no-color', 'no ANSI colour, whatever the terminal (NO_COLOR and FORCE_COLOR are read too)');
}

/** How many items a one-line message names before it gives only the count of the rest. */
export const NAMED_IN_A_LINE = 5;

/**
 * "3 targets: a, b, c" or "12345 targets: a, b, c, d, e and 12340 more": a message stays one short line
 * however many items a hostile or huge input holds.
 */
export function someOf(items: readonly string[], noun: string): string {
  if (items.length === 0) return `no ${noun}s`;
  const named = items.slice(0, NAMED_IN_A_LINE).join(', ');
  const rest = items.length - NAMED_IN_A_LINE;
  return `${items.length} ${items.length === 1 ? noun : `${noun}s`}: ${named}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** Notices printed on stderr before the rest are only counted; the JSON report keeps them all. */
export const NOTICES_SHOWN = 20;

/** Each notice on a line of its own, up to NOTICES_SHOWN; 10,000 of them must not flood the terminal. */
export function warnAll(notices: readonly string[]): void {
  for (const n of notices.slice(0, NOTICES_SHOWN)) warn(n);
  const rest = notices.length - NOTICES_SHOWN;
  if (rest > 0) warn(`... and ${rest} more notices (the JSON report lists every one).`);
}

/** One line on stderr (line breaks shown as \\n); control characters from input (host names, server messages) are shown, not obeyed. */
export function warn(message: string): void {
  if (!terminalOptions().quiet) printAbove(stderrLine(message));
}

/** An error's line: shown even with -q. */
export function warnError(message: string): void {
  printAbove(stderrLine(message));
}

/** A -v line: what one connection did, for debugging a server. */
export function verbose(message: string): void {
  if (terminalOptions().verbose && !terminalOptions().quiet) printAbove(stderrLine(message));
}

export function verboseWanted(): boolean {
  return terminalOptions().verbose && !terminalOptions().quiet;
}

function stderrLine(message: string): string {
  return `tlsaudit: ${escapeTerminal(message.replace(/\r\n|\r|\n/g, '\\n'))}`;
}

function toStdout(output: string | undefined): boolean {
  return output === undefined || output === '-';
}

/** Colour only on stdout (a file is a document), as colorEnabled decides: a terminal, --no-color, NO_COLOR, FORCE_COLOR. */
export function colorWanted(output: string | undefined): boolean {
  return toStdout(output) && colorEnabled(Boolean(process.stdout.isTTY));
}

/**
 * The width a terminal format is laid out for: the terminal's when the report goes to one, else COLUMNS
 * (as shells export it), else the renderer's default.
 */
export function outputWidth(output: string | undefined): number | undefined {
  if (toStdout(output) && process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

/** The --policy values, or the default policy when none was given. */
export function loadPolicies(ids: readonly string[]): Policy[] {
  return (ids.length > 0 ? ids : [DEFAULT_POLICY_ID]).map((p) => loadPolicy(p));
}

/** The outputs -o and --format ask for (a usage error for a combination that cannot be told apart). */
export function plannedOutputs(options: Pick<ReportCliOptions, 'format' | 'output'>): PlannedOutput[] {
  return planOutputs(options.output, options.format);
}

async function writeOne(report: Report, output: PlannedOutput, options: ReportCliOptions, policies: readonly Policy[]): Promise<void> {
  if (output.format === 'pdf') {
    await writeOutput(output.path, await renderPdf(report, { policies, paper: options.paper ?? 'a4' }));
    return;
  }
  const renderer = rendererFor(output.format);
  await writeOutput(output.path, renderer.render(report, { color: colorWanted(output.path), policies, width: outputWidth(output.path) }));
}

/** Renders a whole report in each planned format and writes it (atomically for -o), then says where it went. */
export async function writeReport(report: Report, options: ReportCliOptions, policies: readonly Policy[]): Promise<void> {
  const outputs = plannedOutputs(options);
  for (const output of outputs) await writeOne(report, output, options, policies);
  summarize(outputs, report.summary, report.skipped?.length ?? 0);
}

/** With the report in files, one line on stderr tells the verdicts and where they went (not with -q). */
function summarize(outputs: readonly PlannedOutput[], summary: Report['summary'], skipped: number): void {
  if (!writesToFile(outputs) || terminalOptions().quiet) return;
  printAbove(summaryLine(summary, skipped, outputs.map((o) => o.path ?? 'stdout')));
}

/**
 * What can be known about the outputs before any work starts: the formats exist and fit the paths, and
 * pdf has a browser to print with and a place that takes bytes (not a terminal).
 */
export function checkFormat(options: Pick<ReportCliOptions, 'format' | 'output'>): void {
  for (const output of plannedOutputs(options)) {
    if (output.format !== 'pdf') {
      rendererFor(output.format);
      continue;
    }
    findPdfBrowser();
    if (toStdout(output.path) && process.stdout.isTTY) throw new UsageError('The pdf format is binary: write it to a file with -o FILE.pdf, or pipe it.');
  }
}

/**
 * Evaluates observations as they arrive, renders the report and writes it; returns the exit status.
 * JSON is streamed target by target; other formats need the whole report. A failure while reading
 * input keeps everything gathered so far: the report is still written, with the failure as a notice.
 */
export async function emitReport(
  observations: AsyncIterable<TargetObservation> | Iterable<TargetObservation>,
  options: ReportCliOptions,
  context: EmitContext = {},
): Promise<number> {
  const policies = loadPolicies(options.policy);
  const compiled = policies.map(compilePolicy);
  checkFormat(options);
  const strict = options.strict ?? false;
  const outputs = plannedOutputs(options);
  // A single JSON output is written target by target; several outputs are rendered from the collected report.
  // JSON meant for this terminal's screen is not streamed: its lines would mix with the progress block.
  const streaming = outputs.length === 1 && outputs[0]!.format === 'json' && !(toStdout(outputs[0]!.path) && process.stdout.isTTY);
  const output = streaming ? openOutput(outputs[0]!.path) : undefined;
  const targets: Target[] = [];
  const tally = new StatusTally();
  let json: JsonReportStream | undefined;
  // Opened at the first target (or the end), so input that cannot be read at all writes no report.
  const jsonStream = (sink: OutputSink) =>
    (json ??= new JsonReportStream((chunk) => sink.write(chunk), reportHeader(policies, { strict })));
  let readError: unknown;

  try {
    try {
      for await (const observation of observations) {
        const target = assessTarget(observation, compiled, strict);
        tally.add(target);
        context.progress?.assessed(target.verdict.status);
        if (output) {
          await jsonStream(output).target(target);
        } else {
          targets.push(target);
        }
      }
    } catch (error) {
      if (tally.count === 0 || !(error instanceof TlsAuditError)) throw error;
      readError = error;
    }
    // The block goes before anything else is printed: a report on this terminal's stdout would be redrawn over.
    context.progress?.close();
    const notices = [...(context.notices ?? [])];
    if (readError) notices.push(errorMessage(readError));
    warnAll(notices);
    const { summary } = tally;
    const skipped = context.skipped ?? [];
    if (output) {
      await jsonStream(output).end(summary, notices, skipped);
      await output.commit();
      summarize(outputs, summary, skipped.length);
    } else {
      const report: Report = { ...reportHeader(policies, { strict, notices }), targets, ...(skipped.length > 0 && { skipped }), summary };
      await writeReport(report, options, policies);
    }
  } catch (error) {
    context.progress?.close();
    output?.abort();
    throw error;
  }
  const incomplete = Boolean(context.incomplete) || readError !== undefined;
  if (incomplete && tally.count === 0) return 2;
  return tally.exitCode({ incomplete });
}

let debug = false;

export function setDebug(on: boolean): void {
  debug = on;
}

/**
 * Runs a command's action: a TlsAuditError becomes its one line on stderr and its exit status; anything
 * else is a bug, reported as one line too unless --debug asks for the stack.
 */
export async function runCommand(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    if (debug && error instanceof Error) process.stderr.write(`${error.stack ?? error.message}\n`);
    if (error instanceof TlsAuditError) {
      if (!debug) warnError(error.message);
      process.exitCode = error.exitCode;
    } else {
      if (!debug) warnError(`internal error: ${errorMessage(error)} (run with --debug for details)`);
      process.exitCode = 2;
    }
  }
}

/**
 * An AbortSignal that trips on the first Ctrl-C, so long runs stop starting work and write the report
 * of what finished; a second Ctrl-C exits at once.
 */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    warn('interrupted: finishing the report with what is done (Ctrl-C again to quit now)');
    controller.abort(new UsageError('Interrupted.'));
    process.once('SIGINT', () => process.exit(130));
  });
  return controller.signal;
}

export { Command };
