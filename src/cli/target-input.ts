import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import { InputError, UsageError, errorMessage } from '../errors.js';
import { createExcluder, parseShard, TargetStream, type TargetInput } from '../targets/index.js';
import { ResumeLog } from '../sweep/resume-log.js';
import type { NmapSkippedPort } from '../adapters/nmap/read-nmap-tls-ports.js';

/** The options that say which targets a run covers (probe, scan, ssllabs). */
export interface TargetCliOptions {
  inputList?: string[];
  fromNmap?: string[];
  exclude?: string[];
  excludeFile?: string[];
  shard?: string;
  resume?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function addTargetOptions(cmd: Command, { fromNmap = true, resume = true } = {}): Command {
  cmd
    .addOption(new Option('--input-list <file>', "(also -iL, as in nmap) read targets from FILE, one per line, '#' comments ('-' for stdin); repeatable").argParser(collect))
    .addOption(new Option('--exclude <hosts>', 'leave out these names, addresses or CIDR blocks (comma-separated; repeatable)').argParser(collect))
    .addOption(new Option('--exclude-file <file>', 'leave out the names, addresses and blocks listed in FILE').argParser(collect))
    .addOption(new Option('--shard <K/N>', 'assess only shard K of N: a fixed 1/N of the targets, the same on every machine'));
  if (fromNmap) cmd.addOption(new Option('--from-nmap <file>', 'assess every open TLS or STARTTLS port of an nmap -oX scan (no script needed); repeatable').argParser(collect));
  if (resume) cmd.addOption(new Option('--resume <file>', 'record finished targets in FILE (JSON Lines) and skip those already there'));
  return cmd;
}

/**
 * nmap spells the list option -iL, which commander cannot take as a short flag (one character): it is
 * read as --input-list. Only arguments before a "--" are options.
 */
export function nmapStyleArguments(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((a, i) => (a === '-iL' && (end < 0 || i < end) ? '--input-list' : a));
}

/** Words of a list line: '#' starts a comment; blanks separate targets (as in nmap -iL). */
export function targetsOfLine(line: string): string[] {
  return line.replace(/#.*/, '').split(/\s+/).filter(Boolean);
}

async function* linesOf(file: string): AsyncGenerator<{ line: string; number: number }> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  let number = 0;
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) yield { line, number: ++number };
  } catch (error) {
    throw new InputError(`Cannot read the target list ${file === '-' ? 'stdin' : file}: ${describeIo(error)}.`, error);
  }
}

function describeIo(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  return errorMessage(error);
}

export interface TargetRun {
  targets: TargetStream;
  resume?: ResumeLog;
  /** Notices known once the list is read to its end. */
  notices(): string[];
  close(): void;
}

/**
 * The run's targets as a stream: arguments, then each -iL list, then each --from-nmap scan, expanded,
 * excluded, collapsed and sharded one at a time. Throws UsageError when no source of targets was given.
 */
export async function openTargets(args: readonly string[], opts: TargetCliOptions): Promise<TargetRun> {
  const lists = opts.inputList ?? [];
  const scans = opts.fromNmap ?? [];
  if (args.length === 0 && lists.length === 0 && scans.length === 0) {
    throw new UsageError('Give at least one target (HOST, HOST:PORT, [IPv6]:PORT, CIDR, URL or HOST=ADDRESS), -iL FILE or --from-nmap FILE.');
  }
  if ([...lists, ...scans].filter((f) => f === '-').length > 1) throw new UsageError("Only one of -iL and --from-nmap can read stdin ('-').");
  const excludeSpecs = [...(opts.exclude ?? [])];
  for (const file of opts.excludeFile ?? []) for await (const { line } of linesOf(file)) excludeSpecs.push(...targetsOfLine(line));
  const exclude = createExcluder(excludeSpecs);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const skipped: NmapSkippedPort[] = [];

  async function* inputs(): AsyncGenerator<TargetInput> {
    for (const text of args) yield { text };
    for (const file of lists) {
      const name = file === '-' ? 'stdin' : file;
      for await (const { line, number } of linesOf(file)) for (const text of targetsOfLine(line)) yield { text, where: `${name}:${number}` };
    }
    if (scans.length > 0) {
      const { readNmapTlsPortsFile } = await import('../adapters/nmap/read-nmap-tls-ports.js');
      for (const file of scans) {
        for await (const p of readNmapTlsPortsFile(file, skipped)) {
          yield { target: { host: p.host, port: p.port, starttls: p.starttls, ...(p.host !== p.address && { address: p.address }) } };
        }
      }
    }
  }

  const targets = new TargetStream(inputs(), { exclude, ...(shard && { shard }) });
  const resume = opts.resume === undefined ? undefined : ResumeLog.open(opts.resume);
  return {
    targets,
    ...(resume && { resume }),
    notices: () => {
      const out = targets.notices();
      if (skipped.length > 0) {
        const named = skipped.slice(0, 5).map((s) => `${s.host}:${s.port} (${s.service}): ${s.reason}`);
        out.push(`${skipped.length} open port(s) of the nmap scan not assessed: ${named.join('; ')}${skipped.length > 5 ? `; and ${skipped.length - 5} more` : ''}.`);
      }
      return out;
    },
    close: () => resume?.close(),
  };
}
