import fc from 'fast-check';
import type {
  CipherObservation,
  PolicyRef,
  ProtocolObservation,
  ProtocolVersion,
  Provenance,
  Report,
  SourceKind,
  SourceRun,
  SuiteEvidence,
  Target,
  TargetObservation,
} from '../../src/model/index.js';
import { PROTOCOL_VERSIONS, SOURCE_KINDS } from '../../src/model/index.js';
import { loadPolicy } from '../../src/policy/load-policy.js';
import type { Policy } from '../../src/policy/policy.js';
import { buildReport } from '../../src/report/build-report.js';
import { suiteByCode } from '../../src/registry/index.js';

export const FIXED_TIME = new Date('2026-01-15T09:30:00.000Z');

/** Suites worth having in tests: approved ECDHE, plain RSA, TLS 1.3, CBC. */
export const SUITES = {
  ecdheRsaAes128Gcm: '0xC02F',
  ecdheRsaAes256Gcm: '0xC030',
  ecdheEcdsaAes128Gcm: '0xC02B',
  ecdheRsaAes128CbcSha256: '0xC027',
  ecdheRsaAes128CbcSha: '0xC013',
  rsaAes128Gcm: '0x009C',
  rsaAes256Gcm: '0x009D',
  rsaAes128CbcSha: '0x002F',
  rsa3des: '0x000A',
  tls13Aes128Gcm: '0x1301',
  tls13Aes256Gcm: '0x1302',
  tls13Chacha: '0x1303',
} as const;

export function provenance(source: SourceKind, overrides: Partial<Provenance> = {}): Provenance {
  const defaults: Record<SourceKind, Provenance> = {
    nmap: { source: 'nmap', observedAt: '2026-01-10T08:00:00Z', origin: 'scan.xml' },
    ssllabs: { source: 'ssllabs', observedAt: '2026-01-11T10:15:00Z', origin: 'https://api.ssllabs.com/api/v4/' },
    probe: { source: 'probe', observedAt: '2026-01-12T12:00:00Z', origin: 'probe' },
    testssl: { source: 'testssl', observedAt: '2026-01-13T09:00:00Z', origin: 'testssl.json' },
    sslyze: { source: 'sslyze', observedAt: '2026-01-13T09:30:00Z', origin: 'sslyze.json' },
    sslscan: { source: 'sslscan', observedAt: '2026-01-13T10:00:00Z', origin: 'sslscan.xml' },
  };
  return { ...defaults[source], ...overrides };
}

export function cipher(code: string, evidence: SuiteEvidence[]): CipherObservation {
  const suite = suiteByCode(code);
  if (!suite) throw new Error(`test suite ${code} is not in the registry`);
  return { code: suite.hex, name: suite.name, evidence };
}

/** A protocol seen by the given provenance, each suite seen by the same. */
export function protocol(version: ProtocolVersion, codes: readonly string[], by: readonly Provenance[], extra: Partial<ProtocolObservation> = {}): ProtocolObservation {
  return {
    version,
    ciphers: codes.map((c) => cipher(c, by.map((p) => ({ ...p })))),
    evidence: by.map((p) => ({ ...p })),
    ...extra,
  };
}

/** A target observation seen by one source; protocols maps versions to suite codes. */
export function observation(
  host: string,
  options: {
    address?: string;
    port?: number;
    source?: SourceKind;
    provenance?: Provenance;
    protocols?: Partial<Record<ProtocolVersion, readonly string[]>>;
    error?: string;
    preference?: 'server' | 'client';
  } & Partial<Omit<TargetObservation, 'protocols'>> = {},
): TargetObservation {
  const { address, port = 443, source = 'nmap', protocols = {}, error, preference, provenance: prov, ...rest } = options;
  const by = prov ?? provenance(source);
  const run: SourceRun = { ...by, ...(error !== undefined && { error }) };
  const obs: TargetObservation = {
    host,
    ...(address !== undefined && { address }),
    port,
    sources: [by.source],
    runs: [run],
    protocols: error
      ? []
      : PROTOCOL_VERSIONS.filter((v) => protocols[v] !== undefined).map((v) =>
          protocol(v, protocols[v]!, [by], preference ? { cipherPreference: preference } : {}),
        ),
    ...rest,
  };
  if (error !== undefined) obs.error = error;
  return obs;
}

let dataverse: Policy | undefined;
export function dataversePolicy(): Policy {
  return (dataverse ??= loadPolicy('dataverse'));
}

