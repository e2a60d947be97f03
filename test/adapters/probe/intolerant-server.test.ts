import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClientHello, parseHandshakeMessage, parseRecord } from '../../../src/adapters/probe/codec/index.js';
import { probeWithStats } from '../../../src/adapters/probe/index.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../../helpers/openssl-server.js';

/**
 * A relay in front of openssl s_server that hangs up, without a word, on any ClientHello offering more
 * than 128 suites, as some TLS stacks do: the probe must fall back to smaller hellos and still find
 * everything the server accepts.
 */
describe('a server intolerant of long suite lists', () => {
  let certs: TestCerts;
  let server: OpenSslServer;
  let relayPort: number;
  let closeRelay: () => Promise<void>;
  const offered: number[] = [];

  beforeAll(async () => {
    certs = await makeTestCerts();
    server = await startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1.2', 'TLSv1.3'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:DHE-RSA-AES128-SHA' });
    const sockets = new Set<Socket>();
    const relay = createServer((client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('error', () => client.destroy());
      let buf = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        const rec = parseRecord(buf);
        if (rec.kind === 'need-more') return;
        const msg = rec.kind === 'ok' ? parseHandshakeMessage(rec.value.fragment) : undefined;
        const hello = msg?.kind === 'ok' ? parseClientHello(msg.value.body) : undefined;
        client.off('data', onData);
        if (hello?.kind !== 'ok') return client.destroy();
        offered.push(hello.value.cipherSuites.length);
        if (hello.value.cipherSuites.length > 128) return client.destroy();
        const upstream = connect({ host: server.host, port: server.port });
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => client.destroy());
        upstream.write(buf);
        client.pipe(upstream);
        upstream.pipe(client);
      };
      client.on('data', onData);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
    relayPort = (relay.address() as AddressInfo).port;
    closeRelay = () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        relay.close(() => resolve());
      });
  });
  afterAll(async () => {
    await closeRelay?.();
    await server?.stop();
    await certs?.cleanup();
  });

  it('finds through the relay exactly what it finds directly', async () => {
    const direct = await probeWithStats(`127.0.0.1:${server.port}`, { certificate: false });
    offered.length = 0;
    const relayed = await probeWithStats(`127.0.0.1:${relayPort}`, { certificate: false });
    const suites = (o: typeof direct) => o.observation.protocols.map((p) => [p.version, p.ciphers.map((c) => c.code).sort()]);
    expect(relayed.observation.error).toBeUndefined();
    expect(suites(relayed)).toEqual(suites(direct));
    expect(suites(direct)).toEqual([
      ['TLSv1.2', ['0x0033', '0x0035', '0xC02F']],
      ['TLSv1.3', ['0x1301', '0x1302', '0x1303']],
    ]);
    expect(Math.max(...offered)).toBeGreaterThan(128);
    expect(offered.filter((n) => n > 128).length).toBeLessThanOrEqual(4);
    expect(relayed.observation.runs[0]!.notes?.join(' ')).toMatch(/retrying with 128/);
    expect(relayed.stats.connections).toBeGreaterThan(direct.stats.connections);
  });
});
