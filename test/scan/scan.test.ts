import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress, routeTarget, scan } from '../../src/scan/index.js';
import type { SslLabsHost } from '../../src/adapters/ssllabs/index.js';
import type { TargetObservation } from '../../src/model/target.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../helpers/openssl-server.js';
import { startFakeSslLabs, type FakeSslLabs } from '../helpers/ssllabs-server.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/ssllabs/', import.meta.url));
const OK = (JSON.parse(readFileSync(`${FIXTURES}defectdojo-ok-mevitae-v3.json`, 'utf8')) as SslLabsHost[])[0]!;
const EMAIL = 'auditor@example.org';
/** Names resolve to documentation addresses (RFC 5737) without asking any DNS server. */
const publicResolver = async () => ['203.0.113.10'];

describe('routing', () => {
  const configured = { sslLabs: { email: EMAIL }, resolveAll: publicResolver };
  it.each([
    [{ host: 'www.example.org', port: 443 }, configured, 'ssllabs'],
    [{ host: 'www.example.org', port: 8443 }, configured, /port 443 only/],
    [{ host: 'mail.example.org', port: 25 }, configured, /STARTTLS \(smtp\)/],
    [{ host: 'www.example.org', port: 443, starttls: 'imap' as const }, configured, /STARTTLS \(imap\)/],
    [{ host: '192.0.2.1', port: 443 }, configured, /not addresses/],
    [{ host: '::1', port: 443 }, configured, /not addresses/],
    [{ host: 'localhost', port: 443 }, configured, /private name/],
    [{ host: 'portal.internal', port: 443 }, configured, /private name/],
    [{ host: 'intranet', port: 443 }, configured, /private name/],
    [{ host: 'www.example.org', port: 443 }, { sslLabs: {}, resolveAll: publicResolver }, /not configured/],
    [{ host: 'www.example.org', port: 443 }, { sslLabs: { apiUrl: 'http://127.0.0.1:9/api/v3/' }, resolveAll: publicResolver }, 'ssllabs'],
    [{ host: 'vpn.example.org', port: 443 }, { ...configured, resolveAll: async () => ['203.0.113.9', '10.1.2.3'] }, /private address 10\.1\.2\.3/],
  ])('%j', async (target, options, expected) => {
    const route = await routeTarget(target, options);
    if (expected === 'ssllabs') expect(route).toEqual({ source: 'ssllabs' });
    else expect(route.source === 'probe' && route.reason).toMatch(expected);
  });

  it('tells private addresses from public ones', () => {
    for (const a of ['10.0.0.1', '172.16.5.4', '192.168.1.1', '127.0.0.1', '169.254.1.1', '100.64.0.1', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1']) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '203.0.113.10', '2001:db8::1', '100.128.0.1']) expect(isPrivateAddress(a), a).toBe(false);
  });
});

describe('scan: SSL Labs where it serves, the probe elsewhere and on SSL Labs failure', () => {
  let certs: TestCerts;
  let server: OpenSslServer;
  let fake: FakeSslLabs;
  let results: TargetObservation[];
  const routes: string[] = [];

  beforeAll(async () => {
    certs = await makeTestCerts();
    server = await startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    fake = await startFakeSslLabs({
      registered: [EMAIL],
      hosts: { 'www.example.org': { report: OK, dnsPolls: 0, inProgressPolls: 0 }, 'broken.example.org': { error: 'Unable to connect to the server', dnsPolls: 0 } },
    });
    results = [];
    for await (const o of scan([`127.0.0.1:${server.port}`, 'www.example.org', 'broken.example.org'], {
      sslLabs: { apiUrl: fake.url, email: EMAIL, pollIntervalMs: { pending: 10, inProgress: 10 } },
      resolveAll: publicResolver,
      // The fallback probe must stay on loopback.
      resolve: async () => '127.0.0.1',
      timeout: 3000,
      onRoute: (t, route) => routes.push(`${t.host} ${route.source}`),
    })) {
      results.push(o);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([server?.stop(), fake?.close()]);
    await certs?.cleanup();
  });

  it('tells which source serves each target as it starts, and again when the probe takes over (the progress line)', () => {
    expect(routes.filter((r) => r.startsWith('127.'))).toEqual(['127.0.0.1 probe']);
    expect(routes.filter((r) => r.startsWith('www.'))).toEqual(['www.example.org ssllabs']);
    expect(routes.filter((r) => r.startsWith('broken.'))).toEqual(['broken.example.org ssllabs', 'broken.example.org probe']);
  });

  it('probes an address and says why', () => {
    const o = results[0]!;
    expect(o.sources).toEqual(['probe']);
    expect(o.protocols.map((p) => p.version)).toEqual(['TLSv1.2']);
    expect(o.runs).toHaveLength(1);
    expect(o.runs[0]!.reason).toMatch(/SSL Labs assesses host names, not addresses like 127\.0\.0\.1/);
  });

  it('takes a public name on 443 from SSL Labs', () => {
    const o = results.find((r) => r.host === 'www.example.org')!;
    expect(o.sources).toEqual(['ssllabs']);
    expect(o.error).toBeUndefined();
    expect(o.protocols.length).toBeGreaterThan(0);
    expect(fake.requests.some((r) => r.host === 'www.example.org')).toBe(true);
  });

  it('falls back to the probe when SSL Labs fails for a host, keeping the failed run and the reason', () => {
    const o = results.find((r) => r.host === 'broken.example.org')!;
    expect(o.sources).toEqual(['probe']);
    expect(o.runs.map((r) => r.source)).toEqual(['ssllabs', 'probe']);
    expect(o.runs[0]!.error).toMatch(/Unable to connect/);
    expect(o.runs[1]!.reason).toMatch(/^SSL Labs could not assess broken\.example\.org:443: Unable to connect/);
    // Nothing listens on 127.0.0.1:443 here, so the probe's own answer is an error too.
    expect(o.address).toBe('127.0.0.1');
  });
});
