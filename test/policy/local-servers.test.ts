/**
 * Every built-in policy against real `openssl s_server` processes on loopback, observed by the native
 * probe. Expected verdicts come from the servers' configurations and the policies' sources (reasoning
 * beside each), not from running the code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../src/adapters/probe/index.js';
import type { TargetObservation } from '../../src/index.js';
import { compilePolicy, evaluate, loadPolicy } from '../../src/policy/index.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../helpers/openssl-server.js';

let certs: TestCerts;
const servers: OpenSslServer[] = [];
const seen: Record<'legacy' | 'ecdsa12' | 'tls13', TargetObservation> = {} as never;

beforeAll(async () => {
  certs = await makeTestCerts();
  const configs = {
    // TLS 1.0 and 1.2, RSA 2048, the client's order; one plain-RSA, one DHE and one ECDHE suite.
    legacy: { cert: certs.rsa, protocols: ['TLSv1', 'TLSv1.2'] as const, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:AES128-SHA' },
    // TLS 1.2 and 1.3, ECDSA P-256, server order; an ECDHE-ECDSA GCM and a CBC-SHA suite; two AES TLS 1.3 suites.
    ecdsa12: {
      cert: certs.ecdsa,
      protocols: ['TLSv1.2', 'TLSv1.3'] as const,
      ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA',
      ciphersuites: 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384',
      serverPreference: true,
    },
    // TLS 1.3 only, ECDSA P-256, AES-256-GCM and ChaCha20.
    tls13: { cert: certs.ecdsa, protocols: ['TLSv1.3'] as const, ciphersuites: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256' },
  };
  await Promise.all(
    Object.entries(configs).map(async ([name, config]) => {
      const server = await startOpenSslServer(config);
      servers.push(server);
      seen[name as keyof typeof seen] = await probe({ host: '127.0.0.1', port: server.port }, { timeout: 5000 });
    }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await certs?.cleanup();
});

function outcome(policyId: string, target: TargetObservation) {
  const v = evaluate(compilePolicy(loadPolicy(policyId)), target);
  return { status: v.status, fired: v.findings.filter((f) => f.severity !== 'info').map((f) => f.rule).sort() };
}

describe('TLS 1.0 + 1.2 server, RSA, client order, AES128-SHA / DHE-RSA-AES256-GCM / ECDHE-RSA-AES128-GCM', () => {
  it('was observed as configured', () => {
    expect(seen.legacy.protocols.map((p) => p.version)).toEqual(['TLSv1.0', 'TLSv1.2']);
  });
  it('dataverse: warn (TLS 1.0 on, plain RSA on; an approved ECDHE suite is there)', () => {
    expect(outcome('dataverse', seen.legacy)).toEqual({ status: 'warn', fired: ['legacy-protocols', 'plain-rsa-key-exchange'] });
  });
  it('mozilla-intermediate: fail (TLS 1.0; AES128-SHA is not one of the nine)', () => {
    expect(outcome('mozilla-intermediate', seen.legacy)).toEqual({ status: 'fail', fired: ['legacy-protocols', 'tls12-suites'] });
  });
  it('mozilla-old: warn (every suite is on its list, DH is 2048; but the client order decides)', () => {
    expect(outcome('mozilla-old', seen.legacy)).toEqual({ status: 'warn', fired: ['server-order'] });
  });
  it('mozilla-modern: fail (no TLS 1.3, older versions on, RSA key)', () => {
    expect(outcome('mozilla-modern', seen.legacy)).toEqual({ status: 'fail', fired: ['certificate-type', 'only-tls13', 'tls13-required'] });
  });
  it('nist-800-52r2: fail (no TLS 1.3, TLS 1.0 prohibited; AES128-SHA only as an Appendix D transition suite)', () => {
    expect(outcome('nist-800-52r2', seen.legacy)).toEqual({
      status: 'fail',
      fired: ['prohibited-protocols', 'rsa-key-transport', 'tls13-required'],
    });
  });
});

describe('TLS 1.2 + 1.3 server, ECDSA P-256, server order, ECDHE-ECDSA GCM and CBC-SHA', () => {
  it('dataverse: pass (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 is one of the eight)', () => {
    expect(outcome('dataverse', seen.ecdsa12)).toEqual({ status: 'pass', fired: [] });
  });
  it('mozilla-intermediate: fail (ECDHE-ECDSA-AES256-SHA is not one of the nine)', () => {
    expect(outcome('mozilla-intermediate', seen.ecdsa12)).toEqual({ status: 'fail', fired: ['tls12-suites'] });
  });
  it('mozilla-old: warn (its suites are all listed; the certificate is ECDSA where Old says RSA)', () => {
    expect(outcome('mozilla-old', seen.ecdsa12)).toEqual({ status: 'warn', fired: ['certificate-type'] });
  });
  it('mozilla-modern: fail (TLS 1.2 on)', () => {
    expect(outcome('mozilla-modern', seen.ecdsa12)).toEqual({ status: 'fail', fired: ['only-tls13'] });
  });
  it('nist-800-52r2: pass (both suites in §3.3.1.1, AES-GCM TLS 1.3 suites, P-256 key)', () => {
    expect(outcome('nist-800-52r2', seen.ecdsa12)).toEqual({ status: 'pass', fired: [] });
  });
});

describe('TLS 1.3-only server, ECDSA P-256, AES-256-GCM and ChaCha20', () => {
  it('mozilla-modern and mozilla-intermediate: pass', () => {
    expect(outcome('mozilla-modern', seen.tls13)).toEqual({ status: 'pass', fired: [] });
    expect(outcome('mozilla-intermediate', seen.tls13)).toEqual({ status: 'pass', fired: [] });
  });
  it('dataverse: pass (TLS 1.3 with TLS_AES_256_GCM_SHA384); dataverse-2021: fail (no TLS 1.2)', () => {
    expect(outcome('dataverse', seen.tls13)).toEqual({ status: 'pass', fired: [] });
    expect(outcome('dataverse-2021', seen.tls13)).toEqual({ status: 'fail', fired: ['approved-suite', 'tls12-required'] });
  });
  it('nist-800-52r2: fail (ChaCha20 not approved; TLS 1.2 may be off where TLS 1.3 is on)', () => {
    expect(outcome('nist-800-52r2', seen.tls13)).toEqual({ status: 'fail', fired: ['approved-tls13-suites'] });
  });
});
