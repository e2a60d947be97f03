import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/adapters/probe/index.js';
import {
  buildAlert,
  buildCertificateList,
  buildHandshakeMessage,
  buildRecord,
  buildServerHello,
  parseClientHello,
  parseHandshakeMessage,
  parseRecord,
} from '../../../src/adapters/probe/codec/index.js';
import { makeTestCerts, type TestCerts } from '../../helpers/openssl-server.js';

const ECDH_ECDSA_AES128_GCM = 0xc02d;
const RSA_AES128_GCM = 0x009c;

/**
 * A TLS 1.2 server with two certificates that serves each suite with its own, as dual-certificate servers
 * do: static ECDH with the ECDSA certificate, plain RSA with the RSA one, in that order of preference.
 * No Debian server offers static ECDH any more (OpenSSL 3 dropped it; Debian's wolfSSL and Mbed TLS
 * builds leave it out), so this one answers with real certificates and the codec's own messages.
 */
async function startStaticKexServer(certs: TestCerts): Promise<{ port: number; stop(): Promise<void> }> {
  const der = (path: string) => new Uint8Array(new X509Certificate(readFileSync(path)).raw);
  const served = new Map([
    [ECDH_ECDSA_AES128_GCM, der(certs.ecdsa.cert)],
    [RSA_AES128_GCM, der(certs.rsa.cert)],
  ]);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const rec = parseRecord(buf);
      if (rec.kind !== 'ok') return;
      const msg = parseHandshakeMessage(rec.value.fragment);
      if (msg.kind !== 'ok') return;
      const hello = parseClientHello(msg.value.body);
      socket.removeAllListeners('data');
      if (hello.kind !== 'ok') return socket.destroy();
      const h = hello.value;
      if (h.legacyVersion !== 0x0303 || h.supportedVersions?.includes(0x0304)) return socket.end(Buffer.from(buildRecord(21, 0x0303, buildAlert(2, 70))));
      const suite = [...served.keys()].find((s) => h.cipherSuites.includes(s));
      if (suite === undefined) return socket.end(Buffer.from(buildRecord(21, 0x0303, buildAlert(2, 40))));
      const flight = Buffer.concat([
        buildHandshakeMessage(2, buildServerHello({ legacyVersion: 0x0303, random: new Uint8Array(32).fill(7), cipherSuite: suite })),
        buildHandshakeMessage(11, buildCertificateList([served.get(suite)!])),
        buildHandshakeMessage(14, new Uint8Array(0)),
      ]);
      socket.end(Buffer.from(buildRecord(22, 0x0303, flight)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('key exchanges that come from the certificate', () => {
  let certs: TestCerts;
  let server: { port: number; stop(): Promise<void> };
  beforeAll(async () => {
    certs = await makeTestCerts();
    server = await startStaticKexServer(certs);
  });
  afterAll(async () => {
    await server?.stop();
    await certs?.cleanup();
  });

  it('static ECDH takes the curve of the ECDSA certificate and plain RSA the size of the RSA one, each from its own handshake', async () => {
    const o = await probe(`127.0.0.1:${server.port}`, { protocols: ['TLSv1.2'], certificate: false, timeout: 5000 });
    expect(o.error).toBeUndefined();
    const ciphers = o.protocols[0]!.ciphers;
    expect(ciphers.map((c) => c.name)).toEqual(['TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_GCM_SHA256']);
    expect(ciphers[0]!.evidence[0]).toMatchObject({ group: 'secp256r1', kexBits: 256, kexInfo: 'secp256r1' });
    expect(ciphers[1]!.evidence[0]).toMatchObject({ kexBits: 2048, kexInfo: 'rsa 2048' });
  });
});
