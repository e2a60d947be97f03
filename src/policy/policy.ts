import type { ProtocolVersion } from '../model/protocol-version.js';
import type { Severity } from '../model/verdict.js';

/** Selects registry suites; every property given must match (AND). Mirrors schemas/policy.schema.json. */
export interface SuiteSelector {
  names?: string[];
  codes?: string[];
  keyExchange?: string[];
  authentication?: string[];
  cipher?: string[];
  mode?: string[];
  hash?: string[];
  aead?: boolean;
  export?: boolean;
  anonymous?: boolean;
  nullCipher?: boolean;
  tls13?: boolean;
  recommended?: Array<'Y' | 'N' | 'D' | ''>;
  minCipherBits?: number;
  maxCipherBits?: number;
  anyOf?: SuiteSelector[];
  not?: SuiteSelector;
}

/** The rule types of policy schemaVersion 1. */
export const RULE_TYPES_V1 = ['require-protocol', 'require-any-suite', 'forbid-protocols', 'forbid-suites'] as const;
/** Every rule type; those after the first four need schemaVersion 2. */
export const RULE_TYPES = [...RULE_TYPES_V1, 'key-exchange', 'certificate', 'server-cipher-preference', 'source-marked-weak'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const POLICY_SCHEMA_VERSIONS = [1, 2] as const;
export type PolicySchemaVersion = (typeof POLICY_SCHEMA_VERSIONS)[number];

/** Certificate key types a certificate rule can name; sources' spellings are normalised to these. */
export const CERTIFICATE_KEY_TYPES = ['rsa', 'ecdsa', 'dsa', 'ed25519', 'ed448'] as const;
export type CertificateKeyType = (typeof CERTIFICATE_KEY_TYPES)[number];

interface RuleBase {
  id: string;
  severity: Severity;
  title?: string;
  /** Placeholders: {protocol}, {protocols}, {suites}, {count}, {nsuites} ("1 suite", "3 suites"), {details}. */
  message: string;
  rationale?: string;
}

export interface RequireProtocolRule extends RuleBase {
  type: 'require-protocol';
  protocol: ProtocolVersion;
  /**
   * Versions that meet the rule as well ("TLS 1.2, which may be disabled where TLS 1.3 is supported"):
   * the rule fires only when neither `protocol` nor any of these is offered.
   */
  alternatives?: ProtocolVersion[];
}

export interface RequireAnySuiteRule extends RuleBase {
  type: 'require-any-suite';
  protocols?: ProtocolVersion[];
  suites: SuiteSelector;
}

export interface ForbidProtocolsRule extends RuleBase {
  type: 'forbid-protocols';
  protocols: ProtocolVersion[];
}

export interface ForbidSuitesRule extends RuleBase {
  type: 'forbid-suites';
  protocols?: ProtocolVersion[];
  suites: SuiteSelector;
}

/**
 * Key exchange strength (schemaVersion 2). Judged per suite from the sources' evidence (group, kexBits,
 * kexInfo); a suite whose group or size no source reported is not judged, since absence of evidence is
 * not a weak key.
 */
export interface KeyExchangeRule extends RuleBase {
  type: 'key-exchange';
  protocols?: ProtocolVersion[];
  minFfdhBits?: number;
  minEcdhBits?: number;
  /** Allowed elliptic curves (IANA names or aliases); finite-field and hybrid groups are not judged by it. */
  curves?: string[];
}

/**
 * The server's certificates (schemaVersion 2): the leaf's key, and each check that is set to true.
 * Facts no source reported are never violations; the rule then gives an `info` finding saying so.
 */
export interface CertificateRule extends RuleBase {
  type: 'certificate';
  keyTypes?: CertificateKeyType[];
  minRsaBits?: number;
  minEcBits?: number;
  /** Fires when the leaf had expired when it was observed. */
  expired?: boolean;
  /** Fires when the leaf was not yet valid when it was observed. */
  notYetValid?: boolean;
  /** Fires when the leaf had fewer than this many whole days left when it was observed; an expired one is for `expired`. */
  expiresWithinDays?: number;
  /** Fires when the chain does not lead to a trusted root. */
  trusted?: boolean;
  /** Fires when the leaf does not match the name asked for (RFC 6125). */
  hostnameMatches?: boolean;
  /** Fires when the server left out an intermediate. */
  completeChain?: boolean;
  /** Fires when a certificate below the root is signed with one of these: a hash ("sha1", "md5") or an algorithm name. */
  signatureAlgorithms?: string[];
  /** Fires when the server staples no OCSP response. */
  ocspStapled?: boolean;
  /** Fires when a source found the leaf revoked. */
  revoked?: boolean;
}

/** The certificate checks that are switched on by `true`, in the order findings name them. */
export const CERTIFICATE_CHECKS = ['expired', 'notYetValid', 'trusted', 'hostnameMatches', 'completeChain', 'ocspStapled', 'revoked'] as const;
export type CertificateCheck = (typeof CERTIFICATE_CHECKS)[number];

/** Fires when a source saw the client's order decide (schemaVersion 2). */
export interface ServerCipherPreferenceRule extends RuleBase {
  type: 'server-cipher-preference';
  protocols?: ProtocolVersion[];
}

/**
 * Fires when a source itself marked an offered, selected suite weak (SSL Labs' per-suite q = 1), as
 * evidence to explain, typically with severity info: a policy can say why the mark does not apply
 * (schemaVersion 2).
 */
export interface SourceMarkedWeakRule extends RuleBase {
  type: 'source-marked-weak';
  protocols?: ProtocolVersion[];
  suites: SuiteSelector;
}

export type Rule =
  | RequireProtocolRule
  | RequireAnySuiteRule
  | ForbidProtocolsRule
  | ForbidSuitesRule
  | KeyExchangeRule
  | CertificateRule
  | ServerCipherPreferenceRule
  | SourceMarkedWeakRule;

export interface PolicySource {
  title: string;
  url?: string;
  date?: string;
  quote?: string;
}

/** A policy as data, as written in policies/*.json and custom policy files. */
export interface Policy {
  schemaVersion: PolicySchemaVersion;
  id: string;
  name: string;
  version?: string;
  description?: string;
  source?: PolicySource;
  rules: Rule[];
}
