import type { ProtocolVersion } from './protocol-version.js';
import type { SourceKind } from './source.js';

export const STATUSES = ['pass', 'warn', 'fail', 'error'] as const;
export type Status = (typeof STATUSES)[number];

export const SEVERITIES = ['fail', 'warn', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What in the observation made a rule fire. */
export interface FindingEvidence {
  protocols?: ProtocolVersion[];
  /** Suites by IANA code ("0xC02F"). */
  ciphers?: string[];
  /** Sources whose observations triggered the finding. */
  sources?: SourceKind[];
}

export interface Finding {
  /** Rule id from the policy ("tls12-required"), or an engine rule ("assessment-error"). */
  rule: string;
  severity: Severity;
  /** A full sentence for a person. */
  message: string;
  evidence?: FindingEvidence;
}

export interface Verdict {
  status: Status;
  findings: Finding[];
}
