import { X509Certificate } from 'node:crypto';

/**
 * Certificates already parsed, by their DER bytes. A server sends the same chain on every handshake,
 * and the servers of a fleet share their intermediates, so a sweep parses the same few certificates
 * thousands of times. X509Certificate objects are immutable, so one may serve every target. Bounded:
 * emptied when full.
 */
const parsed = new Map<string, X509Certificate>();
const PARSED_LIMIT = 512;

/** The parsed certificate of these DER bytes; throws as `new X509Certificate` does when they do not parse. */
export function parsedCertificate(der: Uint8Array): X509Certificate {
  const id = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
  let cert = parsed.get(id);
  if (!cert) {
    cert = new X509Certificate(der);
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(id, cert);
  }
  return cert;
}
