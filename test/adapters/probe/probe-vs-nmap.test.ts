import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMany } from '../../../src/adapters/probe/index.js';
import type { TargetObservation } from '../../../src/model/target.js';
import { runNmap } from '../../helpers/nmap.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServerOptions, type TestCerts } from '../../helpers/openssl-server.js';
import { parseNmapXml } from '../../../src/adapters/nmap/index.js';

interface Config {
  name: string;
  openssl?: (certs: TestCerts) => OpenSslServerOptions;
  node?: (certs: TestCerts) => Parameters<typeof createTlsServer>[0];
  /** Protocols the configuration enables, as a sanity check on both tools. */
  protocols: string[];
}

const CONFIGS: Config[] = [
  { name: 'TLS 1.2 only, one approved suite', protocols: ['TLSv1.2'], openssl: (c) => ({ cert: c.rsa, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }) },
  { name: 'plain RSA key exchange only', protocols: ['TLSv1.2'], openssl: (c) => ({ cert: c.rsa, protocols: ['TLSv1.2'], ciphers: 'kRSA', serverPreference: true }) },
  { name: 'TLS 1.0 and 1.1 only', protocols: ['TLSv1.0', 'TLSv1.1'], openssl: (c) => ({ cert: c.rsa, protocols: ['TLSv1', 'TLSv1.1'] }) },
  { name: 'TLS 1.3 only', protocols: ['TLSv1.3'], openssl: (c) => ({ cert: c.ecdsa, protocols: ['TLSv1.3'] }) },
  {
    name: 'approved suites plus TLS 1.0, server order',
    protocols: ['TLSv1.0', 'TLSv1.2'],
    openssl: (c) => ({ cert: c.rsa, protocols: ['TLSv1', 'TLSv1.2'], ciphers: 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA:AES128-SHA:DHE-RSA-AES128-GCM-SHA256', serverPreference: true }),
  },
  { name: 'ECDSA, every OpenSSL suite, four protocols', protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], openssl: (c) => ({ cert: c.ecdsa, protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], ciphers: 'ALL:@SECLEVEL=0', serverPreference: true }) },
  // Only secp384r1: the probe's X25519 and P-256 key shares draw a HelloRetryRequest (RFC 8446 §4.1.4).
  { name: 'TLS 1.2 and 1.3, secp384r1 only', protocols: ['TLSv1.2', 'TLSv1.3'], openssl: (c) => ({ cert: c.rsa, protocols: ['TLSv1.2', 'TLSv1.3'], extraArgs: ['-groups', 'secp384r1'] }) },
  // The first suite is served with the ECDSA certificate, the plain-RSA one with the RSA certificate.
  {
    name: 'RSA and ECDSA certificates, TLS 1.2, server order',
    protocols: ['TLSv1.2'],
    openssl: (c) => ({
      cert: c.ecdsa,
      protocols: ['TLSv1.2'],
      ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384',
      serverPreference: true,
      extraArgs: ['-dcert', c.rsa.cert, '-dkey', c.rsa.key],
    }),
  },
  {
    name: 'node:tls, TLS 1.2 and 1.3, ECDSA, honourCipherOrder',
    protocols: ['TLSv1.2', 'TLSv1.3'],
    node: (c) => ({
      cert: readFileSync(c.ecdsa.cert),
      key: readFileSync(c.ecdsa.key),
      minVersion: 'TLSv1.2',
      ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA384',
      honorCipherOrder: true,
    }),
  },
];

