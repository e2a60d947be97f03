import { connect as tlsConnect } from 'node:tls';
import type { CertificateSummary } from '../../model/target.js';
import { groupByName } from '../../registry/index.js';
import { Connection, MAX_TIMER_MS } from './connection.js';
import { startTls, type StartTlsProtocol } from './starttls.js';
import type { HttpProxy } from './http-proxy.js';
import { framedStream } from './upgrades/tds.js';

export interface CertificateFetchOptions {
  address: string;
  port: number;
  serverName?: string;
  starttls?: StartTlsProtocol;
  domain?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onConnect?: () => void;
  proxy?: HttpProxy;
}

/**
 * Completes one real handshake with node:tls (verification off: this is evidence, not trust) and
 * summarises the leaf certificate. Old protocols and suites are allowed so that servers that speak
 * nothing newer still show their certificate.
 */
export async function fetchCertificateSummary(options: CertificateFetchOptions): Promise<CertificateSummary> {
  const deadline = Date.now() + options.timeoutMs;
  const conn = await Connection.open({ address: options.address, port: options.port, deadline, signal: options.signal, onConnect: options.onConnect, proxy: options.proxy });
  try {
    if (options.starttls) await startTls(conn, options.starttls, options.domain);
    const socket = conn.detach();
    const secure = tlsConnect({
      socket: conn.framing ? framedStream(socket, conn.framing) : socket,
      servername: options.serverName,
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: 'ALL:@SECLEVEL=0',
    });
    const cert = await new Promise<ReturnType<typeof secure.getPeerX509Certificate>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no certificate within ${options.timeoutMs} ms`)), Math.min(MAX_TIMER_MS, Math.max(0, deadline - Date.now())));
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        resolve(secure.getPeerX509Certificate());
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
    secure.destroy();
    if (!cert) throw new Error('the server sent no certificate');
    const summary: CertificateSummary = {
      subject: cert.subject.split('\n').join(', '),
      issuer: cert.issuer.split('\n').join(', '),
      notBefore: new Date(cert.validFrom).toISOString(),
      notAfter: new Date(cert.validTo).toISOString(),
      fingerprintSha256: cert.fingerprint256,
    };
    if (cert.subjectAltName) summary.subjectAltNames = cert.subjectAltName.split(', ');
    const key = cert.publicKey;
    summary.keyType = key.asymmetricKeyType?.toUpperCase();
    const d = key.asymmetricKeyDetails;
    if (d?.modulusLength !== undefined) summary.keyBits = d.modulusLength;
    else if (d?.namedCurve) {
      const bits = groupByName(d.namedCurve)?.bits;
      if (bits !== undefined) summary.keyBits = bits;
      summary.keyType = `EC ${d.namedCurve}`;
    } else if (key.asymmetricKeyType === 'ed25519') summary.keyBits = 256;
    else if (key.asymmetricKeyType === 'ed448') summary.keyBits = 456;
    return summary;
  } finally {
    conn.close();
  }
}
