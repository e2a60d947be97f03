import { isIP } from 'node:net';
import type { CertificateDetails, CertificateKeyFamily, CertificateObservation } from '../../model/certificate.js';
import type { Provenance } from '../../model/source.js';
import type { SslLabsCert, SslLabsCertChain, SslLabsEndpoint, SslLabsHost } from './api-types.js';

// Bits of Cert.issues and CertChain.issues (SSL Labs API v3/v4 documentation).
const CERT_NO_TRUST = 1;
const CERT_HOSTNAME_MISMATCH = 8;
const CERT_REVOKED = 16;
const CERT_SELF_SIGNED = 64;
const CHAIN_INCOMPLETE = 2;
const CHAIN_ORDER = 8;
const REVOCATION_REVOKED = 1;
const REVOCATION_GOOD = 2;
const DAY_MS = 86_400_000;
/** The store a report names first: the one Node ships, so probe and SSL Labs speak of the same roots. */
const PRIMARY_STORE = 'Mozilla';

function iso(ms: number | undefined): string | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** "ab12..." to "AB:12:...", the form node:crypto gives, so fingerprints compare across sources. */
function colonHex(hex: string): string {
  return /^[0-9a-f]+$/i.test(hex) && hex.length % 2 === 0 ? hex.toUpperCase().match(/../g)!.join(':') : hex;
}

function bit(value: number | undefined, flag: number): boolean | undefined {
  return typeof value === 'number' ? (value & flag) !== 0 : undefined;
}

function describe(cert: SslLabsCert): CertificateDetails {
  const d: CertificateDetails = {};
  if (typeof cert.subject === 'string') d.subject = cert.subject;
  if (Array.isArray(cert.altNames)) d.subjectAltNames = cert.altNames.filter((n) => typeof n === 'string').map((n) => (isIP(n) ? `IP Address:${n}` : `DNS:${n}`));
  if (typeof cert.issuerSubject === 'string') d.issuer = cert.issuerSubject;
  if (typeof cert.serialNumber === 'string') d.serialNumber = cert.serialNumber.toUpperCase();
  const notBefore = iso(cert.notBefore);
  const notAfter = iso(cert.notAfter);
  if (notBefore) d.notBefore = notBefore;
  if (notAfter) d.notAfter = notAfter;
  if (typeof cert.keyAlg === 'string') d.keyType = cert.keyAlg;
  if (Number.isInteger(cert.keySize) && (cert.keySize as number) > 0) d.keyBits = cert.keySize as number;
  if (typeof cert.sigAlg === 'string') d.signatureAlgorithm = cert.sigAlg;
  if (typeof cert.sha256Hash === 'string') d.fingerprintSha256 = colonHex(cert.sha256Hash);
  const selfSigned = bit(cert.issues, CERT_SELF_SIGNED);
  if (selfSigned !== undefined) d.selfSigned = selfSigned || (d.subject !== undefined && d.subject === d.issuer);
  else if (d.subject !== undefined && d.issuer !== undefined) d.selfSigned = d.subject === d.issuer;
  return d;
}

function familyOf(cert: SslLabsCert | undefined): CertificateKeyFamily | undefined {
  const alg = typeof cert?.keyAlg === 'string' ? cert.keyAlg.toUpperCase() : undefined;
  return alg === 'RSA' ? 'rsa' : alg === 'EC' || alg === 'ECDSA' ? 'ecdsa' : undefined;
}

/** Trust as SSL Labs judged it in Mozilla's store (any of its paths), else in any store it names. */
type Trust = { isTrusted?: unknown; rootStore?: unknown; trustErrorMessage?: unknown };

