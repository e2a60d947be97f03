import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, errorMessage } from '../errors.js';

/** Where a report goes: stdout, or a file written atomically (temporary file, then rename). */
export interface OutputSink {
  write(chunk: string | Uint8Array): Promise<void>;
  /** Finishes the output; for a file, moves it into place. */
  commit(): Promise<void>;
  /** Drops a half-written file so no partial report is ever left behind. */
  abort(): void;
}

/** Writes with back-pressure; a failure becomes the one-line error that names where the report was going. */
async function writeTo(stream: NodeJS.WritableStream, chunk: string | Uint8Array, where: string): Promise<void> {
  try {
    if (!stream.write(chunk)) await once(stream, 'drain');
  } catch (error) {
    throw new InputError(`Cannot write the report to ${where}: ${errorMessage(error)}.`, error);
  }
}

function stdoutSink(): OutputSink {
  return { write: (chunk) => writeTo(process.stdout, chunk, 'standard output'), commit: async () => {}, abort: () => {} };
}

function fileSink(path: string): OutputSink {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let stream: WriteStream | undefined;
  let failure: Error | undefined;
  const open = () => {
    if (!stream) {
      stream = createWriteStream(temp, { flags: 'wx' });
      stream.on('error', (error) => (failure = error));
    }
    return stream;
  };
  const check = () => {
    if (failure) throw new InputError(`Cannot write the report to ${path}: ${errorMessage(failure)}.`, failure);
  };
  return {
    async write(chunk) {
      check();
      await writeTo(open(), chunk, path);
    },
    async commit() {
      const s = open();
      s.end();
      await Promise.race([once(s, 'close'), once(s, 'error')]).catch(() => {});
      check();
      try {
        renameSync(temp, path);
      } catch (error) {
        rmSync(temp, { force: true });
        throw new InputError(`Cannot write the report to ${path}: ${errorMessage(error)}.`, error);
      }
    },
    abort() {
      stream?.destroy();
      rmSync(temp, { force: true });
    },
  };
}

export function openOutput(path: string | undefined): OutputSink {
  return path === undefined || path === '-' ? stdoutSink() : fileSink(path);
}

/** Writes a whole document to stdout or, atomically, to a file. */
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
