import { once } from 'node:events';
import { accessSync, constants, createWriteStream, lstatSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { createConnection } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, errorMessage } from '../errors.js';

/** Where a report goes: stdout, a file written atomically (temporary file, then rename), or a device or pipe written through. */
export interface OutputSink {
  write(chunk: string | Uint8Array): Promise<void>;
  /** Finishes the output; for a file, moves it into place. */
  commit(): Promise<void>;
  /** Drops a half-written file so no partial report is ever left behind. */
  abort(): void;
}

/** Symlinks followed before giving up, as the kernel's own limit (Linux MAXSYMLINKS). */
const MAX_LINKS = 40;

/** How a path is written: replaced atomically (a regular file or a new path), or written through. */
export type OutputTarget =
  | { kind: 'replace'; path: string }
  | { kind: 'through'; path: string; socket: boolean }
  /** /dev/stdout, /dev/fd/N, /proc/self/fd/N: this process's own descriptor, which may be a socket (node's pipes are). */
  | { kind: 'descriptor'; fd: number };

/** The descriptor a path names when it is one of this process's own: /dev/stdout, /dev/fd/2, /proc/self/fd/1. */
export function ownDescriptor(path: string): number | undefined {
  const absolute = resolve(path);
  const std = ['/dev/stdin', '/dev/stdout', '/dev/stderr'].indexOf(absolute);
  if (std >= 0) return std;
  const m = /^\/(?:dev\/fd|proc\/(?:self|thread-self)\/fd)\/(\d+)$/.exec(absolute) ?? new RegExp(`^/proc/${process.pid}/fd/(\\d+)$`).exec(absolute);
  return m ? Number(m[1]) : undefined;
}

function fileError(path: string, reason: string, cause?: unknown): InputError {
  return new InputError(`Cannot write the report to ${path}: ${reason}.`, cause);
}

