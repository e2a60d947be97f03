import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
// The HTTP client (got) is loaded only by the commands that call the API, so other commands start fast.
import type { SslLabsProgress, SslLabsRunSummary } from '../../adapters/ssllabs/index.js';
import { DEFAULT_SSLLABS_API_URL } from '../../adapters/ssllabs/default-api-url.js';
import { importSslLabsJson } from '../../adapters/ssllabs/import-ssllabs-json.js';
import { InputError, UsageError, errorMessage } from '../../errors.js';
import { escapeTerminal as tty } from '../../render/escape.js';
import type { TargetObservation } from '../../model/index.js';
import { collapseDuplicatesOf } from '../../report/collapse-duplicates.js';
import {
  addReportOptions,
  emitReport,
  interruptSignal,
  positiveInteger,
  runCommand,
  verbose,
  warn,
  type EmitContext,
  type ReportCliOptions,
} from '../common.js';
import { createProgress, type Progress } from '../progress.js';
import { addTargetOptions, openTargets, type TargetCliOptions } from '../target-input.js';
import { describeTarget } from '../../targets/index.js';

interface SslLabsCliOptions extends ReportCliOptions, TargetCliOptions {
  input?: string[];
  apiUrl?: string;
  email?: string;
  fromCache?: boolean;
  maxAge?: number;
  publish?: boolean;
  ignoreMismatch?: boolean;
  pollInterval?: number;
  proxy?: string;
}

interface RegisterCliOptions {
  firstName: string;
  lastName: string;
  email?: string;
  organization: string;
  apiUrl?: string;
}

const apiUrlOption = (): Option =>
  new Option('--api-url <url>', `SSL Labs API base; one ending in /v3/ speaks API v3 (default: ${DEFAULT_SSLLABS_API_URL})`).env(
    'SSLLABS_API_URL',
  );

export function ssllabsCommand(): Command {
  const cmd = new Command('ssllabs')
    .description('assess hosts through the SSL Labs API, or import saved SSL Labs JSON')
    .argument('[hosts...]', 'host names to assess (HTTPS on port 443)')
    .option('--input <file...>', "import saved SSL Labs JSON instead ('-' for stdin): a Host object or an ssllabs-scan array")
    .addOption(apiUrlOption())
    .addOption(new Option('--email <address>', 'email registered with SSL Labs API v4 (see "ssllabs register")').env('SSLLABS_EMAIL'))
    .option('--from-cache', 'accept a cached SSL Labs report instead of starting a new assessment')
    .option('--max-age <hours>', 'oldest cached report to accept, in hours (implies --from-cache)', positiveInteger('--max-age'))
    .option('--publish', 'publish the results on the SSL Labs boards (off unless given)')
    .option('--proxy <url>', 'reach the API through this proxy (default: HTTPS_PROXY / HTTP_PROXY unless NO_PROXY names the host)')
    .option('--ignore-mismatch', 'assess even when the certificate does not match the host name')
    // For API replicas and tests: the documented 5 s / 10 s polling is right for the real service.
    .addOption(new Option('--poll-interval <ms>', 'poll interval in ms').argParser(positiveInteger('--poll-interval')).hideHelp());
  addTargetOptions(cmd, { fromNmap: false, resume: false });
  addReportOptions(cmd, { concurrency: "the API's maxAssessments" });
  cmd.addHelpText(
    'after',
    `
SSL Labs assesses public HTTPS servers on port 443 from Qualys' servers, one endpoint (IP address) per
target. API v4 needs a registered email: register once, then pass --email or set SSLLABS_EMAIL.
Assessments take a minute or more each; tlsaudit keeps to the API's limits and survives its outages.
Ctrl-C writes the report of the hosts that finished.

Examples:
  tlsaudit ssllabs register --first-name Ada --last-name Lovelace --email ada@example.org --organization "Example Ltd"
  SSLLABS_EMAIL=ada@example.org tlsaudit ssllabs www.example.org mail.example.org
  tlsaudit ssllabs --email ada@example.org --max-age 24 www.example.org --format json -o report.json
  ssllabs-scan --email ada@example.org www.example.org > scan.json && tlsaudit ssllabs --input scan.json
  tlsaudit ssllabs --input - < scan.json`,
  );
  cmd.action((hosts: string[], opts: SslLabsCliOptions) => runCommand(() => runSslLabs(hosts, opts)));
  cmd.addCommand(registerCommand());
  return cmd;
}

