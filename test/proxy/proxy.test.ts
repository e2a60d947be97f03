import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import type { SslLabsHost } from '../../src/adapters/ssllabs/index.js';
import { parseHttpProxy, connectRequest } from '../../src/adapters/probe/http-proxy.js';
import { closedPort } from '../helpers/misbehaving-servers.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../helpers/openssl-server.js';
import { startStartTlsSmtpServer, type StartTlsSmtpServer } from '../helpers/starttls-smtp-server.js';
import { fakeSslLabsPerTest } from '../helpers/fake-ssllabs-per-test.js';
import { runCli } from '../helpers/run-cli.js';
import { startTinyProxy, type TinyProxy } from '../helpers/tinyproxy.js';

const ENTRY = fileURLToPath(new URL('../adapters/probe/cli-entry.ts', import.meta.url));
const NO_ENV = { SSLLABS_EMAIL: undefined, SSLLABS_API_URL: undefined, HTTPS_PROXY: undefined, HTTP_PROXY: undefined, NO_PROXY: undefined, https_proxy: undefined, http_proxy: undefined, no_proxy: undefined, ALL_PROXY: undefined, all_proxy: undefined };
const cli = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { entry: ENTRY, env: { ...NO_ENV, ...env } });
const FIXTURES = fileURLToPath(new URL('../../fixtures/ssllabs/', import.meta.url));
const OK = (JSON.parse(readFileSync(`${FIXTURES}defectdojo-ok-mevitae-v3.json`, 'utf8')) as SslLabsHost[])[0]!;
const EMAIL = 'auditor@example.org';
const serve = fakeSslLabsPerTest(EMAIL);