/** A second policy for multi-policy reports: TLS 1.3 required, no CBC. */
export function strictModernPolicy(): Policy {
  return {
    schemaVersion: 1,
    id: 'modern',
    name: 'Modern TLS',
    version: '1',
    source: { title: 'Internal standard <TLS-7>', url: 'https://example.org/standards/tls?x=1&y=<2>' },
    rules: [
      {
        id: 'tls13-required',
        type: 'require-protocol',
        protocol: 'TLSv1.3',
        severity: 'fail',
        title: 'TLS 1.3 offered',
        message: 'TLS 1.3 is not offered.',
        rationale: 'TLS 1.3 removes legacy key exchange & renegotiation.',
      },
      {
        id: 'no-cbc',
        type: 'forbid-suites',
        severity: 'warn',
        title: 'No CBC suites',
        message: 'CBC mode is enabled in {nsuites}: {suites}.',
        rationale: 'CBC mode with MAC-then-encrypt has a history of padding-oracle attacks.',
        suites: { mode: ['CBC'] },
      },
    ],
  };
}

export function report(observations: TargetObservation[], policies: Policy[] = [dataversePolicy()], strict = false): Report {
  return buildReport(observations, policies, { generatedAt: FIXED_TIME, strict });
}

export function policyRefOf(report: Report): PolicyRef {
  return report.policy;
}

// ---- fast-check arbitraries ------------------------------------------------------------------------

const arbSource = fc.constantFrom<SourceKind>(...SOURCE_KINDS);
const arbTime = fc.constantFrom('2026-01-10T08:00:00Z', '2026-01-11T10:15:00Z', '2026-02-01T00:00:00Z');
const arbOrigin = fc.constantFrom('a.xml', 'b.xml', 'probe', undefined);
const arbCode = fc.constantFrom(...Object.values(SUITES));
const arbVersion = fc.constantFrom<ProtocolVersion>('TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3');

/** Hosts drawn from a small pool so that generated reports share targets often. */
const arbEndpoint = fc.constantFrom(
  { host: 'mail.example.org', address: '192.0.2.10' },
  { host: '192.0.2.10', address: '192.0.2.10' },
  { host: 'www.example.org', address: '192.0.2.20' },
  { host: 'www.example.org', address: '192.0.2.21' },
  { host: 'www.example.org' },
  { host: 'vpn.example.net' },
  { host: '2001:db8::1', address: '2001:db8::1' },
);

const arbProvenance: fc.Arbitrary<Provenance> = fc
  .record({ source: arbSource, observedAt: arbTime, origin: arbOrigin })
  .map(({ origin, ...p }) => (origin === undefined ? p : { ...p, origin }));

export const arbObservation: fc.Arbitrary<TargetObservation> = fc
  .record({
    endpoint: arbEndpoint,
    port: fc.constantFrom(443, 25),
    prov: arbProvenance,
    protocols: fc.uniqueArray(
      fc.record({ version: arbVersion, codes: fc.uniqueArray(arbCode, { maxLength: 5 }), preference: fc.boolean(), strength: fc.constantFrom('A', 'C', undefined) }),
      { selector: (p) => p.version, maxLength: 3 },
    ),
    error: fc.constantFrom(undefined, undefined, undefined, 'Connection refused.'),
    certificate: fc.option(fc.record({ subject: fc.constantFrom('CN=a', 'CN=b'), keyBits: fc.constantFrom(2048, 4096) }), { nil: undefined }),
  })
  .map(({ endpoint, port, prov, protocols, error, certificate }) => {
    const obs: TargetObservation = {
      host: endpoint.host,
      ...(endpoint.address !== undefined && { address: endpoint.address }),
      port,
      sources: [prov.source],
      runs: [{ ...prov, ...(error !== undefined && { error }) }],
      protocols: error
        ? []
        : [...protocols]
            .sort((a, b) => PROTOCOL_VERSIONS.indexOf(a.version) - PROTOCOL_VERSIONS.indexOf(b.version))
            .map((p) => ({
              version: p.version,
              ciphers: p.codes.map((c) => cipher(c, [{ ...prov, ...(p.strength && { strength: p.strength }) }])),
              evidence: [{ ...prov }],
              ...(p.preference && { cipherPreference: 'server' as const }),
              ...(p.strength && { leastStrength: p.strength }),
            })),
    };
    if (error !== undefined) obs.error = error;
    if (certificate) obs.certificate = { ...certificate };
    return obs;
  });

/** Reports of up to four targets under the Dataverse policy. */
export const arbReport: fc.Arbitrary<Report> = fc
  .record({ observations: fc.array(arbObservation, { maxLength: 4 }), notices: fc.subarray(['input cut off', 'stdin closed early']) })
  .map(({ observations, notices }) => {
    const r = report(observations);
    return notices.length > 0 ? { ...r, notices } : r;
  });

export type { Target };
