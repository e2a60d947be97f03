import { X509Certificate } from 'node:crypto';
import { DerCache } from './der-cache.js';

/**
 * Certificates already parsed, by their DER bytes. A server sends the same chain on every handshake,
 * and the servers of a fleet share their intermediates, so a sweep parses the same few certificates
 * thousands of times. X509Certificate objects are immutable, so one may serve every target.
 */
const parsed = new DerCache<X509Certificate>(2 * 1024 * 1024);

/** The parsed certificate of these DER bytes; throws as `new X509Certificate` does when they do not parse. */
export function parsedCertificate(der: Uint8Array): X509Certificate {
  return parsed.get(der, (bytes) => new X509Certificate(bytes));
}
