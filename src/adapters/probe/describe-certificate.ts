import type { X509Certificate } from 'node:crypto';
import type { CertificateDetails } from '../../model/certificate.js';
import type { CertificateSummary } from '../../model/target.js';
import { groupByName } from '../../registry/index.js';
import { signatureAlgorithmOf } from './signature-algorithm.js';

/** Issued by itself: the names agree and its own key verifies its signature. */
export function isSelfSigned(cert: X509Certificate): boolean {
  if (cert.subject !== cert.issuer) return false;
  try {
    return cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

/** The facts of one certificate, read with node:crypto (and the ASN.1 schema package for the signature algorithm). */
export function describeCertificate(cert: X509Certificate): CertificateDetails {
  const d: CertificateDetails = {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    fingerprintSha256: cert.fingerprint256,
  };
  if (cert.subjectAltName) d.subjectAltNames = cert.subjectAltName.split(', ');
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails;
  const type = key.asymmetricKeyType;
  if (type !== undefined) d.keyType = type === 'ec' ? 'EC' : type.toUpperCase();
  if (details?.modulusLength !== undefined) d.keyBits = details.modulusLength;
  else if (details?.namedCurve) {
    d.curve = details.namedCurve;
    const bits = groupByName(details.namedCurve)?.bits;
    if (bits !== undefined) d.keyBits = bits;
  } else if (type === 'ed25519') d.keyBits = 256;
  else if (type === 'ed448') d.keyBits = 456;
  const sig = signatureAlgorithmOf(cert.raw);
  if (sig !== undefined) d.signatureAlgorithm = sig;
  d.selfSigned = isSelfSigned(cert);
  return d;
}

/** The leaf in brief, in the shape CertificateSummary readers know ("EC prime256v1" for EC keys). */
export function summariseLeaf(leaf: CertificateDetails): CertificateSummary {
  const s: CertificateSummary = {};
  if (leaf.subject !== undefined) s.subject = leaf.subject;
  if (leaf.subjectAltNames) s.subjectAltNames = leaf.subjectAltNames;
  if (leaf.issuer !== undefined) s.issuer = leaf.issuer;
  if (leaf.notBefore !== undefined) s.notBefore = leaf.notBefore;
  if (leaf.notAfter !== undefined) s.notAfter = leaf.notAfter;
  if (leaf.keyType !== undefined) s.keyType = leaf.curve ? `${leaf.keyType} ${leaf.curve}` : leaf.keyType;
  if (leaf.keyBits !== undefined) s.keyBits = leaf.keyBits;
  if (leaf.signatureAlgorithm !== undefined) s.signatureAlgorithm = leaf.signatureAlgorithm;
  if (leaf.fingerprintSha256 !== undefined) s.fingerprintSha256 = leaf.fingerprintSha256;
  return s;
}
