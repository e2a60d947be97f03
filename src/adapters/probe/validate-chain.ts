import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { InputError } from '../../errors.js';
import type { CertificateValidation } from '../../model/certificate.js';
import { isSelfSigned } from './describe-certificate.js';

/** Certificates a chain may end at, and the name a report gives them. */
export interface TrustStore {
  name: string;
  anchors: readonly X509Certificate[];
}

const DAY_MS = 86_400_000;
let bundled: TrustStore | undefined;

/** Node's bundled root store (Mozilla's CA list, as node:tls ships it). */
export function bundledTrustStore(): TrustStore {
  bundled ??= { name: 'node', anchors: rootCertificates.map((pem) => new X509Certificate(pem)) };
  return bundled;
}

/** Every PEM certificate in a file, for a private PKI (--ca-file). */
export function loadTrustStore(path: string): TrustStore {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`Cannot read the CA file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const anchors: X509Certificate[] = [];
  for (const pem of pems) {
    try {
      anchors.push(new X509Certificate(pem));
    } catch {
      throw new InputError(`The CA file ${path} holds a certificate that does not parse.`);
    }
  }
  if (anchors.length === 0) throw new InputError(`The CA file ${path} holds no PEM certificate.`);
  return { name: `ca-file:${path}`, anchors };
}

function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  if (!subject.checkIssued(issuer)) return false;
  try {
    return subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export interface ValidateOptions {
  store: TrustStore;
  /** The name asked for (the SNI name, else the target's host); undefined skips the name check. */
  hostname?: string;
  /** The time dates are judged at. */
  at: Date;
}

/**
 * Judges a chain as the server sent it (leaf first). Trust is a path from the leaf, through certificates
 * the server sent in any order, to an anchor of the store, each link checked by name and signature with
 * node:crypto; dates are judged separately (an expired leaf on a trusted path is trusted and expired).
 */
export function validateChain(sent: readonly X509Certificate[], options: ValidateOptions): CertificateValidation {
  const leaf = sent[0];
  const v: CertificateValidation = { checkedAt: options.at.toISOString(), trustStore: options.store.name };
  if (!leaf) return v;
  const anchors = options.store.anchors;
  const isAnchor = (c: X509Certificate): boolean => anchors.some((a) => a.fingerprint256 === c.fingerprint256);

  const path = [leaf];
  let current = leaf;
  for (;;) {
    if (isAnchor(current)) {
      v.trusted = true;
      v.chainComplete = true;
      break;
    }
    const anchor = anchors.find((a) => issued(a, current));
    if (anchor) {
      v.trusted = true;
      v.chainComplete = true;
      break;
    }
    if (isSelfSigned(current)) {
      v.trusted = false;
      v.chainComplete = true;
      v.trustError = current === leaf ? 'self-signed certificate' : 'self-signed certificate in certificate chain';
      break;
    }
    const next = sent.find((c) => !path.includes(c) && issued(c, current));
    if (next) {
      path.push(next);
      current = next;
      continue;
    }
    v.trusted = false;
    const issuer = current.issuer.split('\n').join(', ');
    v.trustError = `unable to get local issuer certificate (${issuer})`;
    // A leaf whose issuer the server did not send needs an intermediate the client may not have; above a
    // CA certificate the missing one may as well be an unknown root, which a server need not send.
    if (!current.ca) v.chainComplete = false;
    break;
  }
  v.chainInOrder = sent.every((c, i) => i === 0 || issued(c, sent[i - 1]!));

  if (options.hostname !== undefined) {
    v.hostnameChecked = options.hostname;
    // RFC 6125 section 6.4.3: a wildcard stands for one whole left-most label and nothing less.
    v.hostnameMatches = isIP(options.hostname)
      ? leaf.checkIP(options.hostname) !== undefined
      : leaf.checkHost(options.hostname, { partialWildcards: false, multiLabelWildcards: false }) !== undefined;
  }

  const at = options.at.getTime();
  const notBefore = new Date(leaf.validFrom).getTime();
  const notAfter = new Date(leaf.validTo).getTime();
  v.expired = at > notAfter;
  v.notYetValid = at < notBefore;
  v.daysLeft = Math.floor((notAfter - at) / DAY_MS);
  return v;
}
