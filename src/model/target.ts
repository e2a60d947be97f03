import type { CertificateObservation } from './certificate.js';
import type { ProtocolVersion } from './protocol-version.js';
import type { Provenance, SourceKind } from './source.js';
import type { Verdict } from './verdict.js';

/**
 * What one source said about one suite on one protocol: its provenance plus the source's own evidence,
 * kept as the source wrote it (nmap's strength letter and kex_info, SSL Labs' q and kxStrength, the
 * probe's negotiated group).
 */
export interface SuiteEvidence extends Provenance {
  /** nmap's letter grade for the suite ("A".."F"). */
  strength?: string;
  /** Key exchange as the source describes it: "secp256r1", "dh 2048", "rsa 2048", "ecdh_x25519". */
  kexInfo?: string;
  /** IANA supported-group name when known (x25519, secp256r1, ffdhe2048, ...). */
  group?: string;
  /** Key exchange strength in bits (DH/RSA modulus, EC curve size). */
  kexBits?: number;
  /** SSL Labs' per-suite quality: absent = good, 1 = weak, 0 = insecure. */
  q?: number;
  /** The name the source used, when it differs from the IANA name. */
  sourceName?: string;
  /**
   * The source did not say which protocol it saw the suite with; tlsaudit attributed it from what the
   * suite can run on (SSL Labs API v2 listed suites without a protocol). Judged like any evidence.
   */
  inferred?: true;
}

export interface CipherObservation {
  /** IANA code point, "0x" + 4 upper-case hex digits (6 for SSLv2 cipher specs). */
  code: string;
  /** IANA name, whatever the source called it. */
  name: string;
  /** One entry per source (and run) that saw this suite offered. */
  evidence: SuiteEvidence[];
}

export type CipherPreference = 'server' | 'client' | 'indeterminate';

export interface ProtocolObservation {
  version: ProtocolVersion;
  /** Suites accepted with this protocol, in the server's preference order when known. */
  ciphers: CipherObservation[];
  /** Whose order decides, when the source determined it. */
  cipherPreference?: CipherPreference;
  /** Sources that saw this protocol enabled. */
  evidence: Provenance[];
  /** Warnings the source attached to this protocol (nmap's "Broken cipher RC4 is deprecated by RFC 7465"). */
  warnings?: string[];
  /** nmap's lowest strength letter for the protocol. */
  leastStrength?: string;
  /** Compression methods offered (nmap's "compressors"). */
  compressors?: string[];
}

/** One source's attempt at a target: it may have failed, in which case `error` says why. */
export interface SourceRun extends Provenance {
  /** Set when this source could not assess the target. */
  error?: string;
  /** SSL Labs' grade, nmap's least strength, ... */
  grade?: string;
  /** Why this source served the target instead of another ("SSL Labs cannot reach 10.0.0.5"). */
  reason?: string;
  /** Anything else worth keeping, as the source wrote it. */
  notes?: string[];
}

/** The leaf certificate in brief: the first chain's leaf, kept for readers that want only the key and dates. */
export interface CertificateSummary {
  subject?: string;
  subjectAltNames?: string[];
  issuer?: string;
  notBefore?: string;
  notAfter?: string;
  keyType?: string;
  keyBits?: number;
  signatureAlgorithm?: string;
  fingerprintSha256?: string;
}

/**
 * Something a source set out to settle and could not: the server reset every retry of a hello, stopped
 * answering after some connections, or answered only with an alert that says it could not read the hello.
 * What was seen is still evidence; what was not seen proves nothing, so the policy engine never lets a
 * rule pass (or warn) when a gap lies in its scope, and keeps a fail that the settled evidence proves.
 */
export interface EvidenceGap {
  source: SourceKind;
  /** The protocol whose suites (or whether it is offered at all) are unsettled. */
  protocol?: ProtocolVersion;
  /** The certificate could not be read. */
  certificate?: boolean;
  /** A full sentence: what was tried and what came back. */
  reason: string;
}

/** Everything the sources observed about one host:port, before any policy has looked at it. */
export interface TargetObservation {
  /** The name the user gave, else the address. */
  host: string;
  /** IP address when known. */
  address?: string;
  port: number;
  /** Service name when known (https, smtp, ...). */
  service?: string;
  /** STARTTLS protocol used to reach TLS, when any. */
  starttls?: string;
  /** The server name (SNI) the probe sent; absent when it sent none. */
  sni?: string;
  /** Which adapters observed this target. */
  sources: SourceKind[];
  /** Each source's attempt, successful or not. */
  runs: SourceRun[];
  /** Protocols seen enabled, in ascending version order. */
  protocols: ProtocolObservation[];
  certificate?: CertificateSummary;
  /** Every certificate chain the sources saw, with their validation facts (see certificate.ts). */
  certificates?: CertificateObservation[];
  /**
   * Set when no source could assess the target at all (connection refused, no TLS, unknown host).
   * A target with an error has no protocols to judge and gets status `error`.
   */
  error?: string;
  /** Where sources disagree about this target (set by merging). */
  disagreements?: Disagreement[];
  /** What the sources could not settle; a gap with neither protocol nor certificate covers everything. */
  incomplete?: EvidenceGap[];
}

/** Two or more sources saw the same target differently ("nmap saw TLSv1.0 enabled, ssllabs did not"). */
export interface Disagreement {
  message: string;
  sources: SourceKind[];
  protocols?: ProtocolVersion[];
  /** Suites by IANA code. */
  ciphers?: string[];
}

/** A target as it appears in a report: the observation plus the policy's verdict on it. */
export interface Target extends TargetObservation {
  verdict: Verdict;
  /** Verdicts under every policy of the run when more than one was asked for (the first equals `verdict`). */
  verdicts?: PolicyVerdict[];
}

export interface PolicyVerdict extends Verdict {
  policy: string;
}
