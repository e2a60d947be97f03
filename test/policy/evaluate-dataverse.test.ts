import { describe, expect, it } from 'vitest';
import type { ProtocolVersion, SourceKind, TargetObservation } from '../../src/model/index.js';
import { compilePolicy, evaluate, loadPolicy } from '../../src/policy/index.js';
import { suiteByName } from '../../src/registry/index.js';
import { DATAVERSE_APPROVED_SUITES } from '../helpers/dataverse-contract.js';

const dataverse = compilePolicy(loadPolicy('dataverse'));
const dataverse2021 = compilePolicy(loadPolicy('dataverse-2021'));

/** A target offering `offer[version] = [IANA names]`, observed by one source. */
function target(offer: Partial<Record<ProtocolVersion, string[]>>, source: SourceKind = 'nmap'): TargetObservation {
  return {
    host: 'server.test',
    address: '127.0.0.1',
    port: 443,
    sources: [source],
    runs: [{ source }],
    protocols: Object.entries(offer).map(([version, names]) => ({
      version: version as ProtocolVersion,
      evidence: [{ source }],
      ciphers: names.map((name) => {
        const suite = suiteByName(name);
        if (!suite) throw new Error(`test data: unknown suite ${name}`);
        return { code: suite.hex, name: suite.name, evidence: [{ source }] };
      }),
    })),
  };
}

const rules = (t: TargetObservation, strict = false) =>
  evaluate(dataverse, t, { strict }).findings.map((f) => `${f.severity}:${f.rule}`).sort();

