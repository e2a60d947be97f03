import { WIRE_SSL3, WIRE_TLS12, WIRE_TLS13 } from './codec/client-hello.js';
import type { FlightOutcome } from './codec/server-flight.js';
import { protocolFromWire } from '../../model/protocol-version.js';
import { formatCode } from '../../registry/index.js';

/** What the probe offered in one ClientHello. */
export interface Offer {
  /** Wire version offered (client_version, or supported_versions for TLS 1.3). */
  version: number;
  suites: readonly number[];
}

/** One handshake's answer, judged against the offer. Data, never an exception. */
export type HelloResult =
  | {
      kind: 'accepted';
      suite: number;
      version: number;
      helloRetryRequest: boolean;
      /** False when the server went quiet (or hung up) after its ServerHello, before the rest of a TLS <= 1.2 flight. */
      flightComplete?: boolean;
      /** key_share group (TLS 1.3). */
      group?: number;
      serverKeyExchange?: Uint8Array;
      certificates?: Uint8Array[];
    }
  /** The server answered with an older version than offered: it does not speak the offered one. */
  | { kind: 'downgraded'; suite: number; version: number }
  /**
   * A fatal alert. `clean` when it says nothing offered is acceptable about a hello the server could read
   * (handshake_failure, protocol_version, insufficient_security); any other alert (decode_error,
   * illegal_parameter, record_overflow, internal_error, ...) may be the server choking on the hello itself.
   */
  | { kind: 'refused'; alert: string; protocolVersion: boolean; clean: boolean }
  /** The connection ended (closed or reset) without any TLS answer. */
  | { kind: 'silent'; reason: string }
  /**
   * Anything else; `fatal` when the target cannot be probed at all (not TLS, a lying ServerHello, no
   * listener); `timeout` when the deadline passed; `local` when this machine ran short of resources.
   */
  | { kind: 'failed'; reason: string; fatal: boolean; timeout?: boolean; local?: boolean; connectionRefused?: boolean };

/** Alerts that refuse what was offered (RFC 5246 §7.2.2, RFC 8446 §6.2): handshake_failure, protocol_version, insufficient_security. */
const CLEAN_REFUSALS: ReadonlySet<number> = new Set([40, 70, 71]);

export const versionName = (v: number): string => protocolFromWire(v) ?? `version ${formatCode(v)}`;

/**
 * Checks a server's first flight against what was offered: a ServerHello may only pick an offered suite,
 * the null compression method, and a version not above the offered one (RFC 5246 §7.4.1.3, RFC 8446 §4.1.3).
 * A server that breaks these rules is reported, not believed.
 */
export function judgeAnswer(offer: Offer, outcome: FlightOutcome): HelloResult {
  if (outcome.kind === 'alert') {
    const code = outcome.alert.description;
    return { kind: 'refused', alert: outcome.alert.name, protocolVersion: code === 70, clean: CLEAN_REFUSALS.has(code) };
  }
  if (outcome.kind === 'error') {
    return { kind: 'failed', reason: outcome.error.message, fatal: true };
  }
  const sh = outcome.serverHello;
  if (!offer.suites.includes(sh.cipherSuite)) {
    return { kind: 'failed', fatal: true, reason: `the server chose cipher suite ${formatCode(sh.cipherSuite)}, which was not offered` };
  }
  if (sh.compressionMethod !== 0) {
    return { kind: 'failed', fatal: true, reason: `the server chose compression method ${sh.compressionMethod}, which was not offered` };
  }
  const tls13Offer = offer.version >= WIRE_TLS13;
  const hasSelectedVersion = sh.version !== sh.legacyVersion || sh.legacyVersion === WIRE_TLS13;
  if (sh.helloRetryRequest) {
    if (!tls13Offer || sh.version !== WIRE_TLS13) {
      return { kind: 'failed', fatal: true, reason: `the server sent a HelloRetryRequest for ${versionName(sh.version)}, which was not offered` };
    }
    const r: HelloResult = { kind: 'accepted', suite: sh.cipherSuite, version: sh.version, helloRetryRequest: true };
    if (sh.keyShareGroup !== undefined) r.group = sh.keyShareGroup;
    return r;
  }
  if (tls13Offer) {
    if (sh.version === WIRE_TLS13) {
      const r: HelloResult = { kind: 'accepted', suite: sh.cipherSuite, version: sh.version, helloRetryRequest: false };
      if (sh.keyShareGroup !== undefined) r.group = sh.keyShareGroup;
      return r;
    }
    if (sh.version > WIRE_TLS13 || sh.version < WIRE_SSL3 || (hasSelectedVersion && sh.version !== WIRE_TLS13)) {
      return { kind: 'failed', fatal: true, reason: `the server chose ${versionName(sh.version)}, which was not offered` };
    }
    return { kind: 'downgraded', suite: sh.cipherSuite, version: sh.version };
  }
  if (sh.version > offer.version || sh.version < WIRE_SSL3 || sh.version > WIRE_TLS12 || hasSelectedVersion) {
    return { kind: 'failed', fatal: true, reason: `the server chose ${versionName(sh.version)} when offered ${versionName(offer.version)}` };
  }
  if (sh.version < offer.version) return { kind: 'downgraded', suite: sh.cipherSuite, version: sh.version };
  const r: HelloResult = { kind: 'accepted', suite: sh.cipherSuite, version: sh.version, helloRetryRequest: false };
  if (outcome.serverKeyExchange) r.serverKeyExchange = outcome.serverKeyExchange;
  if (outcome.certificates) r.certificates = outcome.certificates;
  return r;
}
