import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClientHello, parseHandshakeMessage, parseRecord } from '../../../src/adapters/probe/codec/index.js';
import { probeWithStats } from '../../../src/adapters/probe/index.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../../helpers/openssl-server.js';

type Verdict = 'pass' | 'hang-up' | 'tarpit';

/** A relay in front of a server that looks at each ClientHello and passes it on, hangs up, or goes silent. */
async function startRelay(upstreamPort: number, decide: (suites: number, connection: number) => Verdict): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const relay = createServer((client) => {
    const index = ++connections;
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
      const verdict = decide(hello.value.cipherSuites.length, index);
      if (verdict === 'hang-up') return client.destroy();
      if (verdict === 'tarpit') return client.on('data', () => undefined);
      const upstream = connect({ host: '127.0.0.1', port: upstreamPort });
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
  return {
    port: (relay.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        relay.close(() => resolve());
      }),
  };
}

describe('servers that are hard to talk to', () => {
  let certs: TestCerts;
  let server: OpenSslServer;
  const offered: number[] = [];
  const relays: Array<{ port: number; close: () => Promise<void> }> = [];

  beforeAll(async () => {
    certs = await makeTestCerts();
    server = await startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1.2', 'TLSv1.3'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:DHE-RSA-AES128-SHA' });
    // Hangs up, without a word, on any ClientHello offering more than 128 suites, as some TLS stacks do.
    relays.push(
      await startRelay(server.port, (suites) => {
        offered.push(suites);
        return suites > 128 ? 'hang-up' : 'pass';
      }),
    );
    // Loses the second connection: no answer at all.
    relays.push(await startRelay(server.port, (_suites, connection) => (connection === 2 ? 'tarpit' : 'pass')));
  });
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.close()));
    await server?.stop();
    await certs?.cleanup();
  });

  it('long suite lists refused: falls back to 128 suites per hello and finds what it finds directly', async () => {
    const direct = await probeWithStats(`127.0.0.1:${server.port}`, { certificate: false });
    offered.length = 0;
    const relayed = await probeWithStats(`127.0.0.1:${relays[0]!.port}`, { certificate: false });
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

  it('a lost handshake mid-way is tried once more, and the result is complete', async () => {
    const direct = await probeWithStats(`127.0.0.1:${server.port}`, { certificate: false, protocols: ['TLSv1.2'] });
    const relayed = await probeWithStats(`127.0.0.1:${relays[1]!.port}`, { certificate: false, protocols: ['TLSv1.2'], timeout: 1000 });
    expect(relayed.observation.error).toBeUndefined();
    expect(relayed.observation.protocols[0]!.warnings).toBeUndefined();
    expect(relayed.observation.protocols[0]!.ciphers.map((c) => c.code)).toEqual(direct.observation.protocols[0]!.ciphers.map((c) => c.code));
    expect(relayed.observation.runs[0]!.notes?.join(' ')).toMatch(/TLSv1\.2: no answer to the TLS hello within 1000 ms; trying once more/);
    expect(relayed.stats.connections).toBe(direct.stats.connections + 1);
  });
});
