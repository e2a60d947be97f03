/**
 * Hand-built observations for policy and remediation tests. Suites are given by IANA name and looked up
 * in the registry for their code, so a typo fails loudly instead of making a suite the policies never see.
 */
import type { CertificateSummary, CipherPreference, ProtocolVersion, SuiteEvidence, TargetObservation } from '../../src/index.js';
import { suiteByName } from '../../src/registry/index.js';

export interface SuiteSpec {
  name: string;
  /** Evidence beyond the source: group, kexBits, kexInfo. */
  kex?: Omit<SuiteEvidence, 'source'>;
}

export interface ProtocolSpec {
  version: ProtocolVersion;
  suites: Array<string | SuiteSpec>;
  preference?: CipherPreference;
}

export function observation(
  protocols: ProtocolSpec[],
  extra: { host?: string; port?: number; certificate?: CertificateSummary; starttls?: string } = {},
): TargetObservation {
  const source = 'nmap' as const;
  const obs: TargetObservation = {
    host: extra.host ?? 'server.test',
    port: extra.port ?? 443,
    sources: [source],
    runs: [{ source }],
    protocols: protocols.map((p) => ({
      version: p.version,
      evidence: [{ source }],
      ...(p.preference && { cipherPreference: p.preference }),
      ciphers: p.suites.map((s) => {
        const spec = typeof s === 'string' ? { name: s } : s;
        const suite = suiteByName(spec.name);
        if (!suite) throw new Error(`test suite ${spec.name} is not in the registry`);
        return { code: suite.hex, name: suite.name, evidence: [{ source, ...spec.kex }] };
      }),
    })),
  };
  if (extra.certificate) obs.certificate = extra.certificate;
  if (extra.starttls) obs.starttls = extra.starttls;
  return obs;
}