function registerCommand(): Command {
  const cmd = new Command('register')
    .description('register an email with SSL Labs API v4 (needed once before assessing)')
    .requiredOption('--first-name <name>', 'your first name')
    .requiredOption('--last-name <name>', 'your last name')
    .addOption(new Option('--email <address>', 'an organisation email (not Gmail, Yahoo, Hotmail...)').env('SSLLABS_EMAIL'))
    .requiredOption('--organization <name>', 'your organisation')
    .addOption(apiUrlOption())
    .addHelpText(
      'after',
      `
Example:
  tlsaudit ssllabs register --first-name Ada --last-name Lovelace --email ada@example.org --organization "Example Ltd"`,
    );
  return cmd.action(() =>
    runCommand(async () => {
      // The parent command also has --email and --api-url and, depending on how the program parses
      // positional options, may have taken them: read both levels.
      const opts = cmd.optsWithGlobals<RegisterCliOptions>();
      if (!opts.email) throw new UsageError('SSL Labs registration needs --email ADDRESS (or SSLLABS_EMAIL).');
      const { registerSslLabsEmail } = await import('../../adapters/ssllabs/register-email.js');
      const result = await registerSslLabsEmail(
        { firstName: opts.firstName, lastName: opts.lastName, email: opts.email, organization: opts.organization },
        opts.apiUrl === undefined ? {} : { apiUrl: opts.apiUrl },
      );
      if (result.status === 'success') {
        process.stdout.write(`SSL Labs: ${tty(result.message)}\n`);
        return 0;
      }
      warn(`SSL Labs refused the registration of ${opts.email}: ${result.message}`);
      return 2;
    }),
  );
}

async function runSslLabs(texts: string[], opts: SslLabsCliOptions): Promise<number> {
  const inputs = opts.input ?? [];
  const lists = opts.inputList ?? [];
  if (inputs.length > 0 && (texts.length > 0 || lists.length > 0)) throw new UsageError('Give host names or --input files, not both.');
  if (inputs.length === 0 && texts.length === 0 && lists.length === 0) {
    throw new UsageError('Give at least one host name (or -iL FILE), or --input FILE with saved SSL Labs JSON.');
  }
  if (inputs.length > 0) return emitReport(importFiles(inputs), opts);
  const { hosts, notices } = await sslLabsHosts(texts, opts);

  const signal = interruptSignal();
  const progress = createProgress();
  const context: EmitContext = { notices, progress };
  progress.total(hosts.length, true);
  const { assessWithSslLabs } = await import('../../adapters/ssllabs/assess-with-ssllabs.js');
  const observations = assessWithSslLabs(hosts, {
    ...(opts.apiUrl === undefined ? {} : { apiUrl: opts.apiUrl }),
    ...(opts.email === undefined ? {} : { email: opts.email }),
    ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
    ...(opts.maxAge === undefined ? {} : { maxAgeHours: opts.maxAge }),
    ...(opts.pollInterval === undefined ? {} : { pollIntervalMs: { pending: opts.pollInterval, inProgress: opts.pollInterval } }),
    ...(opts.proxy === undefined ? {} : { proxy: opts.proxy }),
    fromCache: opts.fromCache === true,
    publish: opts.publish === true,
    ignoreMismatch: opts.ignoreMismatch === true,
    signal,
    onProgress: (event) => {
      // -v: every answer SSL Labs gave about the host, as a line that stays.
      verbose(progressLine(event));
      if (IN_FLIGHT.has(event.state)) progress.update(event.host, progressLine(event));
      else progress.remove(event.host);
    },
    // Server text goes to a terminal: its control characters are shown, not obeyed.
    onMessage: (message) => warn(message),
  });
  try {
    return await emitReport(withSummary(observations, context, signal, progress), opts, context);
  } finally {
    progress.close();
  }
}