describe('the probe finds what nmap ssl-enum-ciphers finds on the same local servers', () => {
  let certs: TestCerts;
  const stops: Array<() => Promise<void>> = [];
  const ports: number[] = [];
  const probed = new Map<number, TargetObservation>();
  let nmap: Map<number, TargetObservation>;

  beforeAll(async () => {
    certs = await makeTestCerts();
    await Promise.all(
      CONFIGS.map(async (config, i) => {
        if (config.openssl) {
          const s = await startOpenSslServer(config.openssl(certs));
          stops.push(() => s.stop());
          ports[i] = s.port;
        } else {
          const server: TlsServer = createTlsServer(config.node!(certs), (socket) => socket.end());
          server.on('tlsClientError', () => undefined);
          await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
          stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
          ports[i] = (server.address() as AddressInfo).port;
        }
      }),
    );
    for await (const o of probeMany(ports.map((p) => `127.0.0.1:${p}`), { timeout: 5000, concurrency: ports.length })) probed.set(o.port, o);
    nmap = new Map(parseNmapXml(await runNmap({ ports }), 'nmap').observations.map((o) => [o.port, o]));
  }, 85_000);

  afterAll(async () => {
    await Promise.all(stops.map((s) => s()));
    await certs?.cleanup();
  });

  for (const [i, config] of CONFIGS.entries()) {
    it(config.name, () => {
      const port = ports[i]!;
      const mine = probed.get(port)!;
      const theirs = nmap.get(port)?.protocols ?? [];
      expect(mine.error).toBeUndefined();
      expect(mine.sources).toEqual(['probe']);
      expect(mine.protocols.map((p) => p.version)).toEqual(config.protocols);
      expect(theirs.map((p) => p.version)).toEqual(config.protocols);
      for (const p of mine.protocols) {
        const n = theirs.find((x) => x.version === p.version)!;
        const codes = p.ciphers.map((c) => c.code);
        const nmapCodes = n.ciphers.map((c) => c.code);
        expect([...codes].sort(), `${p.version} suites`).toEqual([...nmapCodes].sort());
        if (n.cipherPreference === 'server' || n.cipherPreference === 'client') expect(p.cipherPreference, `${p.version} preference`).toBe(n.cipherPreference);
        // nmap lists server-preferred suites in the server's order; so must the probe.
        if (n.cipherPreference === 'server') expect(codes, `${p.version} order`).toEqual(nmapCodes);
        for (const c of p.ciphers) expect(c.evidence[0]).toMatchObject({ source: 'probe', origin: 'probe' });
      }
      expect(mine.certificate?.subject).toBe('CN=localhost');
      expect(mine.certificate?.subjectAltNames).toEqual(['DNS:localhost', 'IP Address:127.0.0.1']);
    });
  }

  it('records the key exchange group or size per suite where the handshake shows it', () => {
    const tls13 = probed.get(ports[3]!)!.protocols[0]!;
    for (const c of tls13.ciphers) expect(c.evidence[0]!.group).toMatch(/^(x25519|secp256r1)$/);
    const plainRsa = probed.get(ports[1]!)!.protocols[0]!;
    for (const c of plainRsa.ciphers) expect(c.evidence[0]).toMatchObject({ kexInfo: 'rsa 2048', kexBits: 2048 });
    const mixed = probed.get(ports[4]!)!.protocols.find((p) => p.version === 'TLSv1.2')!;
    const dhe = mixed.ciphers.find((c) => c.name === 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256')!;
    expect(dhe.evidence[0]!.kexInfo).toMatch(/^dh \d{4}$/);
    const ecdhe = mixed.ciphers.find((c) => c.name === 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384')!;
    expect(ecdhe.evidence[0]!.group).toBe('x25519');
    const ecdsa = probed.get(ports[5]!)!;
    expect(ecdsa.certificate).toMatchObject({ keyType: 'EC prime256v1', keyBits: 256 });
    const p384 = probed.get(ports[6]!)!;
    const ecKex = p384.protocols.flatMap((p) => p.ciphers.filter((x) => x.name.startsWith('TLS_ECDHE_') || !x.name.includes('_WITH_')));
    expect(ecKex.length).toBeGreaterThanOrEqual(5);
    for (const c of ecKex) expect(c.evidence[0], c.name).toMatchObject({ group: 'secp384r1', kexBits: 384 });
  });

  it('takes a plain-RSA suite\'s key size from the certificate served with it, on a server holding RSA and ECDSA certificates', () => {
    const port = ports[CONFIGS.findIndex((c) => c.name.startsWith('RSA and ECDSA certificates'))]!;
    const mine = probed.get(port)!.protocols[0]!.ciphers;
    const theirs = nmap.get(port)!.protocols[0]!.ciphers;
    expect(mine.map((c) => c.name)).toEqual(['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384']);
    expect(mine[1]!.evidence[0]).toMatchObject({ kexInfo: 'rsa 2048', kexBits: 2048 });
    expect(theirs.find((c) => c.name === 'TLS_RSA_WITH_AES_128_GCM_SHA256')!.evidence[0]).toMatchObject({ kexBits: 2048 });
  });
});
