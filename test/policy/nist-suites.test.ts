/**
 * NIST SP 800-52r2's suite lists as the policy encodes them: §3.3.1.1 allows suites for ECDSA, RSA, DSA,
 * DH and ECDH certificates, Appendix C pre-shared-key suites, and TLS 1.2 may be off where TLS 1.3 is on.
 * (No stored copy of the document could be found; see fixtures/README.md.)
 */
import { describe, expect, it } from 'vitest';
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
