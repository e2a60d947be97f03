import { describe, expect, it } from 'vitest';
import type { EvidenceGap, TargetObservation } from '../../src/model/index.js';
import { compilePolicy, evaluate, type Policy } from '../../src/policy/index.js';
import { observation } from './observations.js';

/** A Dataverse-shaped policy written out here, so the test does not move when the built-in one is revised. */
const policy: Policy = {
  schemaVersion: 2,
  id: 'gap-test',
  name: 'gap test',
  rules: [
    { id: 'tls12-required', type: 'require-protocol', protocol: 'TLSv1.2', severity: 'fail', message: 'TLS 1.2 is not offered.' },
    {
      id: 'approved-suite',
      type: 'require-any-suite',
      protocols: ['TLSv1.2'],
      severity: 'fail',
      message: 'No approved suite.',
      suites: { names: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] },
    },
    { id: 'legacy-protocols', type: 'forbid-protocols', protocols: ['SSLv3', 'TLSv1.0', 'TLSv1.1'], severity: 'warn', message: 'Old: {protocols}.' },
    { id: 'no-rc4', type: 'forbid-suites', severity: 'fail', message: 'RC4: {suites}.', suites: { names: ['TLS_RSA_WITH_RC4_128_SHA'] } },
    { id: 'rsa-key', type: 'certificate', keyTypes: ['rsa'], minRsaBits: 2048, severity: 'fail', message: 'Key: {details}.' },
  ],
};
const compiled = compilePolicy(policy);

const GOOD = 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256';
const RSA_CERT = { keyType: 'RSA', keyBits: 2048 };

function withGaps(o: TargetObservation, gaps: EvidenceGap[]): TargetObservation {
  return { ...o, incomplete: gaps };
}

const gap = (protocol: EvidenceGap['protocol'], reason = 'the server reset the connection on every retry'): EvidenceGap => ({
  source: 'probe',
  ...(protocol && { protocol }),
  reason,
});

describe('incomplete evidence in the policy engine', () => {
  it('a target that would pass with nothing missing passes', () => {
    expect(evaluate(compiled, observation([{ version: 'TLSv1.2', suites: [GOOD] }], { certificate: RSA_CERT })).status).toBe('pass');
  });

  it('an unsettled protocol in a rule\'s scope turns that pass into error, naming the gap and the rules', () => {
    const v = evaluate(compiled, withGaps(observation([{ version: 'TLSv1.2', suites: [GOOD] }], { certificate: RSA_CERT }), [gap('TLSv1.0')]));
    expect(v.status).toBe('error');
    expect(v.findings[0]).toMatchObject({ rule: 'incomplete-evidence', severity: 'fail', evidence: { protocols: ['TLSv1.0'], sources: ['probe'] } });
    expect(v.findings[0]!.message).toMatch(/TLSv1\.0: the server reset the connection on every retry/);
    // TLS 1.0 could be on (legacy-protocols) and could carry RC4 (no-rc4): both are open.
    expect(v.findings[0]!.message).toMatch(/legacy-protocols, no-rc4 depend on what is missing/);
  });

  it('a warn is no more certain than a pass: it becomes error too, and keeps its finding', () => {
    const o = observation([{ version: 'TLSv1.0', suites: [GOOD] }, { version: 'TLSv1.2', suites: [GOOD] }], { certificate: RSA_CERT });
    expect(evaluate(compiled, o).status).toBe('warn');
    const v = evaluate(compiled, withGaps(o, [gap('TLSv1.3')]));
    expect(v.status).toBe('error');
    expect(v.findings.map((f) => f.rule)).toEqual(['incomplete-evidence', 'legacy-protocols']);
  });

  it('a fail that settled evidence proves stays a fail, and says what could not be judged', () => {
    // RC4 was seen accepted: whatever is missing cannot take that back.
    const o = observation([{ version: 'TLSv1.2', suites: [GOOD, 'TLS_RSA_WITH_RC4_128_SHA'] }], { certificate: RSA_CERT });
    const v = evaluate(compiled, withGaps(o, [gap('TLSv1.1')]));
    expect(v.status).toBe('fail');
    expect(v.findings.map((f) => `${f.severity}:${f.rule}`)).toEqual(['fail:no-rc4', 'info:incomplete-evidence']);
    expect(v.findings[1]!.message).toMatch(/the fail stands on what was settled \(no-rc4\)/);
  });

  it('a fail from absence is not proven when the missing protocol is the one required', () => {
    // TLS 1.2 not seen, but its enumeration did not finish: "not offered" would be a guess.
    const o = observation([{ version: 'TLSv1.3', suites: ['TLS_AES_128_GCM_SHA256'] }], { certificate: RSA_CERT });
    expect(evaluate(compiled, o).status).toBe('fail');
    const v = evaluate(compiled, withGaps(o, [gap('TLSv1.2', 'every hello size was answered with alert decode_error')]));
    expect(v.status).toBe('error');
    expect(v.findings[0]!.message).toMatch(/tls12-required, approved-suite/);
  });

  it('a fail from absence stands when the gap is elsewhere', () => {
    const o = observation([{ version: 'TLSv1.3', suites: ['TLS_AES_128_GCM_SHA256'] }], { certificate: RSA_CERT });
    const v = evaluate(compiled, withGaps(o, [gap('SSLv3')]));
    expect(v.status).toBe('fail');
    expect(v.findings.map((f) => f.rule)).toEqual(['tls12-required', 'approved-suite', 'incomplete-evidence']);
  });

  it('a requirement already met stays met, whatever is missing in its scope', () => {
    const required = compilePolicy({ ...policy, rules: policy.rules.filter((r) => r.id === 'tls12-required' || r.id === 'approved-suite') });
    const v = evaluate(required, withGaps(observation([{ version: 'TLSv1.2', suites: [GOOD] }]), [gap('TLSv1.2', 'the rest of the enumeration was cut short')]));
    expect(v.status).toBe('pass');
    expect(v.findings[0]!.message).toMatch(/nothing missing could change the verdict/);
  });

  it('a gap no rule looks at leaves the verdict alone, with an info note', () => {
    const narrow = compilePolicy({ ...policy, rules: policy.rules.filter((r) => r.id === 'tls12-required' || r.id === 'approved-suite') });
    const v = evaluate(narrow, withGaps(observation([{ version: 'TLSv1.2', suites: [GOOD] }]), [gap('SSLv3')]));
    expect(v.status).toBe('pass');
    expect(v.findings).toMatchObject([{ rule: 'incomplete-evidence', severity: 'info' }]);
  });

  it('a certificate that could not be read leaves the certificate rule open; one that was read does not', () => {
    const certGap: EvidenceGap = { source: 'probe', certificate: true, reason: 'the certificate handshake was reset on every retry' };
    const o = observation([{ version: 'TLSv1.2', suites: [GOOD] }]);
    expect(evaluate(compiled, withGaps(o, [certGap])).status).toBe('error');
    expect(evaluate(compiled, withGaps({ ...o, certificate: RSA_CERT }, [certGap])).status).toBe('pass');
  });

  it('a gap over everything (no protocol named) leaves every rule open', () => {
    const v = evaluate(compiled, withGaps(observation([{ version: 'TLSv1.2', suites: [GOOD] }], { certificate: RSA_CERT }), [{ source: 'probe', reason: 'the server stopped answering' }]));
    expect(v.status).toBe('error');
    expect(v.findings[0]!.message).toMatch(/everything: the server stopped answering/);
  });
});
