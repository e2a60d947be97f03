import { createReadStream, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { InputError, TlsAuditError, errorMessage } from '../../errors.js';
import type { TargetObservation } from '../../model/target.js';
import { NmapDocumentReader, emptyNmapReadSummary, type NmapReadSummary } from './nmap-document-reader.js';
import { NmapParsePool, type ParsedBatch } from './nmap-parse-pool.js';
import { XmlTextDecoder } from './xml-text-decoder.js';

/** Bytes or text as they arrive: a Node stream (a file, stdin, nmap's stdout) or any iterable of chunks. */
export type NmapXmlInput = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export interface NmapReadOptions {
  /**
   * Worker threads that parse hosts while this thread evaluates and renders; 0 parses here. By
   * default readNmapXmlFile uses them for a large file on a machine with more than one core, and
   * readNmapXml (a stream, perhaps nmap still scanning) does not.
   */
  workers?: number;
}

/** Below this a file is read on the main thread: starting workers would cost more than they save. */
export const WORKER_MIN_BYTES = 8 * 1024 * 1024;
/** Batches handed to workers and not yet taken back; bounds memory to a few input chunks. */
const MAX_IN_FLIGHT = 6;

/**
 * Reads nmap -oX output host by host, yielding each port's observation as soon as its <host> element
 * is complete, so results appear while `nmap -oX -` is still running and memory is bounded by the
 * largest host, not the document. Pass `summary` to read what was found (hosts, whether the document
 * was complete, notices) once the iteration is over; it is also the generator's return value.
 *
 * Throws InputError (one line naming `origin`) for empty or non-XML input, XML that is not nmap's, and
 * nmap XML without any ssl-enum-ciphers result. A document cut off before </nmaprun> is not an error:
 * every complete host is yielded, `summary.complete` is false and a notice says so.
 */
export async function* readNmapXml(
  input: NmapXmlInput,
  origin = 'stdin',
  summary: NmapReadSummary = emptyNmapReadSummary(origin),
  options: NmapReadOptions = {},
): AsyncGenerator<TargetObservation, NmapReadSummary, undefined> {
  const reader = new NmapDocumentReader(origin, summary);
  const decoder = new XmlTextDecoder();
  const workers = options.workers ?? 0;
  if (workers > 0) {
    yield* readPooled(input, origin, reader, decoder, workers);
    return reader.summary;
  }
  try {
    for await (const chunk of input) {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      yield* reader.push(text);
    }
  } catch (error) {
    throw readError(error, origin);
  }
  yield* reader.push(decoder.end());
  yield* reader.end();
  return reader.summary;
}

/**
 * The same reading with hosts parsed by worker threads, one batch per input chunk, taken back in
 * document order. Whatever ends the reading early (unreadable input, a malformed host) ends it after
 * the hosts before it, exactly as on one thread.
 */
async function* readPooled(
  input: NmapXmlInput,
  origin: string,
  reader: NmapDocumentReader,
  decoder: XmlTextDecoder,
  workers: number,
): AsyncGenerator<TargetObservation, void, undefined> {
  const pool = new NmapParsePool(workers);
  const inFlight: Array<Promise<ParsedBatch>> = [];
  const send = (text: string) => {
    const hosts = reader.splitHosts(text);
    if (hosts.length === 0) return;
    const batch = pool.parse(hosts, reader.hostContext());
    batch.catch(() => {}); // awaited in turn below; not an unhandled rejection meanwhile
    inFlight.push(batch);
  };
  try {
    let failure: unknown;
    let batchFailed = false;
    try {
      for await (const chunk of input) {
        send(typeof chunk === 'string' ? chunk : decoder.write(chunk));
        while (inFlight.length > MAX_IN_FLIGHT) {
          let batch: ParsedBatch;
          try {
            batch = await inFlight.shift()!;
          } catch (error) {
            batchFailed = true;
            throw error;
          }
          yield* reader.acceptHosts(batch.results);
          if (batch.error) {
            batchFailed = true;
            throw batch.error;
          }
        }
      }
      send(decoder.end());
    } catch (error) {
      // A malformed host ends the reading at once; a failure to read ends it after what was sent.
      if (batchFailed) throw error;
      failure = error;
    }
    while (inFlight.length > 0) {
      const batch = await inFlight.shift()!;
      yield* reader.acceptHosts(batch.results);
      if (batch.error) throw batch.error;
    }
    if (failure !== undefined) throw readError(failure, origin);
    yield* reader.end();
  } finally {
    // Batches still in flight when the consumer stops early are dropped with their workers.
    await pool.close();
  }
}

function readError(error: unknown, origin: string): TlsAuditError {
  if (error instanceof TlsAuditError) return error;
  return new InputError(`Cannot read ${origin}: ${describeIoError(error)}.`, error);
}

/**
 * Streams an nmap XML file from disk ("-" reads stdin). A large file is parsed on worker threads
 * unless `options.workers` says otherwise; stdin never is, so a piped scan streams host by host.
 */
export function readNmapXmlFile(
  path: string,
  summary?: NmapReadSummary,
  options: NmapReadOptions = {},
): AsyncGenerator<TargetObservation, NmapReadSummary, undefined> {
  if (path === '-') return readNmapXml(process.stdin, 'stdin', summary, options);
  return readNmapXml(createReadStream(path, { highWaterMark: 256 * 1024 }), path, summary, { workers: options.workers ?? defaultWorkers(path) });
}

function defaultWorkers(path: string): number {
  const cores = availableParallelism();
  if (cores < 2) return 0;
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    return 0; // the read itself reports the problem
  }
  return size >= WORKER_MIN_BYTES ? Math.min(2, cores) : 0;
}

function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return errorMessage(error);
}
