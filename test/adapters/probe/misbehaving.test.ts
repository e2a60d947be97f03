import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMany } from '../../../src/adapters/probe/index.js';
import type { TargetObservation } from '../../../src/model/target.js';
import { closedPort, startMisbehavingServer, MISBEHAVIOURS, type LocalServer, type Misbehaviour } from '../../helpers/misbehaving-servers.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../../helpers/openssl-server.js';

/** What each server's error must name. */
const EXPECTED: Record<Misbehaviour, RegExp> = {
  tarpit: /no answer to the TLS hello within 3000 ms/,
  http: /answered in HTTP/,
  'immediate-close': /closed the connection without answering|reset the connection/,
  'fatal-alert': /no TLS handshake succeeded .*alert handshake_failure/,
  'oversized-record': /announces 65535 bytes, more than the 18432/,
  'unoffered-suite': /chose cipher suite 0x[0-9A-F]{4}, which was not offered/,
  'unoffered-version': /chose (TLSv1\.2 when offered (SSLv3|TLSv1\.[01])|version 0x0305, which was not offered)/,
  trickle: /only \d+ bytes of an answer to the TLS hello within 3000 ms/,
};

describe('misbehaving servers each become an error target; a good server in the same run is assessed', () => {
  let certs: TestCerts;
  let good: OpenSslServer;
  const bad = new Map<Misbehaviour, LocalServer>();
  let refusedPort: number;
  let results: TargetObservation[];

  beforeAll(async () => {
    certs = await makeTestCerts();
    [good] = await Promise.all([
      startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }),
      ...MISBEHAVIOURS.map(async (k) => bad.set(k, await startMisbehavingServer(k))),
    ]);
    refusedPort = await closedPort();
    const targets = [
      `127.0.0.1:${good.port}`,
      ...MISBEHAVIOURS.map((k) => `127.0.0.1:${bad.get(k)!.port}`),
      `127.0.0.1:${refusedPort}`,
    ];
    results = [];
    for await (const o of probeMany(targets, { timeout: 3000, concurrency: targets.length })) results.push(o);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([good?.stop(), ...[...bad.values()].map((s) => s.stop())]);
    await certs?.cleanup();
  });

  it('assesses the good server normally', () => {
    const o = results[0]!;
    expect(o.error).toBeUndefined();
    expect(o.protocols.map((p) => p.version)).toEqual(['TLSv1.2']);
    expect(o.protocols[0]!.ciphers.map((c) => c.name)).toEqual(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
  });

  for (const [i, kind] of MISBEHAVIOURS.entries()) {
    it(`${kind}: error naming what went wrong`, () => {
      const o = results[i + 1]!;
      expect(o.port).toBe(bad.get(kind)!.port);
      expect(o.protocols).toEqual([]);
      expect(o.error).toMatch(EXPECTED[kind]);
      expect(o.runs[0]!.error).toBe(o.error);
    });
  }

  it('closed port: connection refused', () => {
    const o = results.at(-1)!;
    expect(o.port).toBe(refusedPort);
    expect(o.error).toMatch(/connection was refused/);
  });

  it('stops at the first fatal answer instead of trying every suite', () => {
    for (const k of ['http', 'oversized-record', 'unoffered-suite'] as const) {
      expect(bad.get(k)!.connections).toBeLessThanOrEqual(6);
    }
  });
});