describe('proxies: CONNECT tunnels for the probe, HTTP(S)_PROXY and --proxy for SSL Labs', () => {
  let certs: TestCerts;
  let tls: OpenSslServer;
  let smtp: StartTlsSmtpServer;
  let proxy: TinyProxy;

  beforeAll(async () => {
    certs = await makeTestCerts();
    [tls, smtp, proxy] = await Promise.all([
      startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }),
      startStartTlsSmtpServer({ cert: certs.rsa, tls: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' } }),
      startTinyProxy(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([tls?.stop(), smtp?.stop(), proxy?.stop()]);
    await certs?.cleanup();
  });

  it('probes through a real CONNECT proxy, which resolves the name; STARTTLS greetings pass through the tunnel', async () => {
    const r = await cli(['probe', '--proxy', proxy.url, `localhost:${tls.port}`, `smtp://localhost:${smtp.port}`, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.targets.map((t) => [t.host, t.port, t.verdict.status, t.sni])).toEqual([
      ['localhost', tls.port, 'pass', 'localhost'],
      ['localhost', smtp.port, 'pass', 'localhost'],
    ]);
    // The proxy resolved the name: no address of our own to report.
    expect(report.targets[0]!.address).toBeUndefined();
    expect(report.targets[0]!.runs![0]!.notes).toContain(`through the proxy ${proxy.url}`);
    const requests = await proxy.requests();
    expect(requests).toContain(`CONNECT localhost:${tls.port} HTTP/1.1`);
    expect(requests).toContain(`CONNECT localhost:${smtp.port} HTTP/1.1`);
    // Every handshake went through it: one CONNECT per connection the probe made.
    const connections = report.targets.map((t) => Number(/^(\d+) TCP connections/.exec(t.runs![0]!.notes!.at(-1)!)?.[1]));
    expect(requests.filter((q) => q.startsWith('CONNECT localhost:')).length).toBe(connections[0]! + connections[1]!);
  });

  it('says in one line when the proxy cannot be reached or refuses the tunnel', async () => {
    const nothing = await closedPort();
    const down = await cli(['probe', '--proxy', `http://127.0.0.1:${nothing}`, `127.0.0.1:${tls.port}`, '--format', 'json']);
    expect(down.code).toBe(3);
    expect((JSON.parse(down.stdout) as Report).targets[0]!.error).toMatch(/cannot reach the proxy http:\/\/127.0.0.1:\d+: the connection was refused/);
    const refused = await cli(['probe', '--proxy', proxy.url, `127.0.0.1:${nothing}`, '--format', 'json']);
    expect(refused.code).toBe(3);
    expect((JSON.parse(refused.stdout) as Report).targets[0]!.error).toMatch(/the proxy http:\/\/127.0.0.1:\d+ refused the tunnel to 127.0.0.1:\d+: "HTTP\/1.\d 5\d\d/);
    const bad = await cli(['probe', '--proxy', 'socks5://127.0.0.1:1080', `127.0.0.1:${tls.port}`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--proxy "socks5:\/\/127.0.0.1:1080": the probe tunnels through an http:\/\/ proxy with CONNECT/);
  });

  it('SSL Labs API calls go through HTTP_PROXY, skip it for NO_PROXY hosts, and follow --proxy', async () => {
    const fake = await serve({ hosts: { 'a.test': { report: OK } } });
    const authority = new URL(fake.url).host;
    // hpagent keeps its tunnel alive, so tinyproxy logs one request per connection, not per API call.
    const throughProxy = async () => (await proxy.requests()).filter((q) => q.includes(authority)).length;
    const args = ['ssllabs', '--api-url', fake.url, '--email', EMAIL, '--poll-interval', '5', '--format', 'json', 'a.test'];

    const viaEnv = await cli(args, { HTTP_PROXY: proxy.url });
    expect(viaEnv.code).toBe(0);
    const afterEnv = await throughProxy();
    expect(afterEnv).toBeGreaterThan(0);
    expect(fake.requests.length).toBeGreaterThan(0);

    const bypass = await cli(args, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    expect(bypass.code).toBe(0);
    expect(await throughProxy()).toBe(afterEnv);

    const explicit = await cli([...args, '--proxy', proxy.url]);
    expect(explicit.code).toBe(0);
    expect(await throughProxy()).toBeGreaterThan(afterEnv);

    const unreachable = await cli([...args, '--proxy', `http://127.0.0.1:${await closedPort()}`]);
    expect(unreachable.code).toBe(3);
    expect((JSON.parse(unreachable.stdout) as Report).targets[0]!.error).toMatch(/through the proxy http:\/\/127.0.0.1:\d+/);
  });

  it('an HTTPS API goes through HTTPS_PROXY in a CONNECT tunnel, its certificate checked end to end', async () => {
    const fake = await serve({ hosts: { 'a.test': { report: OK } }, tls: { key: readFileSync(certs.rsa.key, 'utf8'), cert: readFileSync(certs.rsa.cert, 'utf8') } });
    const authority = new URL(fake.url).host;
    const args = ['ssllabs', '--api-url', fake.url, '--email', EMAIL, '--poll-interval', '5', '--format', 'json', 'a.test'];
    // The test certificate is its own issuer: trusted here through NODE_EXTRA_CA_CERTS, as a company CA would be.
    const trusted = { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: certs.rsa.cert };
    const r = await cli(args, trusted);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Report).targets[0]!.sources).toEqual(['ssllabs']);
    expect((await proxy.requests()).some((q) => q.startsWith(`CONNECT ${authority}`))).toBe(true);
    // Without that trust the tunnel still opens, and the API's certificate is refused at once (no retries),
    // with the cure for the usual cause, a TLS-inspecting proxy.
    const asked = fake.requests.length;
    const untrusted = await cli(args, { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: undefined });
    expect(untrusted.code).toBe(3);
    expect((JSON.parse(untrusted.stdout) as Report).targets[0]!.error).toMatch(
      /the SSL Labs API's certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT: self[- ]signed certificate\); behind a TLS-inspecting proxy, give its CA to Node with NODE_EXTRA_CA_CERTS=.* \(through the proxy http:\/\/127\.0\.0\.1:\d+\)/,
    );
    expect(untrusted.stderr).not.toMatch(/gave up after/);
    expect(fake.requests.length).toBe(asked);
  });

  it('writes the CONNECT request of RFC 9110 with credentials from the URL, and never shows the password', () => {
    const p = parseHttpProxy('http://ada:s%3Acret@proxy.example.org:3128');
    expect(p.label).toBe('http://ada:***@proxy.example.org:3128');
    expect(connectRequest('2001:db8::1', 443, p)).toBe(
      `CONNECT [2001:db8::1]:443 HTTP/1.1\r\nHost: [2001:db8::1]:443\r\nProxy-Authorization: Basic ${Buffer.from('ada:s:cret').toString('base64')}\r\n\r\n`,
    );
  });
});
