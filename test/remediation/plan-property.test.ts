/**
 * The plan's promise, as a property: a server reconfigured as the plan says (its protocols, its one
 * cipher list for TLS 1.2 and older, its TLS 1.3 suites, server order, groups and certificate fixed)
 * no longer draws a fail or warn finding from the policy, whatever it offered before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProtocolVersion, TargetObservation } from '../../src/index.js';
import { PROTOCOL_VERSIONS } from '../../src/model/index.js';
import { builtinPolicyIds, compilePolicy, evaluate, loadPolicy } from '../../src/policy/index.js';
import { CIPHER_SUITES, suiteByCode, type CipherSuite } from '../../src/registry/index.js';
import { planRemediation, type RemediationPlan } from '../../src/remediation/index.js';

const POOL = CIPHER_SUITES.filter(
  (s) =>
    s.iana &&
    !s.scsv &&
    ['RSA', 'DHE', 'ECDHE', 'DH_anon', 'TLS13'].some((k) => s.keyExchange === k || (k === 'DH_anon' && s.anonymous)) &&
    ['AES', 'CHACHA20', '3DES_EDE', 'RC4', 'NULL', 'CAMELLIA'].includes(s.cipher),
);
const TLS13 = POOL.filter((s) => s.tls13);
const LEGACY = POOL.filter((s) => !s.tls13);

/** Whether a suite can be negotiated with a version: AEAD and SHA-2 suites need TLS 1.2. */
function usable(s: CipherSuite, v: ProtocolVersion): boolean {
  if (v === 'TLSv1.3') return s.tls13;
  if (s.tls13) return false;
  if (v === 'TLSv1.2') return true;
  return !s.aead && (s.hash === 'SHA' || s.hash === 'MD5');
}

const groups = ['x25519', 'secp256r1', 'secp384r1', 'secp521r1', 'secp256k1'];
const kexFor = (s: CipherSuite) =>
  s.keyExchange === 'DHE'
    ? fc.option(fc.constantFrom(1024, 2048, 3072).map((b) => ({ kexInfo: `dh ${b}`, kexBits: b })), { nil: undefined })
    : s.keyExchange === 'ECDHE' || s.tls13
      ? fc.option(fc.constantFrom(...groups).map((g) => ({ group: g })), { nil: undefined })
      : fc.constant(undefined);

const observationArb: fc.Arbitrary<TargetObservation> = fc
  .record({
    versions: fc.subarray(['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as ProtocolVersion[], { minLength: 1 }),
    legacy: fc.subarray(LEGACY, { minLength: 1, maxLength: 8 }),
    tls13: fc.subarray(TLS13, { minLength: 1 }),
    preference: fc.constantFrom('server', 'client', 'indeterminate', undefined),
    certificate: fc.option(fc.constantFrom({ keyType: 'RSA', keyBits: 1024 }, { keyType: 'RSA', keyBits: 2048 }, { keyType: 'EC', keyBits: 256 }), { nil: undefined }),
  })
  .chain((r) =>
    fc
      .tuple(...[...r.legacy, ...r.tls13].map((s) => kexFor(s).map((kex) => [s.hex, kex] as const)))
      .map((kexes) => {
        const kex = new Map(kexes);
        const obs: TargetObservation = {
          host: 'h.test',
          port: 443,
          sources: ['nmap'],
          runs: [{ source: 'nmap' }],
          protocols: PROTOCOL_VERSIONS.filter((v) => r.versions.includes(v)).map((v) => ({
            version: v,
            evidence: [{ source: 'nmap' as const }],
            ...(r.preference && { cipherPreference: r.preference }),
            ciphers: [...r.legacy, ...r.tls13]
              .filter((s) => usable(s, v))
              .map((s) => ({ code: s.hex, name: s.name, evidence: [{ source: 'nmap' as const, ...kex.get(s.hex) }] })),
          })),
        };
        if (r.certificate) obs.certificate = r.certificate;
        return obs;
      }),
  );

/** The server after the change: what the plan configures, judged as a scan would see it. */
function applyPlan(before: TargetObservation, plan: RemediationPlan): TargetObservation {
  const offered13 = before.protocols.find((p) => p.version === 'TLSv1.3')?.ciphers.map((c) => suiteByCode(c.code)!) ?? [];
  const disabled = new Set(plan.disableSuites.map((s) => s.code));
  const suites13 = plan.tls13Suites ? plan.tls13Suites.map((s) => suiteByCode(s.code)!) : offered13.filter((s) => !disabled.has(s.hex));
  const legacy = plan.suites.map((s) => suiteByCode(s.code)!);
  const fixedKex = plan.rules.keyExchange.length > 0;
  const kexOf = (code: string) => {
    if (fixedKex) return {};
    for (const p of before.protocols) for (const c of p.ciphers) if (c.code === code) return { ...c.evidence[0] };
    return {};
  };
  const after: TargetObservation = {
    ...before,
    protocols: plan.protocols.map((v) => ({
      version: v,
      evidence: [{ source: 'nmap' as const }],
      ...(plan.serverPreference ? { cipherPreference: 'server' as const } : before.protocols.find((p) => p.version === v)?.cipherPreference ? { cipherPreference: before.protocols.find((p) => p.version === v)!.cipherPreference! } : {}),
      ciphers: (v === 'TLSv1.3' ? suites13 : legacy.filter((s) => usable(s, v))).map((s) => ({
        code: s.hex,
        name: s.name,
        evidence: [{ ...kexOf(s.hex), source: 'nmap' as const }],
      })),
    })),
  };
  if (plan.rules.certificate.length > 0) delete after.certificate;
  return after;
}

describe('a target reconfigured by its plan complies', () => {
  it.each(builtinPolicyIds())('%s', (id) => {
    const policy = compilePolicy(loadPolicy(id));
    fc.assert(
      fc.property(observationArb, (before) => {
        const plan = planRemediation(before, policy);
        const after = applyPlan(before, plan);
        const left = evaluate(policy, after).findings.filter((f) => f.severity !== 'info');
        expect(left, JSON.stringify({ plan: { protocols: plan.protocols, suites: plan.suites.map((s) => s.name) } })).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
