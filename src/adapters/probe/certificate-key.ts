import { DerCache } from './der-cache.js';
import { parsedCertificate } from './parsed-certificate.js';

/** A certificate's public key: its type (rsa, ec, ed25519, ...), RSA modulus size or EC curve. */
export interface CertificateKey {
  type: string;
  bits?: number;
  curve?: string;
}

/**
 * Keys already read, by the certificate's bytes: a server sends the same leaf with every hello it
 * accepts (about fifty per server in a sweep, and a fleet often shares one certificate), and reading
 * the key was an eighth of the probe's CPU.
 */
const known = new DerCache<CertificateKey | undefined>(1024 * 1024);

/** The key of a DER certificate from a TLS Certificate message; undefined when it does not parse. */
export function certificateKey(der: Uint8Array): CertificateKey | undefined {
  const key = known.get(der, readKey);
  return key && { ...key };
}

function readKey(der: Uint8Array): CertificateKey | undefined {
  try {
    const key = parsedCertificate(der).publicKey;
    const details = key.asymmetricKeyDetails;
    const out: CertificateKey = { type: key.asymmetricKeyType ?? 'unknown' };
    if (details?.modulusLength !== undefined) out.bits = details.modulusLength;
    if (details?.namedCurve !== undefined) out.curve = details.namedCurve;
    return out;
  } catch {
    return undefined;
  }
}
