import type { NamedGroup } from './named-group.js';
import { GENERATED_GROUPS } from './groups.generated.js';

/** IANA's TLS Supported Groups (named curves, FFDHE, ML-KEM and hybrids). */
export const NAMED_GROUPS: readonly NamedGroup[] = GENERATED_GROUPS;

/**
 * Other spellings of IANA group names, keyed by IANA name: the NIST/X9.62 names OpenSSL and
 * SSL Labs print (prime256v1, P-256; RFC 8422 §5.1.1 lists the equivalences), nmap's
 * ecdh_x25519/ecdh_x448 (its ssl-enum-ciphers kex_info), and the names of obsolete entries
 * without IANA's " (OBSOLETE)" marker. Case does not matter (X25519 = x25519).
 */
export const GROUP_ALIASES: Readonly<Record<string, readonly string[]>> = {
  secp192r1: ['prime192v1', 'P-192', 'NIST P-192'],
  secp224r1: ['P-224', 'NIST P-224'],
  secp256r1: ['prime256v1', 'P-256', 'NIST P-256'],
  secp384r1: ['P-384', 'NIST P-384'],
  secp521r1: ['P-521', 'NIST P-521'],
  x25519: ['ecdh_x25519', 'Curve25519'],
  x448: ['ecdh_x448', 'Curve448'],
  'X25519Kyber768Draft00 (OBSOLETE)': ['X25519Kyber768Draft00', 'X25519Kyber768'],
  'SecP256r1Kyber768Draft00 (OBSOLETE)': ['SecP256r1Kyber768Draft00', 'P256Kyber768Draft00'],
};

const BY_ID = new Map<number, NamedGroup>(NAMED_GROUPS.map((g) => [g.id, g]));
const BY_NAME = new Map<string, NamedGroup>();
for (const group of NAMED_GROUPS) {
  for (const name of [group.name, ...(GROUP_ALIASES[group.name] ?? [])]) {
    const key = name.toUpperCase();
    if (!BY_NAME.has(key)) BY_NAME.set(key, group);
  }
}

export function groupById(id: number | string): NamedGroup | undefined {
  const n = typeof id === 'number' ? id : /^0x[0-9a-f]{1,4}$/i.test(id.trim()) ? parseInt(id.trim(), 16) : /^\d+$/.test(id.trim()) ? Number(id.trim()) : NaN;
  return BY_ID.get(n);
}

/** By IANA name or alias, case-insensitively: "secp256r1", "prime256v1", "P-256", "X25519", "ecdh_x25519", "X25519MLKEM768". */
export function groupByName(name: string): NamedGroup | undefined {
  return BY_NAME.get(name.trim().toUpperCase());
}
