import { Command, InvalidArgumentError, Option } from 'commander';
import { TlsAuditError, UsageError, errorMessage } from '../errors.js';
import type { Report } from '../model/report.js';
import type { Target, TargetObservation } from '../model/target.js';
import type { Policy } from '../policy/policy.js';
import { compilePolicy } from '../policy/compile-policy.js';
import { DEFAULT_POLICY_ID, loadPolicy } from '../policy/load-policy.js';
import { StatusTally, assessTarget, reportHeader } from '../report/build-report.js';
import { JsonReportStream } from '../render/json.js';
import { FORMATS } from '../render/renderer.js';
import { rendererFor } from '../render/renderers.js';
import { openOutput, writeOutput, type OutputSink } from './output.js';
import { escapeTerminal } from '../render/escape.js';

/** The options every assessing command takes (CONTRACT.md). */
export interface ReportCliOptions {
  policy: string[];
  format: string;
  output?: string;
  strict?: boolean;
  concurrency?: number;
}

/** What a command learns while its observations stream in; read once they are exhausted. */
export interface EmitContext {
  notices?: string[];
  /** The input was cut off or the run interrupted: what was gathered is reported, and exit is at least 3. */
  incomplete?: boolean;
}

export function positiveInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number of at least 1.`);
    return n;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function addReportOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--policy <id|file>', 'policy to score against, repeatable').argParser(collect).default([], DEFAULT_POLICY_ID))
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('table'))
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
    .option('--strict', 'deprecated findings (severity warn) count as failures')
    .option('--concurrency <n>', 'how many targets at once', positiveInteger('--concurrency'));
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
  process.stderr.write(`tlsaudit: ${escapeTerminal(message.replace(/\r\n|\r|\n/g, '\\n'))}\n`);
}

function toStdout(output: string | undefined): boolean {
  return output === undefined || output === '-';
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorWanted(output: string | undefined): boolean {
  return toStdout(output) && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

/** The --policy values, or the default policy when none was given. */
export function loadPolicies(ids: readonly string[]): Policy[] {
  return (ids.length > 0 ? ids : [DEFAULT_POLICY_ID]).map((p) => loadPolicy(p));
}

/** Renders a whole report in the chosen format and writes it (atomically for -o). */
export async function writeReport(report: Report, options: ReportCliOptions, policies: readonly Policy[]): Promise<void> {
  const renderer = rendererFor(options.format);
  await writeOutput(options.output, renderer.render(report, { color: colorWanted(options.output), policies }));
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
  const renderer = rendererFor(options.format);
  const strict = options.strict ?? false;
  const streaming = renderer.format === 'json';
  const output = streaming ? openOutput(options.output) : undefined;
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
    const notices = [...(context.notices ?? [])];
    if (readError) notices.push(errorMessage(readError));
    warnAll(notices);
    const { summary } = tally;
    if (output) {
      await jsonStream(output).end(summary, notices);
      await output.commit();
    } else {
      await writeReport({ ...reportHeader(policies, { strict, notices }), targets, summary }, options, policies);
    }
  } catch (error) {
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
      if (!debug) warn(error.message);
      process.exitCode = error.exitCode;
    } else {
      if (!debug) warn(`internal error: ${errorMessage(error)} (run with --debug for details)`);
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
