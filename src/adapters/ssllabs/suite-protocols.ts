import { compareProtocolVersions, type ProtocolVersion } from '../../model/protocol-version.js';
import { suiteByCode } from '../../registry/index.js';

/**
 * The protocols a suite can be negotiated with, among those a server was seen to offer, for sources that
 * list suites without saying under which protocol (SSL Labs API v2 had one list per endpoint).
 *
 * - TLS 1.3 suites (0x13xx, RFC 8446 §B.4) run only on TLS 1.3, and nothing else does.
 * - AEAD suites (GCM, CCM, ChaCha20-Poly1305) and those with a SHA-256/384 MAC or PRF are defined for
 *   TLS 1.2 only (RFC 5246 §1.2 and App. A.5, RFC 5288 §4, RFC 5289 §4, RFC 7905 §2).
 * - Every other TLS suite is attributed to each offered protocol from SSL 3.0 to TLS 1.2.
 * - SSL 2.0 has its own cipher specs (3-byte codes); none of these is attributed to it.
 *
 * What this yields is an inference, and is marked so on the evidence.
 */
export function protocolsForSuite(code: number, offered: readonly ProtocolVersion[]): ProtocolVersion[] {
  if (code > 0xffff) return offered.includes('SSLv2') ? ['SSLv2'] : [];
  const suite = suiteByCode(code);
  if (suite?.tls13 === true || (code >> 8) === 0x13) return offered.filter((v) => v === 'TLSv1.3');
  if (suite !== undefined && (suite.aead || suite.hash === 'SHA256' || suite.hash === 'SHA384')) {
    return offered.filter((v) => v === 'TLSv1.2');
  }
  return offered
    .filter((v) => v !== 'SSLv2' && v !== 'TLSv1.3')
    .sort(compareProtocolVersions);
}