function statOrUndefined(read: () => Stats): Stats | undefined {
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The end of a chain of symlinks whose last one dangles: where a new file would be created. */
function danglingEnd(path: string): string {
  let current = path;
  for (let i = 0; i < MAX_LINKS; i++) {
    const link = statOrUndefined(() => lstatSync(current));
    if (!link?.isSymbolicLink()) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
}

/**
 * Decides how `-o PATH` is written. Replacing by rename suits only a regular file or a new path: done to
 * /dev/null, a FIFO or /dev/stdout it would put a regular file where the device, pipe or link was. A
 * symlink is followed so that its target, not the link, is replaced. /dev and /proc paths
 * (/dev/stdout -> /proc/self/fd/1 -> pipe:[...]) are always written through: their links name no file.
 */
export function outputTarget(path: string): OutputTarget {
  const absolute = resolve(path);
  const fd = ownDescriptor(path);
  if (fd !== undefined) return { kind: 'descriptor', fd };
  try {
    if (/^\/(dev|proc)\//.test(absolute)) return { kind: 'through', path, socket: statOrUndefined(() => statSync(path))?.isSocket() ?? false };
    const stats = statOrUndefined(() => statSync(path));
    if (stats === undefined) return { kind: 'replace', path: danglingEnd(absolute) };
    if (stats.isFile()) return { kind: 'replace', path: realpathSync(path) };
    if (stats.isDirectory()) throw fileError(path, 'it is a directory');
    return { kind: 'through', path, socket: stats.isSocket() };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw fileError(path, errorMessage(error), error);
  }
}

/**
 * Checks, before any work starts, that `-o PATH` can be written: the directory of a new or regular file
 * exists and is writable, or the device, pipe or socket is writable. A scan that runs for an hour must
 * not end in "cannot write" with its results lost.
 */
export function checkOutput(path: string | undefined): void {
  if (path === undefined || path === '-') return;
  const target = outputTarget(path);
  if (target.kind === 'descriptor') return;
  if (target.kind === 'through') {
    if (target.socket) return;
    try {
      accessSync(target.path, constants.W_OK);
    } catch (error) {
      throw fileError(path, errorMessage(error), error);
    }
    return;
  }
  const dir = dirname(target.path);
  const stats = statOrUndefined(() => statSync(dir));
  if (stats === undefined) throw fileError(path, `ENOENT: the directory ${dir} does not exist`);
  if (!stats.isDirectory()) throw fileError(path, `ENOTDIR: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw fileError(path, `the directory ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`, error);
  }
  if (statOrUndefined(() => statSync(target.path)) !== undefined) {
    try {
      accessSync(target.path, constants.W_OK);
    } catch (error) {
      throw fileError(path, errorMessage(error), error);
    }
  }
}

/**
 * stdout as a sink. A reader that went away (EPIPE: `| head`) is no error: the rest of the report is
 * dropped but the run goes on, so the exit status still tells the verdicts. Any other write error is.
 */
let stdoutClosed = false;

export function markStdoutClosed(): void {
  stdoutClosed = true;
}

function streamSink(stream: NodeJS.WritableStream, where: string, onCommit: (failure: () => void) => Promise<void>, onAbort: () => void, ignoreEpipe = false): OutputSink {
  let failure: NodeJS.ErrnoException | undefined;
  const listener = (error: NodeJS.ErrnoException): void => {
    if (ignoreEpipe && error.code === 'EPIPE') {
      stdoutClosed = true;
      return;
    }
    failure ??= error;
  };
  stream.on('error', listener);
  const closed = () => ignoreEpipe && stdoutClosed;
  const check = (): void => {
    if (failure) throw fileError(where, errorMessage(failure), failure);
  };
  return {
    async write(chunk) {
      check();
      if (closed()) return;
      let ok: boolean;
      try {
        ok = stream.write(chunk);
      } catch (error) {
        throw fileError(where, errorMessage(error), error);
      }
      // A write error arrives as an 'error' event, not as 'drain': wait for whichever comes first.
      if (!ok) await drained(stream);
      check();
    },
    async commit() {
      await onCommit(check);
      stream.removeListener('error', listener);
    },
    abort() {
      stream.removeListener('error', listener);
      onAbort();
    },
  };
}

/** Resolves at 'drain', 'error' or 'close', whichever comes first, and leaves no listener behind. */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.removeListener('drain', done);
      stream.removeListener('error', done);
      stream.removeListener('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

function stdoutSink(): OutputSink {
  const stdout = process.stdout;
  return streamSink(
    stdout,
    'standard output',
    async (check) => {
      if (stdoutClosed) return;
      // Flushes what is queued so that a late error (a full disk behind a redirect) is still seen.
      await new Promise<void>((done) => stdout.write('', () => done()));
      check();
    },
    () => {},
    true,
  );
}

/** Ends a stream and waits until it has closed or failed (the failure is read by the sink's check). */
async function endAndSettle(stream: NodeJS.WritableStream): Promise<void> {
  stream.end();
  await Promise.race([once(stream, 'close'), once(stream, 'error')]).catch(() => {});
}

/** Writes into an existing device, FIFO or socket as it is: nothing is created, renamed or removed. */
function throughSink(path: string, socket: boolean): OutputSink {
  const stream = socket ? createConnection({ path }) : createWriteStream(path, { flags: 'w' });
  return streamSink(
    stream,
    path,
    async (check) => {
      await endAndSettle(stream);
      check();
    },
    () => stream.destroy(),
  );
}

/** Writes to one of this process's descriptors (stderr, or one a parent passed), leaving it open. */
function descriptorSink(path: string, fd: number): OutputSink {
  const stream = createWriteStream('', { fd, autoClose: false });
  return streamSink(
    stream,
    path,
    async (check) => {
      await new Promise<void>((done) => stream.write('', () => done()));
      check();
    },
    () => {},
  );
}

/** A new file beside the destination, renamed over it once complete: readers never see half a report. */
function replaceSink(shown: string, path: string): OutputSink {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let inner: OutputSink | undefined;
  let stream: NodeJS.WritableStream | undefined;
  const open = (): OutputSink => {
    if (!inner) {
      const s = createWriteStream(temp, { flags: 'wx' });
      stream = s;
      inner = streamSink(
        s,
        shown,
        async (check) => {
          await endAndSettle(s);
          check();
        },
        () => s.destroy(),
      );
    }
    return inner;
  };
  return {
    write: (chunk) => open().write(chunk),
    async commit() {
      await open().commit();
      try {
        renameSync(temp, path);
      } catch (error) {
        rmSync(temp, { force: true });
        throw fileError(shown, errorMessage(error), error);
      }
    },
    abort() {
      if (stream) inner?.abort();
      rmSync(temp, { force: true });
    },
  };
}

/** A sink for `-o PATH` (stdout for none or '-'), written the way outputTarget decides. */
export function openOutput(path: string | undefined): OutputSink {
  if (path === undefined || path === '-') return stdoutSink();
  const target = outputTarget(path);
  if (target.kind === 'descriptor') return target.fd === 1 ? stdoutSink() : descriptorSink(path, target.fd);
  return target.kind === 'through' ? throughSink(target.path, target.socket) : replaceSink(path, target.path);
}

/** Writes a whole document to stdout or `-o PATH`. */
export async function writeOutput(path: string | undefined, text: string | Uint8Array): Promise<void> {
  const output = openOutput(path);
  try {
    await output.write(text);
    await output.commit();
  } catch (error) {
    output.abort();
    throw error;
  }
}
