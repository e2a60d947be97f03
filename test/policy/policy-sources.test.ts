/**
 * The built-in policies held against the stored copies of their sources (fixtures/sources/, origins in
 * fixtures/README.md): every list, date and requirement the policy takes from the text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/index.js';
import type { Policy, RequireAnySuiteRule, RequireProtocolRule, SourceMarkedWeakRule } from '../../src/policy/policy.js';
import { DATAVERSE_APPROVED_SUITES } from '../helpers/dataverse-contract.js';

const page = (revision: string) => readFileSync(`fixtures/sources/dataverse/server-cipher-tls-requirements-${revision}.md`, 'utf8');
/** Suite names in a stretch of the page, in order. */
const suitesIn = (text: string) => [...text.matchAll(/\bTLS_[A-Z0-9_]+/g)].map((m) => m[0]);
const between = (text: string, from: string, to: string) => text.slice(text.indexOf(from) + from.length, text.indexOf(to, text.indexOf(from)));
const msDate = (text: string) => {
  const [, m, d, y] = /ms\.date: (\d\d)\/(\d\d)\/(\d{4})/.exec(text)!;
  return `${y}-${m}-${d}`;
};
const rule = <T>(policy: Policy, id: string) => policy.rules.find((r) => r.id === id) as T;

describe('dataverse: the page as revised on 2024-12-02', () => {
  const text = page('2024-12-02');
  const policy = loadPolicy('dataverse');

  it('is the revision the policy names, with the page address', () => {
    expect(msDate(text)).toBe('2024-12-02');
    expect(policy.version).toBe('2024-12-02');
    expect(policy.source?.date).toBe('2024-12-02');
    expect(policy.source?.url).toBe('https://learn.microsoft.com/en-us/power-platform/admin/server-cipher-tls-requirements');
  });

  it('asks for TLS 1.3 or TLS 1.2', () => {
    expect(text).toContain('Transport Layer Security (TLS) 1.3/1.2 compliance');
    const r = rule<RequireProtocolRule>(policy, 'tls13-or-tls12');
    expect([r.protocol, ...(r.alternatives ?? [])].sort()).toEqual(['TLSv1.2', 'TLSv1.3']);
    expect(r.severity).toBe('fail');
  });

  it('lists the same suites, TLS 1.3 and TLS 1.2, as the approved-suite rule', () => {
    const tls13 = suitesIn(between(text, '## TLS 1.3', '## TLS 1.2'));
    const tls12 = suitesIn(between(text, '## TLS 1.2', '[!IMPORTANT]'));
    expect(tls13).toEqual(['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256']);
    expect(tls12).toEqual([...DATAVERSE_APPROVED_SUITES]);
    const r = rule<RequireAnySuiteRule>(policy, 'approved-suite');
    expect(r.suites.names).toEqual([...tls13, ...tls12]);
    expect(r.protocols?.slice().sort()).toEqual(['TLSv1.2', 'TLSv1.3']);
  });

  it('deprecates TLS 1.0/1.1 and TLS_RSA: warnings, not failures', () => {
    expect(text).toContain('Older TLS 1.0 & 1.1 and cipher suites, (for example TLS_RSA) have been deprecated');
    expect(policy.rules.find((r) => r.id === 'legacy-protocols')?.severity).toBe('warn');
    expect(policy.rules.find((r) => r.id === 'plain-rsa-key-exchange')?.severity).toBe('warn');
  });

  it('explains the SSL Labs weak mark on exactly the suites the page names, as information', () => {
    const sentence = text.slice(text.indexOf('**TLS_ECDHE_RSA'), text.indexOf('not vulnerable'));
    expect(sentence).toContain('may show up as weak');
    const r = rule<SourceMarkedWeakRule>(policy, 'ssllabs-weak-cbc-note');
    expect(r.suites.names).toEqual(suitesIn(sentence.slice(0, sentence.indexOf('may show up'))));
    expect(r.severity).toBe('info');
  });

  it('also asks for root CA certificates on the server, which the policy says no scan can see', () => {
    expect(text).toContain('The following Root CA Certificates installed');
    expect(policy.description).toMatch(/root CA certificates installed on the server, cannot be seen by a scan/);
    expect(readFileSync('docs/policies.md', 'utf8')).toMatch(/root CA/);
  });
});

describe('dataverse-2021: the page as revised on 2021-03-04', () => {
  const text = page('2021-03-04');
  const policy = loadPolicy('dataverse-2021');

  it('is the revision the policy names', () => {
    expect(msDate(text)).toBe('2021-03-04');
    expect(policy.version).toBe('2021-03-04');
  });

  it('asks for TLS 1.2 alone, with one of the eight suites', () => {
    expect(text).toContain('Transport Layer Security (TLS) 1.2 compliance');
    expect(text).not.toContain('1.3');
    const r = rule<RequireProtocolRule>(policy, 'tls12-required');
    expect(r.protocol).toBe('TLSv1.2');
    expect(r.alternatives).toBeUndefined();
    const listed = suitesIn(between(text, 'At least one of the following ciphers:', '[!IMPORTANT]'));
    expect(listed).toEqual([...DATAVERSE_APPROVED_SUITES]);
    expect(rule<RequireAnySuiteRule>(policy, 'approved-suite').suites.names).toEqual(listed);
  });
});
