import { ByteWriter } from './bytes.js';
import { describeNonTls } from './non-tls.js';
import { codecError, needMore, ok, type Parsed } from './result.js';
import { CONTENT_TYPE_NAMES, MAX_RECORD_LENGTH } from './tables.js';

export interface TlsRecord {
  contentType: number;
  version: number;
  fragment: Uint8Array;
}

const HEADER = 5;

/**
 * Reads one record at `offset` (RFC 5246 §6.2.1). A header naming an unknown content type or a major
 * version other than 3 is not TLS; a length above 2^14+2048 is refused before waiting for it, so a
 * hostile header cannot make the caller buffer megabytes.
 */
export function parseRecord(buf: Uint8Array, offset = 0): Parsed<TlsRecord> {
  const available = buf.length - offset;
  if (available <= 0) return needMore(HEADER);
  const contentType = buf[offset]!;
  if (!CONTENT_TYPE_NAMES.has(contentType)) {
    return codecError('not-tls', describeNonTls(buf.subarray(offset)));
  }
  if (available >= 2 && buf[offset + 1] !== 3) {
    return codecError('not-tls', describeNonTls(buf.subarray(offset)));
  }
  if (available < HEADER) return needMore(HEADER - available);
  const version = (buf[offset + 1]! << 8) | buf[offset + 2]!;
  const length = (buf[offset + 3]! << 8) | buf[offset + 4]!;
  if (length > MAX_RECORD_LENGTH) {
    return codecError('record-overflow', `a record header announces ${length} bytes, more than the ${MAX_RECORD_LENGTH} TLS allows`);
  }
  if (available < HEADER + length) return needMore(HEADER + length - available);
  return ok(
    { contentType, version, fragment: buf.subarray(offset + HEADER, offset + HEADER + length) },
    offset + HEADER + length,
  );
}

export function buildRecord(contentType: number, version: number, fragment: Uint8Array): Uint8Array {
  const w = new ByteWriter();
  // Large payloads are split so that no record exceeds 2^14 bytes (RFC 5246 §6.2.1).
  for (let at = 0; at < fragment.length || at === 0; at += 2 ** 14) {
    const part = fragment.subarray(at, Math.min(fragment.length, at + 2 ** 14));
    w.u8(contentType).u16(version).u16(part.length).bytes(part);
    if (fragment.length === 0) break;
  }
  return w.finish();
}
