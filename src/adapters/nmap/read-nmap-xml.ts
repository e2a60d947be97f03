import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { InputError, TlsAuditError, errorMessage } from '../../errors.js';
import type { TargetObservation } from '../../model/target.js';
import { NmapDocumentReader, emptyNmapReadSummary, type NmapReadSummary } from './nmap-document-reader.js';

/** Bytes or text as they arrive: a Node stream (a file, stdin, nmap's stdout) or any iterable of chunks. */
export type NmapXmlInput = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

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
): AsyncGenerator<TargetObservation, NmapReadSummary, undefined> {
  const reader = new NmapDocumentReader(origin, summary);
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of input) {
      const text = typeof chunk === 'string' ? chunk : decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      yield* reader.push(text);
    }
  } catch (error) {
    if (error instanceof TlsAuditError) throw error;
    throw new InputError(`Cannot read ${origin}: ${describeIoError(error)}.`, error);
  }
  yield* reader.push(decoder.end());
  reader.end();
  return reader.summary;
}

/** Streams an nmap XML file from disk ("-" reads stdin). */
export function readNmapXmlFile(path: string, summary?: NmapReadSummary): AsyncGenerator<TargetObservation, NmapReadSummary, undefined> {
  if (path === '-') return readNmapXml(process.stdin, 'stdin', summary);
  return readNmapXml(createReadStream(path, { highWaterMark: 256 * 1024 }), path, summary);
}

function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return errorMessage(error);
}
