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

export const RULE_TYPES = ['require-protocol', 'require-any-suite', 'forbid-protocols', 'forbid-suites'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

interface RuleBase {
  id: string;
  severity: Severity;
  title?: string;
  /** Placeholders: {protocol}, {protocols}, {suites}, {count}. */
  message: string;
  rationale?: string;
}

export interface RequireProtocolRule extends RuleBase {
  type: 'require-protocol';
  protocol: ProtocolVersion;
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

export type Rule = RequireProtocolRule | RequireAnySuiteRule | ForbidProtocolsRule | ForbidSuitesRule;

export interface PolicySource {
  title: string;
  url?: string;
  date?: string;
  quote?: string;
}

/** A policy as data, as written in policies/*.json and custom policy files. */
export interface Policy {
  schemaVersion: 1;
  id: string;
  name: string;
  version?: string;
  description?: string;
  source?: PolicySource;
  rules: Rule[];
}
