import { ByteReader } from './bytes.js';
import { codecError, ok, type Parsed } from './result.js';

/** The key-exchange families whose ServerKeyExchange a probe reads (RFC 5246 §7.4.3, RFC 8422 §5.4, RFC 4279). */
export type KeyExchangeFamily = 'dhe' | 'ecdhe' | 'rsa-export' | 'dhe-psk' | 'ecdhe-psk';

export type ServerKeyExchange =
  | { kind: 'dh'; primeBits: number; generatorBits: number }
  | { kind: 'ecdh-named'; group: number }
  | { kind: 'ecdh-explicit'; curveType: number }
  | { kind: 'rsa'; modulusBits: number };

/** Bit length of a big-endian unsigned integer. */
export function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

/**
 * Reads the key-exchange parameters that open a ServerKeyExchange; the signature that follows is
 * not checked (a probe never finishes the handshake).
 */
export function parseServerKeyExchange(body: Uint8Array, family: KeyExchangeFamily): Parsed<ServerKeyExchange> {
  const r = new ByteReader(body);
  const truncated = () => codecError<ServerKeyExchange>('decode-error', `a ServerKeyExchange of ${body.length} bytes is truncated`);
  if (family === 'dhe-psk' || family === 'ecdhe-psk') {
    // psk_identity_hint comes first (RFC 4279 §3, RFC 5489 §2).
    if (r.vector(2) === undefined) return truncated();
  }
  if (family === 'dhe' || family === 'dhe-psk') {
    const p = r.vector(2);
    const g = r.vector(2);
    const ys = r.vector(2);
    if (p === undefined || g === undefined || ys === undefined) return truncated();
    return ok({ kind: 'dh', primeBits: bitLength(p), generatorBits: bitLength(g) }, r.offset);
  }
  if (family === 'ecdhe' || family === 'ecdhe-psk') {
    const curveType = r.u8();
    if (curveType === undefined) return truncated();
    if (curveType === 3) {
      const group = r.u16();
      if (group === undefined || r.vector(1) === undefined) return truncated();
      return ok({ kind: 'ecdh-named', group }, r.offset);
    }
    if (curveType === 1 || curveType === 2) return ok({ kind: 'ecdh-explicit', curveType }, r.offset);
    return codecError('decode-error', `a ServerKeyExchange names unknown EC curve type ${curveType}`);
  }
  const modulus = r.vector(2);
  const exponent = r.vector(2);
  if (modulus === undefined || exponent === undefined) return truncated();
  return ok({ kind: 'rsa', modulusBits: bitLength(modulus) }, r.offset);
}