function trustOf(chain: SslLabsCertChain): { trusted?: boolean; store?: string; error?: string } {
  // A saved file can hold anything where a list or an object belongs: only well-formed verdicts count.
  const paths: unknown[] = Array.isArray(chain.trustPaths) ? chain.trustPaths : [];
  const verdicts = paths
    .flatMap((p) => (p !== null && typeof p === 'object' && Array.isArray((p as { trust?: unknown }).trust) ? ((p as { trust: unknown[] }).trust as Trust[]) : []))
    .filter((t) => t !== null && typeof t === 'object' && typeof t.isTrusted === 'boolean');
  if (verdicts.length === 0) return {};
  const primary = verdicts.filter((t) => t.rootStore === PRIMARY_STORE);
  const judged = primary.length > 0 ? primary : verdicts;
  const store = primary.length > 0 ? PRIMARY_STORE : [...new Set(judged.map((t) => t.rootStore).filter((x): x is string => typeof x === 'string' && x !== ''))].join(', ') || undefined;
  if (judged.some((t) => t.isTrusted)) return { trusted: true, ...(store && { store }) };
  const error = judged.map((t) => t.trustErrorMessage).find((m): m is string => typeof m === 'string' && m !== '');
  return { trusted: false, ...(store && { store }), ...(error && { error }) };
}

/**
 * Every chain SSL Labs saw on an endpoint (with SNI, and without when the server sends another), mapped
 * to the one model with SSL Labs as provenance. Dates are judged at the assessment's testTime, as every
 * source's are judged at its own observation time.
 */
export function certificateObservations(endpoint: SslLabsEndpoint, host: SslLabsHost, provenance: Provenance, hostname: string): CertificateObservation[] {
  const certs = new Map<string, SslLabsCert>();
  for (const c of Array.isArray(host.certs) ? host.certs : []) if (c && typeof c.id === 'string') certs.set(c.id, c);
  const chains = (Array.isArray(endpoint.details?.certChains) ? endpoint.details.certChains : []).filter((c): c is SslLabsCertChain => c !== null && typeof c === 'object');
  const withSni = chains.filter((c) => c.noSni !== true);
  const idsOf = (c: SslLabsCertChain): string[] => (Array.isArray(c.certIds) ? c.certIds.filter((id): id is string => typeof id === 'string') : []);
  const families = new Set(withSni.map((c) => familyOf(certs.get(idsOf(c)[0] ?? ''))));
  const out: CertificateObservation[] = [];
  for (const chain of chains) {
    const sent = idsOf(chain).map((id) => certs.get(id)).filter((c): c is SslLabsCert => c !== undefined);
    const leaf = sent[0];
    if (!leaf) continue;
    const o: CertificateObservation = { ...provenance, chain: sent.map(describe) };
    if (chain.noSni !== true && hostname) o.serverName = hostname;
    const family = familyOf(leaf);
    if (chain.noSni !== true && families.size > 1 && family) o.keyFamily = family;
    const at = provenance.observedAt;
    if (at !== undefined) o.checkedAt = at;
    const trust = trustOf(chain);
    const noTrust = bit(leaf.issues, CERT_NO_TRUST);
    if (trust.trusted !== undefined) o.trusted = trust.trusted && noTrust !== true;
    else if (noTrust !== undefined) o.trusted = !noTrust;
    if (trust.store) o.trustStore = trust.store;
    if (trust.error && o.trusted === false) o.trustError = trust.error;
    const mismatch = bit(leaf.issues, CERT_HOSTNAME_MISMATCH);
    if (mismatch !== undefined && hostname) {
      o.hostnameChecked = hostname;
      o.hostnameMatches = !mismatch;
    }
    const incomplete = bit(chain.issues, CHAIN_INCOMPLETE);
    if (incomplete !== undefined) o.chainComplete = !incomplete;
    const disorder = bit(chain.issues, CHAIN_ORDER);
    if (disorder !== undefined) o.chainInOrder = !disorder;
    const time = at !== undefined ? Date.parse(at) : NaN;
    if (!Number.isNaN(time) && Number.isFinite(leaf.notAfter) && iso(leaf.notAfter) !== undefined) {
      o.expired = time > (leaf.notAfter as number);
      o.daysLeft = Math.floor(((leaf.notAfter as number) - time) / DAY_MS);
    }
    if (!Number.isNaN(time) && iso(leaf.notBefore) !== undefined) o.notYetValid = time < (leaf.notBefore as number);
    if (typeof endpoint.details?.ocspStapling === 'boolean' && chain.noSni !== true) o.ocspStapled = endpoint.details.ocspStapling;
    if (leaf.revocationStatus === REVOCATION_REVOKED || bit(leaf.issues, CERT_REVOKED) === true) o.revoked = true;
    else if (leaf.revocationStatus === REVOCATION_GOOD) o.revoked = false;
    out.push(o);
  }
  return out;
}
