/** The adapters that can observe a target: the three that scan, then the tools whose saved results `import` reads. */
export const SOURCE_KINDS = ['nmap', 'ssllabs', 'probe', 'testssl', 'sslyze', 'sslscan'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * Who observed something, and when. Every protocol and suite in a report carries one per source
 * that saw it, so merged reports keep their provenance.
 */
export interface Provenance {
  source: SourceKind;
  /** ISO 8601 time of the observation (scan start for nmap, testTime for SSL Labs, probe time). */
  observedAt?: string;
  /** Where the evidence came from: a file name, "stdin", an API base URL, "probe". */
  origin?: string;
}
