import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/render/junit.js';
import { SUITES, dataversePolicy, observation, report, strictModernPolicy } from '../helpers/report-factory.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });

interface Case {
  name: string;
  classname: string;
  failure?: { message: string; '#text': string };
  error?: { message: string };
  'system-out'?: string;
}

function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as { testsuites: { tests: string; failures: string; errors: string; testsuite: Array<{ name: string; tests: string; failures: string; errors: string; testcase: Case[]; property?: unknown; 'system-out'?: string }> } };
}

describe('renderJunit', () => {
  const r = report([
    observation('ok.example', { protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
    observation('old.example', { protocols: { 'TLSv1.0': [SUITES.rsaAes128CbcSha], 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
    observation('only13.example', { protocols: { 'TLSv1.3': [SUITES.tls13Chacha] } }),
    observation('<down> & "out"', { error: 'Connection refused <ECONNREFUSED>.' }),
  ]);

  it('writes a testsuite per target and a testcase per policy rule', () => {
    const doc = parse(renderJunit(r, { policies: [dataversePolicy()] }));
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s.name)).toEqual(['ok.example:443', 'old.example:443', 'only13.example:443', '<down> & "out":443']);
    for (const s of suites) {
      expect(s.testcase.map((c) => c.name)).toEqual([
        'tls13-or-tls12: TLS 1.3 or TLS 1.2 offered',
        'approved-suite: An approved suite with TLS 1.3 or TLS 1.2',
        'legacy-protocols: No TLS 1.1 or older',
        'plain-rsa-key-exchange: No plain RSA key exchange',
        'ssllabs-weak-cbc-note: The SSL Labs weak mark on the approved ECDHE_RSA CBC suites',
      ]);
      expect(s.testcase.every((c) => c.classname === 'dataverse')).toBe(true);
      expect(Number(s.tests)).toBe(s.testcase.length);
    }
    expect(doc.testsuites.tests).toBe('20');
  });

  it('fails failing rules, passes deprecated ones with the finding in system-out, errors unassessed targets', () => {
    const [ok, old, only13, down] = parse(renderJunit(r, { policies: [dataversePolicy()] })).testsuites.testsuite;
    expect(ok!.testcase.every((c) => !c.failure && !c.error && !c['system-out'])).toBe(true);
    expect(old!.failures).toBe('0');
    expect(old!.testcase[2]!['system-out']).toMatch(/^WARN: Deprecated protocol versions are enabled: TLSv1.0/);
    expect(only13!.failures).toBe('1');
    expect(only13!.testcase[1]!.failure!.message).toMatch(/^None of the approved suites is offered: neither TLS 1.3 with/);
    expect(down!.errors).toBe('5');
    expect(down!.testcase.every((c) => c.error?.message === 'Connection refused <ECONNREFUSED>.')).toBe(true);
    const doc = parse(renderJunit(r, { policies: [dataversePolicy()] }));
    expect(doc.testsuites.failures).toBe('1');
    expect(doc.testsuites.errors).toBe('5');
  });

  it('turns deprecated settings into failures under --strict', () => {
    const strict = report([observation('old.example', { protocols: { 'TLSv1.0': [SUITES.ecdheRsaAes128CbcSha], 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })], [dataversePolicy()], true);
    const [suite] = parse(renderJunit(strict, { policies: [dataversePolicy()] })).testsuites.testsuite;
    expect(suite!.testcase.filter((c) => c.failure).map((c) => c.name)).toEqual(['legacy-protocols: No TLS 1.1 or older']);
  });

  it("has a testcase for every policy's rules in a multi-policy report", () => {
    const multi = report([observation('a.example', { protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128CbcSha256] } })], [dataversePolicy(), strictModernPolicy()]);
    const [suite] = parse(renderJunit(multi, { policies: [dataversePolicy(), strictModernPolicy()] })).testsuites.testsuite;
    expect(suite!.testcase.map((c) => `${c.classname}/${c.name.split(':')[0]}`)).toEqual([
      'dataverse/tls13-or-tls12',
      'dataverse/approved-suite',
      'dataverse/legacy-protocols',
      'dataverse/plain-rsa-key-exchange',
      'dataverse/ssllabs-weak-cbc-note',
      'modern/tls13-required',
      'modern/no-cbc',
    ]);
    expect(suite!.testcase[5]!.failure).toBeDefined();
    expect(suite!.testcase[6]!['system-out']).toMatch(/^WARN: CBC mode is enabled in 1 suite:/);
  });

  it('without policy documents, still fails on the rules the findings name', () => {
    const [, , only13] = parse(renderJunit(r)).testsuites.testsuite;
    expect(only13!.testcase.filter((c) => c.failure).map((c) => c.name)).toEqual(['approved-suite']);
  });
});
