import { CIPHER_SUITES, NAMED_GROUPS, type CipherSuite } from '../../registry/index.js';
import type { ProtocolVersion } from '../../model/protocol-version.js';
import { SIGNATURE_SCHEMES } from './codec/tables.js';
import type { KeyExchangeFamily } from './codec/server-key-exchange.js';

const BY_CODE = new Map<number, CipherSuite>();
for (const s of CIPHER_SUITES) if (!BY_CODE.has(s.code)) BY_CODE.set(s.code, s);

export function suiteInfo(code: number): CipherSuite | undefined {
  return BY_CODE.get(code);
}

/**
 * The suites to try for a protocol, from the registry: every TLS 1.3 suite for TLS 1.3, every other
 * suite except the signalling values for SSLv3 to TLS 1.2. Suites some implementation is known to carry
 * (OpenSSL names them) go first, so on ordinary servers every accepted suite sits in the first hello
 * and the removal order is the server's preference order.
 */
export function candidateSuites(version: ProtocolVersion): number[] {
  const tls13 = version === 'TLSv1.3';
  // Worked out once per kind: a sweep asks for them five times per target. Callers get their own copy.
  let codes = CANDIDATES.get(tls13);
  if (!codes) {
    const picked = [...BY_CODE.values()].filter((s) => !s.scsv && s.tls13 === tls13);
    const known = picked.filter((s) => s.openssl !== undefined);
    const rest = picked.filter((s) => s.openssl === undefined);
    codes = [...known, ...rest].map((s) => s.code);
    CANDIDATES.set(tls13, codes);
  }
  return [...codes];
}

const CANDIDATES = new Map<boolean, number[]>();

/** Groups offered in supported_groups: the common ones first (servers honouring client order pick them), then every other registered one. */
const FIRST_GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e];
let groups: readonly number[] | undefined;
export function offeredGroups(): readonly number[] {
  if (!groups) {
    const rest = NAMED_GROUPS.filter((g) => !g.obsolete && !FIRST_GROUPS.includes(g.id) && g.id < 0xfe00).map((g) => g.id);
    groups = Object.freeze([...FIRST_GROUPS, ...rest]);
  }
  return groups;
}

export const OFFERED_SIGNATURE_SCHEMES: readonly number[] = Object.values(SIGNATURE_SCHEMES);

/** Which ServerKeyExchange layout a suite's key exchange uses, if it sends one. */
export function keyExchangeFamily(suite: CipherSuite): KeyExchangeFamily | undefined {
  switch (suite.keyExchange) {
    case 'DHE':
      return 'dhe';
    case 'DH':
      return suite.anonymous ? 'dhe' : undefined;
    case 'ECDHE':
      return 'ecdhe';
    case 'ECDH':
      return suite.anonymous ? 'ecdhe' : undefined;
    case 'DHE_PSK':
      return 'dhe-psk';
    case 'ECDHE_PSK':
      return 'ecdhe-psk';
    case 'RSA':
      return suite.export ? 'rsa-export' : undefined;
    default:
      return undefined;
  }
}