/**
 * The states a host's line is shown in. Queued and waiting hosts are not in flight (a long list would fill
 * the screen with them); a finished one's line goes, as the total line counts it once it is judged.
 */
const IN_FLIGHT: ReadonlySet<SslLabsProgress['state']> = new Set(['DNS', 'IN_PROGRESS', 'retrying']);

/** The host names of the run's targets: SSL Labs assesses HTTPS on port 443 of public names only. */
async function sslLabsHosts(texts: readonly string[], opts: SslLabsCliOptions): Promise<{ hosts: string[]; notices: string[] }> {
  const run = await openTargets(texts, opts);
  const hosts: string[] = [];
  for await (const { target } of run.targets) {
    const upgrade = target.starttls !== undefined && target.starttls !== 'none';
    if (target.port !== 443 || upgrade || target.address !== undefined) {
      throw new UsageError(`SSL Labs assesses HTTPS on port 443 by host name only, not ${describeTarget(target)}${upgrade ? ` (${target.starttls})` : ''}; use tlsaudit scan or probe for it.`);
    }
    hosts.push(target.host);
  }
  if (hosts.length === 0 && run.targets.otherShards === 0) throw new UsageError('No targets: the lists given hold none.');
  const shard = run.targets.shardSummary();
  if (shard) warn(shard);
  return { hosts, notices: run.notices() };
}

/** Passes observations through and, once the run ends, records what an interruption left unfinished. */
async function* withSummary(
  observations: AsyncGenerator<TargetObservation, SslLabsRunSummary, undefined>,
  context: EmitContext,
  signal: AbortSignal,
  progress: Progress,
): AsyncGenerator<TargetObservation> {
  for (;;) {
    const step = await observations.next();
    if (step.done) {
      progress.close();
      if (signal.aborted && step.value.unfinished.length > 0) {
        context.incomplete = true;
        context.notices?.push(
          `Interrupted: ${step.value.unfinished.length} host(s) not assessed: ${step.value.unfinished.join(', ')}.`,
        );
      }
      return;
    }
    yield step.value;
  }
}

async function* importFiles(files: readonly string[]): AsyncGenerator<TargetObservation> {
  // The same endpoint in two files is one target too (each file is already collapsed on its own).
  yield* collapseDuplicatesOf(readFiles(files));
}

async function* readFiles(files: readonly string[]): AsyncGenerator<TargetObservation> {
  for (const file of files) {
    const origin = file === '-' ? 'stdin' : file;
    let text: string;
    try {
      text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    } catch (error) {
      throw new InputError(`Cannot read ${origin}: ${errorMessage(error)}.`, error);
    }
    yield* importSslLabsJson(text, origin);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** "www.example.org  IN_PROGRESS  45%  ETA 1m20s  Determining available cipher suites" */
export function progressLine(event: SslLabsProgress): string {
  const parts = [event.host, event.state];
  if (event.progress !== undefined) parts.push(`${event.progress}%`);
  if (event.etaSeconds !== undefined) parts.push(`ETA ${formatEta(event.etaSeconds)}`);
  // SSL Labs' statusMessage often repeats the state ("READY"): said once is enough.
  if (event.message && event.message.toUpperCase() !== event.state) parts.push(event.message);
  // One line of text per host: the progress display redraws by counting lines.
  return tty(parts.join('  ')).replace(/\n/g, ' ');
}

function formatEta(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}
