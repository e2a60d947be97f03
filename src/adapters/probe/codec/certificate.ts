import { ByteReader, ByteWriter } from './bytes.js';
import { codecError, ok, type Parsed } from './result.js';

/** Reads a TLS <= 1.2 Certificate body: a 24-bit list of 24-bit DER certificates (RFC 5246 §7.4.2). */
export function parseCertificateList(body: Uint8Array): Parsed<Uint8Array[]> {
  const r = new ByteReader(body);
  const list = r.vector(3);
  if (list === undefined) return codecError('decode-error', `a Certificate message of ${body.length} bytes is truncated`);
  const certs: Uint8Array[] = [];
  const lr = new ByteReader(list);
  while (lr.remaining > 0) {
    const der = lr.vector(3);
    if (der === undefined) return codecError('decode-error', 'a Certificate message has a truncated certificate entry');
    certs.push(der);
  }
  return ok(certs, r.offset);
}

export function buildCertificateList(certs: readonly Uint8Array[]): Uint8Array {
  return new ByteWriter()
    .vector(3, (l) => {
      for (const c of certs) l.vector(3, (d) => d.bytes(c));
    })
    .finish();
}
