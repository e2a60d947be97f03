import type { Status } from './verdict.js';
import type { Target } from './target.js';

export const SCHEMA_VERSION = 1 as const;

/** The policy as a report names it: enough to cite it without the rules. */
export interface PolicyRef {
  id: string;
  name: string;
  version?: string;
  /**
   * Which revision of the source document the verdicts follow (the policy's version, else its source's
   * date): a verdict under Dataverse's 2021 page and one under its 2024 page are different claims.
   */
  revision?: string;
  source?: { title: string; url?: string; date?: string };
}

export type Summary = Record<Status, number>;

/**
 * An open port a source saw but never treated as TLS (nmap's ssh/22, http/80 in a `-sV` scan): not a
 * target, so no verdict and no effect on the exit status, but listed so the report says it was seen.
 */
export interface SkippedPort {
  host: string;
  address?: string;
  port: number;
  service?: string;
  /** Why it is not a target, for a person. */
  reason: string;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  /** tlsaudit version and time the report was made. */
  generator?: { name: 'tlsaudit'; version: string };
  generatedAt?: string;
  policy: PolicyRef;
  /** Every policy of the run when more than one was asked for (the first equals `policy`). */
  policies?: PolicyRef[];
  strict?: boolean;
  targets: Target[];
  /** Open ports that are no TLS service; see SkippedPort. */
  skipped?: SkippedPort[];
  summary: Summary;
  /** Problems with the input that did not stop the run ("input cut off after 12 hosts"). */
  notices?: string[];
}
