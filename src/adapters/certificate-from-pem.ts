import { X509Certificate } from 'node:crypto';
import type { CertificateDetails } from '../model/certificate.js';
import { groupByName } from '../registry/index.js';

/**
 * A certificate's facts read from its PEM, when a tool saved it (testssl.sh, sslyze, nmap's ssl-cert):
 * the DER is the one record every tool agrees on, where their prose spells names and dates each its own
 * way. Undefined when the text holds no certificate Node can read. The signature algorithm is not
 * exposed by node:crypto and stays with the tool's own words.
 */
export function certificateFromPem(pem: string | undefined): CertificateDetails | undefined {
  if (!pem) return undefined;
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (body === undefined) return undefined;
  // testssl.sh writes the PEM on one line, its line breaks turned into spaces.
  const normalised = `-----BEGIN CERTIFICATE-----\n${body.replace(/\s+/g, '').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(normalised);
  } catch {
    return undefined;
  }
  const details: CertificateDetails = {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    serialNumber: cert.serialNumber.toUpperCase(),
    fingerprintSha256: cert.fingerprint256,
  };
  const notBefore = isoOrUndefined(cert.validFrom);
  const notAfter = isoOrUndefined(cert.validTo);
  if (notBefore) details.notBefore = notBefore;
  if (notAfter) details.notAfter = notAfter;
  if (cert.subjectAltName) details.subjectAltNames = cert.subjectAltName.split(', ');
  const key = cert.publicKey;
  const type = key.asymmetricKeyType;
  const d = key.asymmetricKeyDetails;
  if (type === 'rsa' || type === 'rsa-pss') {
    details.keyType = 'RSA';
    if (d?.modulusLength !== undefined) details.keyBits = d.modulusLength;
  } else if (type === 'ec') {
    details.keyType = 'EC';
    if (d?.namedCurve) {
      details.curve = d.namedCurve;
      const bits = groupByName(d.namedCurve)?.bits;
      if (bits !== undefined) details.keyBits = bits;
    }
  } else if (type === 'dsa') {
    details.keyType = 'DSA';
    if (d?.modulusLength !== undefined) details.keyBits = d.modulusLength;
  } else if (type) {
    details.keyType = type.toUpperCase();
  }
  details.selfSigned = cert.subject === cert.issuer && safeVerify(cert);
  return details;
}

function safeVerify(cert: X509Certificate): boolean {
  try {
    return cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

function isoOrUndefined(text: string): string | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
