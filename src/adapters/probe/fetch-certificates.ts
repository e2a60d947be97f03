import type { X509Certificate } from 'node:crypto';
import { connect as tlsConnect, createSecureContext, type ConnectionOptions, type PeerCertificate, type SecureContext } from 'node:tls';
import type { CertificateKeyFamily } from '../../model/certificate.js';
import { Connection, MAX_TIMER_MS } from './connection.js';
import { parsedCertificate } from './parsed-certificate.js';
import type { HttpProxy } from './http-proxy.js';
import { framedStream } from './upgrades/tds.js';
import { startTls, type StartTlsProtocol } from './starttls.js';

export interface CertificateFetchOptions {
  /** Tunnel the connection through this HTTP proxy (CONNECT). */
  proxy?: HttpProxy;
  address: string;
  port: number;
  serverName?: string;
  starttls?: StartTlsProtocol;
  domain?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onConnect?: () => void;
  /** Offer only this signature family, to make a server with RSA and ECDSA certificates show each. */
  keyFamily?: CertificateKeyFamily;
}

/** What one completed handshake showed of the server's certificates. */
export interface PeerChain {
  /** Leaf first, then its issuers as OpenSSL linked them (not necessarily as sent). */
  chain: X509Certificate[];
  ocspStapled: boolean;
  protocol: string | null;
}

// node:tls takes TLS 1.3 suites from the same list, and a list without any turns TLS 1.3 off.
const TLS13_SUITES = 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256';
const FAMILY_OFFER: Record<CertificateKeyFamily | 'any', { ciphers: string; sigalgs?: string }> = {
  any: { ciphers: `${TLS13_SUITES}:ALL:@SECLEVEL=0` },
  rsa: {
    ciphers: `${TLS13_SUITES}:aRSA:@SECLEVEL=0`,
    sigalgs: 'rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512:RSA+SHA256:RSA+SHA384:RSA+SHA512:RSA+SHA224:RSA+SHA1',
  },
  ecdsa: {
    ciphers: `${TLS13_SUITES}:aECDSA:@SECLEVEL=0`,
    sigalgs: 'ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ECDSA+SHA224:ECDSA+SHA1',
  },
};

const contexts = new Map<CertificateKeyFamily | 'any', SecureContext>();

/**
 * One TLS context per offer, made once: building a context (OpenSSL's SSL_CTX with its suite and
 * signature lists) for every certificate connection cost more CPU than the handshake's client side.
 */
function contextFor(family: CertificateKeyFamily | 'any'): SecureContext {
  let context = contexts.get(family);
  if (!context) {
    const offer = FAMILY_OFFER[family];
    context = createSecureContext({ minVersion: 'TLSv1', ciphers: offer.ciphers, ...(offer.sigalgs && { sigalgs: offer.sigalgs }) });
    contexts.set(family, context);
  }
  return context;
}

function chainOf(peer: PeerCertificate & { issuerCertificate?: PeerCertificate }): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = peer;
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(parsedCertificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/**
 * Completes one real handshake with node:tls (verification off: this is evidence, and the chain is
 * judged separately) asking for a stapled OCSP response. Old protocols and suites are allowed so that
 * servers that speak nothing newer still show their certificate.
 */
export async function fetchPeerChain(options: CertificateFetchOptions): Promise<PeerChain> {
  const deadline = Date.now() + options.timeoutMs;
  const conn = await Connection.open({ address: options.address, port: options.port, deadline, signal: options.signal, onConnect: options.onConnect, proxy: options.proxy });
  try {
    if (options.starttls) await startTls(conn, options.starttls, options.domain);
    const socket = conn.detach();
    // requestOCSP is passed on to the TLSSocket by tls.connect, though its type does not list it.
    const connectOptions: ConnectionOptions & { requestOCSP: boolean } = {
      // MSSQL wraps the handshake in TDS packets (upgrades/tds.ts); everything else speaks TLS on the socket.
      socket: conn.framing ? framedStream(socket, conn.framing) : socket,
      servername: options.serverName,
      rejectUnauthorized: false,
      secureContext: contextFor(options.keyFamily ?? 'any'),
      requestOCSP: true,
    };
    const secure = tlsConnect(connectOptions);
    let ocspStapled = false;
    secure.on('OCSPResponse', (response: Buffer | null) => {
      if (response && response.length > 0) ocspStapled = true;
    });
    const peer = await new Promise<PeerCertificate>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no certificate within ${options.timeoutMs} ms`)), Math.min(MAX_TIMER_MS, Math.max(0, deadline - Date.now())));
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        resolve(secure.getPeerCertificate(true));
      });
      secure.once('error', (err: Error & { reason?: string }) => {
        clearTimeout(timer);
        // OpenSSL's errors put a multi-line dump in `message`; `reason` is the readable part.
        reject(err.reason ? new Error(`the TLS handshake failed (${err.reason})`) : err);
      });
      socket.once('close', () => {
        clearTimeout(timer);
        reject(new Error('the server closed the connection during the handshake'));
      });
    });
    const protocol = secure.getProtocol();
    secure.destroy();
    const chain = peer.raw ? chainOf(peer) : [];
    if (chain.length === 0) throw new Error('the server sent no certificate');
    return { chain, ocspStapled, protocol };
  } finally {
    conn.close();
  }
}
