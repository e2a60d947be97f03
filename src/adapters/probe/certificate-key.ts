import { X509Certificate } from 'node:crypto';

/** A certificate's public key: its type (rsa, ec, ed25519, ...), RSA modulus size or EC curve. */
export interface CertificateKey {
  type: string;
  bits?: number;
  curve?: string;
}

/** The key of a DER certificate from a TLS Certificate message; undefined when it does not parse. */
export function certificateKey(der: Uint8Array): CertificateKey | undefined {
  try {
    const key = new X509Certificate(der).publicKey;
    const details = key.asymmetricKeyDetails;
    const out: CertificateKey = { type: key.asymmetricKeyType ?? 'unknown' };
    if (details?.modulusLength !== undefined) out.bits = details.modulusLength;
    if (details?.namedCurve !== undefined) out.curve = details.namedCurve;
    return out;
  } catch {
    return undefined;
  }
}
