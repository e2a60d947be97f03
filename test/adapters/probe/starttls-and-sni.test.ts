import { lookup } from 'node:dns/promises';
import { createSecureContext, createServer as createTlsServer, type SecureContext, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/adapters/probe/index.js';
import { makeTestCerts, type TestCerts } from '../../helpers/openssl-server.js';
import { startStartTlsSmtpServer, type StartTlsSmtpServer } from '../../helpers/starttls-smtp-server.js';
import { LINE_STARTTLS_PROTOCOLS, startStartTlsServer, type StartTlsServer } from '../../helpers/starttls-servers.js';

const TLS = { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA' } as const;
const EXPECTED = ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA'].sort();

describe('STARTTLS', () => {
  let certs: TestCerts;
  let smtp: StartTlsSmtpServer;
  const others = new Map<string, StartTlsServer>();

  beforeAll(async () => {
    certs = await makeTestCerts();
    smtp = await startStartTlsSmtpServer({ cert: certs.rsa, tls: TLS });
    for (const p of LINE_STARTTLS_PROTOCOLS) others.set(p, await startStartTlsServer(p, { cert: certs.rsa, tls: TLS }));
  });
  afterAll(async () => {
    await Promise.all([smtp?.stop(), ...[...others.values()].map((s) => s.stop())]);
    await certs?.cleanup();
  });

  it('smtp: upgrades, then enumerates the configured suites and reads the certificate', async () => {
    const o = await probe({ host: '127.0.0.1', port: smtp.port }, { starttls: 'smtp', timeout: 5000 });
    expect(o.error).toBeUndefined();
    expect(o.starttls).toBe('smtp');
    expect(o.protocols.map((p) => p.version)).toEqual(['TLSv1.2']);
    expect(o.protocols[0]!.ciphers.map((c) => c.name).sort()).toEqual(EXPECTED);
    expect(o.certificate?.subject).toBe('CN=localhost');
  });

  for (const p of LINE_STARTTLS_PROTOCOLS) {
    it(`${p}: upgrades and enumerates`, async () => {
      const o = await probe(`127.0.0.1:${others.get(p)!.port}`, { starttls: p, timeout: 5000 });
      expect(o.error).toBeUndefined();
      expect(o.protocols.map((x) => x.version)).toEqual(['TLSv1.2']);
      expect(o.protocols[0]!.ciphers.map((c) => c.name).sort()).toEqual(EXPECTED);
    });
  }

  it('a server that does not speak the STARTTLS protocol asked for is an error naming the step', async () => {
    const o = await probe(`127.0.0.1:${others.get('pop3')!.port}`, { starttls: 'smtp', timeout: 2000 });
    expect(o.protocols).toEqual([]);
    expect(o.error).toMatch(/SMTP STARTTLS failed at the greeting: the server said "\+OK POP3 ready"/);
  });

  it('without STARTTLS, a plaintext SMTP server is named as such', async () => {
    const o = await probe(`127.0.0.1:${smtp.port}`, { timeout: 2000 });
    expect(o.error).toMatch(/answered in SMTP, not TLS/);
  });
});

describe('SNI', () => {
  let certs: TestCerts;
  let server: TlsServer;
  let server6: TlsServer | undefined;
  const seen: string[] = [];
  let localhostAddress: string;

  beforeAll(async () => {
    certs = await makeTestCerts();
    const options = {
      cert: readFileSync(certs.rsa.cert),
      key: readFileSync(certs.rsa.key),
      minVersion: 'TLSv1.2' as const,
    };
    const context = createSecureContext(options);
    // SNICallback runs on every ClientHello that carries SNI, even ones the probe never completes.
    const sni = { SNICallback: (name: string, cb: (err: Error | null, ctx: SecureContext) => void) => {
      seen.push(name);
      cb(null, context);
    } };
    const onHello = (socket: TLSSocket) => socket.end();
    server = createTlsServer({ ...options, ...sni }, onHello);
    server.on('tlsClientError', () => undefined);
    // "localhost" may resolve to ::1 or 127.0.0.1: listen where it resolves.
    localhostAddress = (await lookup('localhost')).address;
    await new Promise<void>((resolve) => server.listen(0, localhostAddress, () => resolve()));
    server6 = createTlsServer(options, onHello);
    server6.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => {
      server6!.once('error', () => {
        server6 = undefined;
        resolve();
      });
      server6!.listen(0, '::1', () => resolve());
    });
  });
  afterAll(async () => {
    await Promise.all([server, server6].map((s) => s && new Promise<void>((resolve) => s.close(() => resolve()))));
    await certs?.cleanup();
  });

  const port = () => (server.address() as AddressInfo).port;

  it('sends the host name for a name target, nothing for an address, and --sni when given', async () => {
    seen.length = 0;
    await probe(`localhost:${port()}`, { protocols: ['TLSv1.2'], timeout: 5000 });
    expect(new Set(seen)).toEqual(new Set(['localhost']));
    seen.length = 0;
    const bare = await probe({ host: localhostAddress, port: port() }, { protocols: ['TLSv1.2'], timeout: 5000 });
    expect(bare.protocols.map((p) => p.version)).toEqual(['TLSv1.2']);
    expect(seen).toEqual([]);
    const o = await probe({ host: localhostAddress, port: port() }, { protocols: ['TLSv1.2'], sni: 'mail.example.test', timeout: 5000 });
    expect(new Set(seen)).toEqual(new Set(['mail.example.test']));
    expect(o.address).toBe(localhostAddress);
    expect(o.host).toBe(localhostAddress);
  });

  it('reaches IPv6 loopback written as [::1]:PORT', async (ctx) => {
    if (!server6) return ctx.skip();
    const o = await probe(`[::1]:${(server6.address() as AddressInfo).port}`, { timeout: 5000 });
    expect(o.error).toBeUndefined();
    expect(o.host).toBe('::1');
    expect(o.protocols.map((p) => p.version)).toEqual(['TLSv1.2', 'TLSv1.3']);
  });
});