describe('the Dataverse policy', () => {
  it('passes TLS 1.2 with one approved suite', () => {
    const v = evaluate(dataverse, target({ 'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] }));
    expect(v).toEqual({ status: 'pass', findings: [] });
  });

  it('accepts each of the eight approved suites on its own', () => {
    for (const name of DATAVERSE_APPROVED_SUITES) expect(evaluate(dataverse, target({ 'TLSv1.2': [name] })).status, name).toBe('pass');
  });

  it('fails ECDHE suites that are not among the eight (SHA-1 CBC, ChaCha20)', () => {
    const t = target({
      'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
    });
    expect(rules(t)).toEqual(['fail:approved-suite']);
  });

  it('fails a plain-RSA-only server and also flags the deprecated suites', () => {
    const t = target({ 'TLSv1.2': ['TLS_RSA_WITH_AES_128_CBC_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384'] });
    const v = evaluate(dataverse, t);
    expect(v.status).toBe('fail');
    expect(rules(t)).toEqual(['fail:approved-suite', 'warn:plain-rsa-key-exchange']);
    const rsa = v.findings.find((f) => f.rule === 'plain-rsa-key-exchange');
    expect(rsa?.evidence?.ciphers).toEqual(['0x003C', '0x009D']);
    expect(rsa?.message).toContain('TLS_RSA_WITH_AES_128_CBC_SHA256, TLS_RSA_WITH_AES_256_GCM_SHA384');
    expect(rsa?.evidence?.sources).toEqual(['nmap']);
  });

  it('fails a TLS 1.0/1.1-only server even with ECDHE suites there', () => {
    const suites = ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'];
    const t = target({ 'TLSv1.0': suites, 'TLSv1.1': suites });
    expect(rules(t)).toEqual(['fail:approved-suite', 'fail:tls13-or-tls12', 'warn:legacy-protocols']);
    const legacy = evaluate(dataverse, t).findings.find((f) => f.rule === 'legacy-protocols');
    expect(legacy?.evidence?.protocols).toEqual(['TLSv1.0', 'TLSv1.1']);
    expect(legacy?.message).toBe('Deprecated protocol versions are enabled: TLSv1.0, TLSv1.1.');
  });

  it('passes a TLS 1.3-only server with either approved TLS 1.3 suite (the 2024-12-02 revision)', () => {
    expect(evaluate(dataverse, target({ 'TLSv1.3': ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'] })).status).toBe('pass');
    expect(evaluate(dataverse, target({ 'TLSv1.3': ['TLS_AES_256_GCM_SHA384'] })).status).toBe('pass');
    expect(evaluate(dataverse, target({ 'TLSv1.3': ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'] })).status).toBe('pass');
  });

  it('fails TLS 1.3 with only suites the page does not list (ChaCha20, CCM)', () => {
    const t = target({ 'TLSv1.3': ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256'] });
    expect(rules(t)).toEqual(['fail:approved-suite']);
  });

  it('dataverse-2021 still fails a TLS 1.3-only server: that revision asks for TLS 1.2', () => {
    const t = target({ 'TLSv1.3': ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'] });
    expect(evaluate(dataverse2021, t).findings.map((f) => `${f.severity}:${f.rule}`).sort()).toEqual(['fail:approved-suite', 'fail:tls12-required']);
    expect(evaluate(dataverse2021, target({ 'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] })).status).toBe('pass');
  });

  it('does not count an approved suite offered only with another protocol', () => {
    const t = target({
      'TLSv1.0': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      'TLSv1.2': ['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
    });
    expect(rules(t)).toEqual(['fail:approved-suite', 'warn:legacy-protocols']);
  });

  it('warns when an approved suite comes with TLS 1.0 enabled', () => {
    const t = target({
      'TLSv1.0': ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
      'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
    });
    expect(evaluate(dataverse, t).status).toBe('warn');
    expect(rules(t)).toEqual(['warn:legacy-protocols']);
  });

  it('counts SSLv3 and export RSA suites as deprecated', () => {
    const t = target({
      SSLv3: ['TLS_RSA_EXPORT_WITH_RC4_40_MD5'],
      'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
    });
    const v = evaluate(dataverse, t);
    expect(v.status).toBe('warn');
    expect(v.findings.find((f) => f.rule === 'legacy-protocols')?.evidence?.protocols).toEqual(['SSLv3']);
    expect(v.findings.find((f) => f.rule === 'plain-rsa-key-exchange')?.evidence?.ciphers).toEqual(['0x0003']);
  });

  it('turns warnings into failures with --strict, and says so', () => {
    const t = target({ 'TLSv1.1': ['TLS_RSA_WITH_AES_128_CBC_SHA'], 'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] });
    expect(evaluate(dataverse, t).status).toBe('warn');
    const v = evaluate(dataverse, t, { strict: true });
    expect(v.status).toBe('fail');
    expect(v.findings.every((f) => f.severity === 'fail' && (f as { escalated?: boolean }).escalated)).toBe(true);
  });

  it('fails a server that offered no protocol at all', () => {
    expect(rules(target({}))).toEqual(['fail:approved-suite', 'fail:tls13-or-tls12']);
  });

  it('gives status error, with the reason, when the target could not be assessed', () => {
    const t: TargetObservation = { ...target({}), error: 'Connection refused.', runs: [{ source: 'probe', error: 'Connection refused.' }] };
    const v = evaluate(dataverse, t);
    expect(v.status).toBe('error');
    expect(v.findings).toEqual([
      { rule: 'assessment-error', severity: 'fail', message: 'Connection refused.', evidence: { sources: ['probe'] } },
    ]);
  });

  it('reports source disagreements as information that does not change the status', () => {
    const t: TargetObservation = {
      ...target({ 'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] }),
      disagreements: [{ message: 'nmap saw TLSv1.0 enabled; ssllabs did not.', sources: ['nmap', 'ssllabs'], protocols: ['TLSv1.0'] }],
    };
    const v = evaluate(dataverse, t);
    expect(v.status).toBe('pass');
    expect(v.findings).toEqual([
      {
        rule: 'source-disagreement',
        severity: 'info',
        message: 'nmap saw TLSv1.0 enabled; ssllabs did not.',
        evidence: { sources: ['nmap', 'ssllabs'], protocols: ['TLSv1.0'] },
      },
    ]);
  });

  it('matches a suite the registry does not know only by code, never by properties', () => {
    const t = target({ 'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] });
    t.protocols[0]!.ciphers.push({ code: '0xFAFA', name: 'UNKNOWN_0xFAFA', evidence: [{ source: 'nmap' }] });
    expect(evaluate(dataverse, t).status).toBe('pass');
  });

  describe("SSL Labs' weak mark on the approved ECDHE_RSA CBC suites", () => {
    /** The target as SSL Labs reports it: q = 1 (weak) on the named suites. */
    function labs(offer: string[], weak: string[]): TargetObservation {
      const t = target({ 'TLSv1.2': offer }, 'ssllabs');
      for (const c of t.protocols[0]!.ciphers) if (weak.includes(c.name)) c.evidence = [{ source: 'ssllabs', q: 1 }];
      return t;
    }

    it('adds an info note, never a finding that changes the status', () => {
      const cbc = ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'];
      const v = evaluate(dataverse, labs(cbc, cbc));
      expect(v.status).toBe('pass');
      expect(v.findings).toHaveLength(1);
      expect(v.findings[0]).toMatchObject({ rule: 'ssllabs-weak-cbc-note', severity: 'info', evidence: { ciphers: ['0xC027', '0xC028'], sources: ['ssllabs'], protocols: ['TLSv1.2'] } });
      expect(v.findings[0]!.message).toContain('do not apply to Windows');
      expect(evaluate(dataverse, labs(cbc, cbc), { strict: true }).status).toBe('pass');
    });

    it('says nothing when SSL Labs did not mark them, or for suites the page does not name', () => {
      expect(evaluate(dataverse, labs(['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'], [])).findings).toEqual([]);
      const other = labs(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'], ['TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256']);
      expect(evaluate(dataverse, other).findings).toEqual([]);
    });
  });
});
