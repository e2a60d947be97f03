import type { CertificateKeyType } from './policy.js';

/**
 * Sources name key types differently: SSL Labs "RSA"/"EC", the probe "RSA" or "EC prime256v1", nmap's ssl-cert
 * "rsa"/"ec". Undefined for anything not recognised, which is then not judged.
 */
export function normaliseKeyType(keyType: string | undefined): CertificateKeyType | undefined {
  if (keyType === undefined) return undefined;
  // The probe writes the curve after the type ("EC prime256v1"); only the first word is the type.
  const k = (keyType.trim().split(/[\s(]/)[0] ?? '').toLowerCase().replace(/[_-]/g, '');
  if (k === 'rsa' || k === 'rsaencryption' || k === 'rsassapss' || k === 'rsapss') return 'rsa';
  if (k === 'ec' || k === 'ecdsa' || k === 'idecpublickey' || k === 'ecpublickey') return 'ecdsa';
  if (k === 'dsa' || k === 'dss' || k === 'iddsa') return 'dsa';
  if (k === 'ed25519') return 'ed25519';
  if (k === 'ed448') return 'ed448';
  return undefined;
}
