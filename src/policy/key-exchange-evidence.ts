import type { SuiteEvidence } from '../model/target.js';
import type { CipherSuite, NamedGroup } from '../registry/index.js';
import { groupByName } from '../registry/index.js';

/** What one source's evidence says about a suite's key exchange, in the terms policies judge. */
export interface KeyExchangeSeen {
  /** 'ff' finite-field DH, 'ec' elliptic curve DH, 'hybrid'/'pq' post-quantum groups. */
  kind: 'ff' | 'ec' | 'hybrid' | 'pq';
  /** Group or modulus size in bits, when known. */
  bits?: number;
  /** The IANA group, when the source named one. */
  group?: NamedGroup;
}

const FF_KEX = new Set(['DHE', 'DH', 'DHE_PSK']);
const EC_KEX = new Set(['ECDHE', 'ECDH', 'ECDHE_PSK']);

/**
 * Reads the key exchange a source saw. The named group wins (its size is a fact of the registry); then
 * kexBits with the family taken from the suite; then nmap's kex_info text ("dh 2048", "secp256r1",
 * "ecdh_x25519"). Static RSA key exchange says nothing here: its strength is the certificate key's.
 * Undefined means nothing usable was reported.
 */
export function keyExchangeSeen(evidence: SuiteEvidence, suite: CipherSuite | undefined): KeyExchangeSeen | undefined {
  const named = evidence.group !== undefined ? groupByName(evidence.group) : undefined;
  const fromInfo = evidence.kexInfo !== undefined ? parseKexInfo(evidence.kexInfo) : undefined;
  const group = named ?? fromInfo?.group;
  if (group) {
    const seen: KeyExchangeSeen = { kind: group.kind, group };
    // x25519's field is 255 bits, but it is the 256-bit size class of secp256r1 (RFC 7748 §1: ~128-bit
    // security), which is what "256-bit ECDH" in the guidelines means.
    const bits = group.name.toLowerCase() === 'x25519' ? 256 : (group.bits ?? evidence.kexBits);
    if (bits !== undefined) seen.bits = bits;
    return seen;
  }
  const family = suite && FF_KEX.has(suite.keyExchange) ? 'ff' : suite && EC_KEX.has(suite.keyExchange) ? 'ec' : fromInfo?.kind;
  if (family === undefined) return undefined;
  const bits = evidence.kexBits ?? (fromInfo?.kind === family ? fromInfo.bits : undefined);
  return bits === undefined ? undefined : { kind: family, bits };
}

function parseKexInfo(text: string): { kind: 'ff' | 'ec'; bits?: number; group?: NamedGroup } | undefined {
  const t = text.trim();
  const dh = /^(?:dhe?|ffdhe)\s*(\d+)/i.exec(t);
  if (dh?.[1]) return { kind: 'ff', bits: Number(dh[1]) };
  const group = groupByName(t) ?? groupByName(t.split(/\s+/)[0] ?? '');
  if (group && (group.kind === 'ec' || group.kind === 'ff')) return { kind: group.kind, group };
  return undefined;
}

/** "dh 1024 bits", "secp256r1 (256 bits)": for finding messages. */
export function describeKeyExchange(seen: KeyExchangeSeen): string {
  if (seen.group) return seen.bits !== undefined ? `${seen.group.name} (${seen.bits} bits)` : seen.group.name;
  return `${seen.kind === 'ff' ? 'DH' : 'ECDH'} ${seen.bits ?? '?'} bits`;
}
