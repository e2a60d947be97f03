import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import type { Status } from '../model/verdict.js';
import { colorEnabled, terminalOptions } from './terminal-options.js';

/**
 * Progress of a run on stderr, redrawn in place: one line per target in flight and a total line, with
 * notices printed above the block where they stay. Only on a terminal, and not with -q: when stderr is
 * a pipe or a file nothing is drawn, so logs stay clean. The redraw itself is log-update's (it diffs
 * frames, clips to the screen and wraps in synchronized-output markers), not escape codes of our own.
 */
export interface Progress {
  /** The line of a target in flight (added at its first update). */
  update(key: string, text: string): void;
  /** Takes a finished target's line away. */
  remove(key: string): void;
  /** How many targets the run has: final once `exhausted`, a lower bound while a list is still read. */
  total(count: number, exhausted: boolean): void;
  /** A target was judged: counts towards done and its status. */
  assessed(status: Status): void;
  /** A line printed above the block, where it stays (an SSL Labs message, a retry, a warning). */
  notice(line: string): void;
  /** Stops redrawing; the total line stays on screen. Idempotent. */
  close(): void;
}

/** What the block shows at one moment. */
export interface ProgressState {
  /** Targets in flight, in the order they started: key → line. */
  inFlight: ReadonlyMap<string, string>;
  done: number;
  total: number;
  exhausted: boolean;
  tally: Readonly<Record<Status, number>>;
  elapsedMs: number;
}

export interface Screen {
  columns: number;
  rows: number;
  color?: boolean;
}

/**
 * The lines to draw, top to bottom: targets in flight, then the total line. The block never gets taller
 * than the screen less two lines (the total line, and the line the cursor rests on): a block that
 * scrolled off the top could not be redrawn in place. Every line is cut to the width so none wraps.
 */
export function progressFrame(state: ProgressState, screen: Screen): string[] {
  const width = Math.max(10, screen.columns - 1);
  const cut = (s: string) => (s.length > width ? `${s.slice(0, width - 1)}…` : s);
  const room = Math.max(0, screen.rows - 2);
  const flying = [...state.inFlight.values()];
  const shown = flying.length <= room ? flying : [...flying.slice(0, Math.max(0, room - 1)), `… and ${flying.length - Math.max(0, room - 1)} more in flight`];
  const total = totalLine(state);
  const lines = shown.slice(0, room).map(cut);
  lines.push(total.length <= width && screen.color ? colorTotal(state, total) : cut(total));
  return lines;
}

const n = (x: number) => x.toLocaleString('en-US');

/** "3/7 done  2 pass  0 warn  1 fail  0 error  1.5/s  ETA 3s"; "3/? done ..." while the list is still read. */
export function totalLine(state: Omit<ProgressState, 'inFlight'>): string {
  const { done, total, exhausted, tally, elapsedMs } = state;
  const parts = [`${n(done)}/${exhausted ? n(total) : '?'} done`, `${tally.pass} pass`, `${tally.warn} warn`, `${tally.fail} fail`, `${tally.error} error`];
  if (elapsedMs >= 1000 && done > 0) {
    const rate = done / (elapsedMs / 1000);
    parts.push(`${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)}/s`);
    if (exhausted && done < total) parts.push(`ETA ${formatSeconds((total - done) / rate)}`);
  }
  return parts.join('  ');
}

function colorTotal(state: ProgressState, plain: string): string {
  const c = pc.createColors(true);
  const paint: Record<Status, (s: string) => string> = { pass: c.green, warn: c.yellow, fail: c.red, error: c.magenta };
  let out = plain;
  for (const status of ['pass', 'warn', 'fail', 'error'] as const) {
    if (state.tally[status] > 0) out = out.replace(`  ${state.tally[status]} ${status}`, `  ${paint[status](`${state.tally[status]} ${status}`)}`);
  }
  return out;
}

export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const QUIET: Progress = { update() {}, remove() {}, total() {}, assessed() {}, notice: (line) => writeLine(process.stderr, line), close() {} };

/** The block being drawn, if any: warn() prints through it so its lines land above the block. */
let active: Progress | undefined;

function writeLine(stream: NodeJS.WritableStream, line: string): void {
  stream.write(`${line}\n`);
}

/** Prints a line on stderr: above the progress block while one is drawn, plainly otherwise. */
export function printAbove(line: string): void {
  if (active) active.notice(line);
  else writeLine(process.stderr, line);
}

/** Redraws at least this often, so the rate and ETA move while a slow target holds everything. */
const TICK_MS = 1000;

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || terminalOptions().quiet) return QUIET;
  // The cursor stays visible: hiding it needs an exit hook to show it again, which Ctrl-C handling here would fight.
  const log = createLogUpdate(stream, { showCursor: true });
  const started = Date.now();
  const inFlight = new Map<string, string>();
  const tally: Record<Status, number> = { pass: 0, warn: 0, fail: 0, error: 0 };
  let done = 0;
  let total = 0;
  let exhausted = false;
  let closed = false;
  const color = colorEnabled(true);
  const frame = () =>
    progressFrame({ inFlight, done, total: Math.max(total, done), exhausted, tally, elapsedMs: Date.now() - started }, { columns: stream.columns ?? 80, rows: stream.rows ?? 24, color });
  const draw = () => {
    if (!closed) log(frame().join('\n'));
  };
  const timer = setInterval(draw, TICK_MS);
  timer.unref();
  const progress: Progress = {
    update(key, text) {
      inFlight.set(key, text);
      draw();
    },
    remove(key) {
      if (inFlight.delete(key)) draw();
    },
    total(count, isExhausted) {
      total = count;
      exhausted = isExhausted;
      draw();
    },
    assessed(status) {
      done++;
      tally[status]++;
      draw();
    },
    notice(line) {
      if (closed) return writeLine(stream, line);
      log.persist(line);
      draw();
    },
    close() {
      if (closed) return;
      clearInterval(timer);
      // The finished run's total line stays; the targets' lines go.
      inFlight.clear();
      if (done > 0) log(frame().at(-1)!);
      else log.clear();
      log.done();
      closed = true;
      if (active === progress) active = undefined;
    },
  };
  active = progress;
  return progress;
}
