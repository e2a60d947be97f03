import type { X509Certificate } from 'node:crypto';
import type { CertificateKeyFamily, CertificateObservation } from '../../model/certificate.js';
import type { Provenance } from '../../model/source.js';
import { describeCertificate } from './describe-certificate.js';
import { parsedCertificate } from './parsed-certificate.js';
import type { PeerChain } from './fetch-certificates.js';
import { validateChain, type TrustStore } from './validate-chain.js';

export interface ObserveOptions {
  provenance: Provenance;
  store: TrustStore;
  serverName?: string;
  /** The name checked against the certificate: the SNI name, else the target (an address is checked as one). */
  hostname?: string;
  /** When the dates are judged (the probe's start). */
  at: Date;
  /** The list a TLS <= 1.2 handshake received with this leaf, as sent; OpenSSL's linked chain otherwise. */
  sentChain?: (leafDer: Uint8Array) => Uint8Array[] | undefined;
}

/** One chain the probe saw, described and judged. */
export function observeCertificate(peer: PeerChain, keyFamily: CertificateKeyFamily | undefined, options: ObserveOptions): CertificateObservation {
  const leaf = peer.chain[0]!;
  const raw = options.sentChain?.(leaf.raw);
  let sent: X509Certificate[];
  let asSent = false;
  try {
    sent = raw ? raw.map((der) => parsedCertificate(der)) : peer.chain;
    asSent = raw !== undefined;
  } catch {
    sent = peer.chain;
  }
  const validation = validateChain(sent, { store: options.store, at: options.at, ...(options.hostname !== undefined && { hostname: options.hostname }) });
  // Without the list as sent (a TLS 1.3 handshake encrypts it) OpenSSL's linking says nothing about order.
  if (!asSent) delete validation.chainInOrder;
  const o: CertificateObservation = { ...options.provenance, chain: sent.map(describeCertificate), ...validation, ocspStapled: peer.ocspStapled };
  if (options.serverName !== undefined) o.serverName = options.serverName;
  if (keyFamily) o.keyFamily = keyFamily;
  return o;
}
