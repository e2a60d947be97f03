import { ByteWriter } from './bytes.js';
import { codecError, needMore, ok, type Parsed } from './result.js';

export interface HandshakeMessage {
  type: number;
  body: Uint8Array;
}

/**
 * Handshake messages may span records or share one (RFC 5246 §6.2.1), so they are read from the
 * concatenated fragments of handshake records. `maxLength` bounds what a hostile header can ask us to wait
 * for; a certificate chain is the largest message a probe reads.
 */
export function parseHandshakeMessage(buf: Uint8Array, offset = 0, maxLength = 2 ** 17): Parsed<HandshakeMessage> {
  const available = buf.length - offset;
  if (available < 4) return needMore(4 - Math.max(0, available));
  const type = buf[offset]!;
  const length = (buf[offset + 1]! << 16) | (buf[offset + 2]! << 8) | buf[offset + 3]!;
  if (length > maxLength) {
    return codecError('message-too-long', `a handshake message of type ${type} announces ${length} bytes, more than the ${maxLength} accepted`);
  }
  if (available < 4 + length) return needMore(4 + length - available);
  return ok({ type, body: buf.subarray(offset + 4, offset + 4 + length) }, offset + 4 + length);
}

export function buildHandshakeMessage(type: number, body: Uint8Array): Uint8Array {
  return new ByteWriter().u8(type).u24(body.length).bytes(body).finish();
}

export interface Extension {
  type: number;
  data: Uint8Array;
}

/** Reads an extensions block (without its 2-byte length) into a list; undefined when malformed. */
export function parseExtensionList(data: Uint8Array): Extension[] | undefined {
  const out: Extension[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + 4 > data.length) return undefined;
    const type = (data[at]! << 8) | data[at + 1]!;
    const len = (data[at + 2]! << 8) | data[at + 3]!;
    if (at + 4 + len > data.length) return undefined;
    out.push({ type, data: data.subarray(at + 4, at + 4 + len) });
    at += 4 + len;
  }
  return out;
}

export function writeExtensions(w: ByteWriter, extensions: readonly Extension[]): void {
  w.vector(2, (e) => {
    for (const x of extensions) e.u16(x.type).vector(2, (d) => d.bytes(x.data));
  });
}
