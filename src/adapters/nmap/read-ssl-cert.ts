import type { CertificateDetails, CertificateObservation } from '../../model/certificate.js';
import type { Provenance } from '../../model/source.js';
import { certificateFromPem } from '../certificate-from-pem.js';
import { toIsoDate, validityFacts } from '../observation-builder.js';

/** The parts of nmap's script tables ssl-cert uses: keyed sub-tables, keyless list entries and keyed values. */
export interface SslCertTable {
  tables: Map<string, SslCertTable>;
  list: SslCertTable[];
  elems: Map<string, string>;
}

/** OpenSSL's short names for the attributes ssl-cert writes long ("commonName" → "CN"), as RFC 4514 §3 lists them. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  commonName: 'CN',
  countryName: 'C',
  localityName: 'L',
  stateOrProvinceName: 'ST',
  organizationName: 'O',
  organizationalUnitName: 'OU',
  streetAddress: 'STREET',
  domainComponent: 'DC',
};

function distinguishedName(table: SslCertTable | undefined): string | undefined {
  if (!table || table.elems.size === 0) return undefined;
  return [...table.elems].map(([k, v]) => `${Object.hasOwn(SHORT_NAMES, k) ? SHORT_NAMES[k] : k}=${v}`).join(', ');
}

/**
 * nmap's ssl-cert script output into the certificate evidence of the port: from the PEM when nmap saved
 * it (every fact, and the SHA-256 fingerprint nmap does not print), else from its tables. ssl-cert
 * reports the leaf only, and judges nothing about trust.
 */
export function readSslCert(table: SslCertTable, provenance: Provenance): CertificateObservation | undefined {
  const leaf: CertificateDetails = { ...certificateFromPem(table.elems.get('pem')) };
  const subject = distinguishedName(table.tables.get('subject'));
  if (!leaf.subject && subject) leaf.subject = subject;
  const issuer = distinguishedName(table.tables.get('issuer'));
  if (!leaf.issuer && issuer) leaf.issuer = issuer;
  const validity = table.tables.get('validity');
  if (!leaf.notBefore) {
    const d = toIsoDate(validity?.elems.get('notBefore'));
    if (d) leaf.notBefore = d;
  }
  if (!leaf.notAfter) {
    const d = toIsoDate(validity?.elems.get('notAfter'));
    if (d) leaf.notAfter = d;
  }
  const key = table.tables.get('pubkey');
  const type = key?.elems.get('type');
  if (!leaf.keyType && type) leaf.keyType = type === 'ec' ? 'EC' : type.toUpperCase();
  const bits = Number(key?.elems.get('bits'));
  if (leaf.keyBits === undefined && Number.isInteger(bits) && bits > 0) leaf.keyBits = bits;
  const curve = key?.tables.get('ecdhparams')?.tables.get('curve_params')?.elems.get('curve');
  if (!leaf.curve && curve) leaf.curve = curve;
  if (!leaf.subjectAltNames) {
    const san = table.tables.get('extensions')?.list.find((e) => e.elems.get('name') === 'X509v3 Subject Alternative Name')?.elems.get('value');
    if (san) leaf.subjectAltNames = san.split(/,\s*/).filter(Boolean);
  }
  const sig = table.elems.get('sig_algo');
  if (sig) leaf.signatureAlgorithm = sig;
  if (Object.keys(leaf).length === 0) return undefined;
  return { ...provenance, chain: [leaf], ...validityFacts(leaf, provenance.observedAt) };
}
