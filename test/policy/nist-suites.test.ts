/**
 * NIST SP 800-52r2's suite lists as the policy encodes them: §3.3.1.1 allows suites for ECDSA, RSA, DSA,
 * DH and ECDH certificates, Appendix C pre-shared-key suites, and TLS 1.2 may be off where TLS 1.3 is on.
 * The lists themselves are held against fixtures/sources/nist/ (a transcription of the document's lists).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CIPHER_SUITES } from '../../src/registry/cipher-suites.js';
import { compilePolicy, evaluate, loadPolicy } from '../../src/policy/index.js';
import { observation } from './observations.js';

const nist = compilePolicy(loadPolicy('nist-800-52r2'));
const fired = (suites: string[]) =>
  evaluate(nist, observation([{ version: 'TLSv1.2', suites }, { version: 'TLSv1.3', suites: ['TLS_AES_128_GCM_SHA256'] }]))
    .findings.filter((f) => f.severity !== 'info')
    .map((f) => f.rule)
    .sort();

describe('nist-800-52r2 suites', () => {
  it.each([
    ['DSA certificates (DHE_DSS)', ['TLS_DHE_DSS_WITH_AES_128_GCM_SHA256', 'TLS_DHE_DSS_WITH_AES_256_GCM_SHA384', 'TLS_DHE_DSS_WITH_AES_128_CBC_SHA256', 'TLS_DHE_DSS_WITH_AES_256_CBC_SHA']],
    ['DH certificates (DH_DSS, DH_RSA)', ['TLS_DH_DSS_WITH_AES_128_GCM_SHA256', 'TLS_DH_RSA_WITH_AES_256_GCM_SHA384', 'TLS_DH_RSA_WITH_AES_128_CBC_SHA256', 'TLS_DH_DSS_WITH_AES_256_CBC_SHA']],
    ['ECDH certificates (ECDH_ECDSA, ECDH_RSA)', ['TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384', 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA']],
    ['pre-shared keys (Appendix C)', ['TLS_PSK_WITH_AES_128_GCM_SHA256', 'TLS_DHE_PSK_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256', 'TLS_PSK_WITH_AES_128_CCM']],
  ])('allows the suites for %s', (_label, suites) => {
    expect(fired(suites)).toEqual([]);
  });

  it('still forbids what is not composed of approved algorithms', () => {
    expect(fired(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA'])).toEqual(['approved-suites']);
    expect(fired(['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'])).toEqual(['approved-suites']);
    expect(fired(['TLS_ECDH_anon_WITH_AES_128_CBC_SHA'])).toEqual(['approved-suites']);
    expect(fired(['TLS_RSA_PSK_WITH_AES_128_GCM_SHA256'])).toEqual(['approved-suites']);
  });

  it('passes a TLS 1.3-only server with approved suites: TLS 1.2 may be disabled where TLS 1.3 is supported', () => {
    const only13 = observation([{ version: 'TLSv1.3', suites: ['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256'] }]);
    // Only an info note (no source reported certificate signatures) may remain.
    const verdict = evaluate(nist, only13);
    expect(verdict.status).toBe('pass');
    expect(verdict.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const tls11 = observation([{ version: 'TLSv1.1', suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] }]);
    expect(evaluate(nist, tls11).findings.map((f) => f.rule)).toContain('tls12-required');
  });
});

describe('nist-800-52r2 against the stored §3.3.1 lists', () => {
  const listed = readFileSync('fixtures/sources/nist/sp800-52r2-cipher-suites.txt', 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('|').map((x) => x.trim()) as [string, string, string, string]);
  const tls12 = listed.filter(([, , protocols]) => protocols !== 'TLS 1.3').map(([, , , name]) => name);
  const tls13 = listed.filter(([, , protocols]) => protocols === 'TLS 1.3').map(([, , , name]) => name);
  const suiteRule = (version: 'TLSv1.2' | 'TLSv1.3', name: string) =>
    evaluate(nist, observation([{ version, suites: [name] }, ...(version === 'TLSv1.2' ? [{ version: 'TLSv1.3' as const, suites: ['TLS_AES_128_GCM_SHA256'] }] : [])]))
      .findings.filter((f) => f.rule === 'approved-suites' || f.rule === 'approved-tls13-suites')
      .map((f) => f.rule);

  it('every listed suite is allowed, each on its protocol', () => {
    expect(tls12.length + tls13.length).toBe(listed.length);
    for (const name of tls12) expect(suiteRule('TLSv1.2', name), name).toEqual([]);
    for (const name of tls13) expect(suiteRule('TLSv1.3', name), name).toEqual([]);
  });

  it('no other certificate-based suite of the registry is allowed (pre-shared-key suites are Appendix C)', () => {
    const allowedElsewhere = CIPHER_SUITES.filter((s) => !s.name.includes('_PSK_') && s.code <= 0xffff && (s.code < 0x1300 || s.code > 0x13ff) && suiteRule('TLSv1.2', s.name).length === 0).map((s) => s.name);
    // Plain RSA key transport (Appendix D) is not in the §3.3.1.1 lists: the policy lets it pass only with a warning of its own.
    const rsaTransport = allowedElsewhere.filter((n) => n.startsWith('TLS_RSA_WITH_'));
    expect(allowedElsewhere.filter((n) => !rsaTransport.includes(n)).sort()).toEqual([...tls12].sort());
    for (const name of rsaTransport) expect(fired([name])).toContain('rsa-key-transport');
    const allowed13 = CIPHER_SUITES.filter((s) => s.code >= 0x1301 && s.code <= 0x13ff && suiteRule('TLSv1.3', s.name).length === 0).map((s) => s.name);
    expect(allowed13.sort()).toEqual([...tls13].sort());
  });
});
