import type { Recommended } from './cipher-suite.js';

/** Literal unions derive from the runtime list so the two never drift. */
export const GROUP_KINDS = ['ec', 'ff', 'pq', 'hybrid'] as const;
/** 'ec' elliptic curve, 'ff' finite-field DH (RFC 7919), 'pq' ML-KEM alone, 'hybrid' ECDH + ML-KEM/Kyber. */
export type GroupKind = (typeof GROUP_KINDS)[number];

/** One entry of IANA's TLS Supported Groups registry (named curves before RFC 8446). */
export interface NamedGroup {
  readonly id: number;
  /** `formatCode(id)`, e.g. "0x001D". */
  readonly hex: string;
  /** IANA name, exactly as registered (e.g. "x25519", "X25519Kyber768Draft00 (OBSOLETE)"). */
  readonly name: string;
  readonly kind: GroupKind;
  /** Field/curve size in bits where the name states it (x25519: 255); absent for ML-KEM groups. */
  readonly bits?: number;
  readonly recommended: Recommended;
  readonly dtlsOk: boolean;
  readonly references: readonly string[];
  /** IANA marks the entry "(OBSOLETE)". */
  readonly obsolete?: boolean;
}
