import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeWithStats, type ProbeOptions } from '../../../src/adapters/probe/index.js';
import type { TargetObservation } from '../../../src/model/index.js';
import type { Verdict } from '../../../src/model/verdict.js';
import { compilePolicy, evaluate, loadPolicy } from '../../../src/policy/index.js';
import { buildReport } from '../../../src/report/build-report.js';
import { schemaValidator } from '../../../src/schema/json-validator.js';
import { atRandom, startFaultRelay, type Fault, type FaultRelay, type OfferSeen } from '../../helpers/fault-relay.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../../helpers/openssl-server.js';

const dataverse = compilePolicy(loadPolicy('dataverse'));
const SEED = 20261202;

/** The suites seen per protocol, sorted: what a complete enumeration and a faulty one must agree on. */
const suites = (o: TargetObservation) => o.protocols.map((p) => `${p.version}: ${p.ciphers.map((c) => c.code).sort().join(' ')}`);

describe('the probe under faults never gives a verdict the complete enumeration would not', () => {
  /** Every suite a faulty run kept was really seen: it is in the clean run, with the same protocol. */
  const keptIsReal = (o: TargetObservation) => {
    for (const p of o.protocols) {
      const full = clean.observation.protocols.find((q) => q.version === p.version);
      expect(full, p.version).toBeDefined();
      for (const c of p.ciphers) expect(full!.ciphers.map((x) => x.code)).toContain(c.code);
    }
  };

  let certs: TestCerts;
  /** TLS 1.0 to 1.3, an approved suite, a plain-RSA one and a DHE one: Dataverse says warn. */
  let server: OpenSslServer;
  let clean: { observation: TargetObservation; verdict: Verdict; connections: number };
  const relays: FaultRelay[] = [];

  const relay = async (decide: (o: OfferSeen) => Fault) => {
    const r = await startFaultRelay(server.port, decide);
    relays.push(r);
    return r;
  };
  const probeVia = async (r: FaultRelay, options: ProbeOptions = {}) => {
    const { observation, stats } = await probeWithStats(`127.0.0.1:${r.port}`, { timeout: 2000, ...options });
    return { observation, stats, verdict: evaluate(dataverse, observation) };
  };

  beforeAll(async () => {
    certs = await makeTestCerts();
    server = await startOpenSslServer({
      cert: certs.rsa,
      protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:DHE-RSA-AES256-SHA',
      serverPreference: true,
    });
    const r = await relay(() => 'pass');
    const { observation, stats, verdict } = await probeVia(r);
    clean = { observation, verdict, connections: stats.connections };
  }, 60_000);

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.close()));
    await server?.stop();
    await certs?.cleanup();
  });

  it('clean: the complete enumeration says warn (TLS 1.0/1.1 and plain RSA on, an approved suite with TLS 1.2)', () => {
    expect(clean.observation.error).toBeUndefined();
    expect(clean.observation.incomplete).toBeUndefined();
    expect(clean.verdict.status).toBe('warn');
    expect(suites(clean.observation)).toEqual([
      'TLSv1.0: 0x002F 0x0039',
      'TLSv1.1: 0x002F 0x0039',
      'TLSv1.2: 0x002F 0x0039 0xC02F',
      'TLSv1.3: 0x1301 0x1302 0x1303',
    ]);
  });

  for (const [fault, rate] of [
    ['reset', 0.3],
    ['close', 0.3],
    ['server-hello-then-silence', 0.2],
  ] as const) {
    it(`${fault} on ${rate * 100} % of connections (seed ${SEED}): asked again, the same suites and verdict`, async () => {
      const r = await relay(atRandom(SEED, rate, fault));
      const faulty = await probeVia(r);
      expect(r.faults[fault]).toBeGreaterThan(2);
      expect(faulty.observation.error).toBeUndefined();
      expect(faulty.observation.incomplete).toBeUndefined();
      expect(suites(faulty.observation)).toEqual(suites(clean.observation));
      expect(faulty.verdict.status).toBe(clean.verdict.status);
      expect(faulty.observation.runs[0]!.notes!.join('\n')).toMatch(/asked again/);
    }, 60_000);
  }

  for (const fault of ['silence', 'close', 'reset'] as const) {
    it(`${fault} after the first connection: error naming what was not settled, with what was seen kept`, async () => {
      const r = await relay((o) => (o.connection > 1 ? fault : 'pass'));
      const faulty = await probeVia(r, { timeout: 1000 });
      expect(faulty.verdict.status).toBe('error');
      if (faulty.observation.error === undefined) {
        expect(faulty.verdict.findings[0]!.rule).toBe('incomplete-evidence');
        expect(faulty.verdict.findings[0]!.message).toMatch(/evidence is incomplete/);
        expect(faulty.observation.incomplete!.length).toBeGreaterThan(0);
      }
      keptIsReal(faulty.observation);
    }, 60_000);
  }

  it('close after a third of the connections: the clean verdict where what was settled already decides it, else error', async () => {
    const r = await relay((o) => (o.connection > Math.floor(clean.connections / 3) ? 'close' : 'pass'));
    const faulty = await probeVia(r, { timeout: 1000 });
    expect(faulty.observation.incomplete!.length).toBeGreaterThan(0);
    expect([clean.verdict.status, 'error']).toContain(faulty.verdict.status);
    if (faulty.verdict.status !== 'error') {
      // Both warn rules fired on what was seen and both fail rules were met: nothing missing can change that.
      expect(faulty.verdict.findings.at(-1)!.message).toMatch(/nothing missing could change the verdict/);
    }
    keptIsReal(faulty.observation);
  }, 60_000);

  it('connections refused after a third of them (a firewall\'s REJECT): a gap with what was seen kept, not a lost target', async () => {
    const after = Math.floor(clean.connections / 3);
    let r: FaultRelay | undefined;
    r = await relay((o) => {
      if (o.connection === after) r!.stopListening();
      return 'pass';
    });
    const faulty = await probeVia(r, { timeout: 1000 });
    expect(faulty.observation.error).toBeUndefined();
    expect(faulty.observation.protocols.length).toBeGreaterThan(0);
    expect(faulty.observation.incomplete!.map((g) => g.reason).join(' ')).toMatch(/connection was refused .*after it had answered/);
    expect([clean.verdict.status, 'error']).toContain(faulty.verdict.status);
    keptIsReal(faulty.observation);
  }, 60_000);

  it('a fail that the settled part proves stays a fail when the rest goes unsettled', async () => {
    // Under --strict, plain RSA (a warn) fails; the first TLS 1.2 hello already shows TLS_RSA_WITH_AES_128_CBC_SHA.
    const failing = await startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1.2'], ciphers: 'AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256' });
    try {
      const direct = await startFaultRelay(failing.port, () => 'pass');
      relays.push(direct);
      const cleanRun = await probeWithStats(`127.0.0.1:${direct.port}`, { timeout: 1000, certificate: false });
      expect(evaluate(dataverse, cleanRun.observation, { strict: true }).status).toBe('fail');
      // The first TLS 1.2 hello is answered; every later one meets silence (other versions' hellos pass).
      let tls12 = 0;
      const r = await startFaultRelay(failing.port, (o) => (o.version === 0x0303 && !o.supportedVersions && tls12++ > 0 ? 'silence' : 'pass'));
      relays.push(r);
      const faulty = await probeWithStats(`127.0.0.1:${r.port}`, { timeout: 1000, certificate: false });
      expect(faulty.observation.incomplete?.map((g) => g.protocol)).toEqual(['TLSv1.2']);
      const v = evaluate(dataverse, faulty.observation, { strict: true });
      expect(v.status).toBe('fail');
      expect(v.findings.map((f) => f.rule)).toEqual(['plain-rsa-key-exchange', 'incomplete-evidence']);
      expect(v.findings[1]!.message).toMatch(/the fail stands on what was settled \(plain-rsa-key-exchange\)/);
      // Without --strict nothing settled fails, and a warn on half the evidence would be a guess.
      expect(evaluate(dataverse, faulty.observation).status).toBe('error');
    } finally {
      await failing.stop();
    }
  }, 60_000);

  it('a server that hangs up (RST) on purpose, as Schannel does, on old protocols and on hellos with no suite it has: not offered, nothing unsettled', async () => {
    const has = new Set([0xc02f, 0x002f, 0x0039, 0x1301, 0x1302, 0x1303]);
    const r = await relay((o) => (o.version < 0x0303 || !o.suites.some((s) => has.has(s)) ? 'reset' : 'pass'));
    const faulty = await probeVia(r);
    expect(faulty.observation.error).toBeUndefined();
    expect(faulty.observation.incomplete).toBeUndefined();
    expect(suites(faulty.observation)).toEqual(suites(clean.observation).filter((l) => /^TLSv1\.[23]/.test(l)));
    expect(faulty.verdict.status).toBe('warn');
    expect(faulty.observation.runs[0]!.notes!.join('\n')).toMatch(/TLSv1\.0: counted as not offered: .*reset the connection.*while it still accepted another hello/);
  }, 60_000);

  it('a server that refuses more than 150 suites with decode_error (as wolfSSL does): smaller windows, then the same result', async () => {
    const r = await relay((o) => (o.suites.length > 150 ? { alert: 50 } : 'pass'));
    const faulty = await probeVia(r);
    expect(r.faults['alert 50']).toBeGreaterThan(0);
    expect(faulty.observation.error).toBeUndefined();
    expect(faulty.observation.incomplete).toBeUndefined();
    expect(suites(faulty.observation)).toEqual(suites(clean.observation));
    expect(faulty.verdict.status).toBe(clean.verdict.status);
    const notes = faulty.observation.runs[0]!.notes!.join('\n');
    expect(notes).toMatch(/TLSv1\.2: alert decode_error to a hello of \d{3} suites; retrying with 128/);
    expect(notes).toMatch(/TLSv1\.2: a window of 128 suites worked/);
  }, 60_000);

  it('a protocol answered only with decode_error, whatever the size, is unsettled: error, not "TLS 1.2 not offered"', async () => {
    // TLS 1.3 answers; every TLS <= 1.2 hello gets decode_error.
    const r = await relay((o) => (o.supportedVersions?.includes(0x0304) ? 'pass' : { alert: 50 }));
    const faulty = await probeVia(r);
    expect(faulty.observation.protocols.map((p) => p.version)).toEqual(['TLSv1.3']);
    expect(faulty.observation.incomplete?.find((g) => g.protocol === 'TLSv1.2')?.reason).toMatch(/every hello down to 32 suites was answered with alert decode_error/);
    expect(faulty.verdict.status).toBe('error');
    // The gaps are part of the JSON report, which stays valid against its schema.
    const report = JSON.parse(JSON.stringify(buildReport([faulty.observation], [loadPolicy('dataverse')])));
    expect(schemaValidator('report')(report)).toBe(true);
    expect(report.targets[0].incomplete.length).toBeGreaterThan(0);
  }, 60_000);

  it('ServerHello, then silence, on every connection: a short wait for the rest of the flight, not the deadline', async () => {
    // With a 10-minute deadline, waiting it out even once would outlast this test's own time limit.
    const single = await startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    try {
      const r = await startFaultRelay(single.port, () => 'server-hello-then-silence');
      relays.push(r);
      const { observation } = await probeWithStats(`127.0.0.1:${r.port}`, { timeout: 600_000, protocols: ['TLSv1.2'], certificate: false });
      expect(observation.protocols[0]!.ciphers.map((c) => c.name)).toEqual(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
      expect(observation.incomplete?.[0]?.reason).toMatch(/key exchange of TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 was not seen/);
      expect(evaluate(dataverse, observation).status).toBe('error');
    } finally {
      await single.stop();
    }
  }, 30_000);

  it('cancelled half-way: error "interrupted before the enumeration finished", with what was seen kept', async () => {
    const controller = new AbortController();
    const after = Math.floor(clean.connections / 2);
    const r = await relay((o) => {
      if (o.connection === after) controller.abort();
      return 'pass';
    });
    const { observation } = await probeWithStats(`127.0.0.1:${r.port}`, { timeout: 2000, signal: controller.signal });
    expect(observation.error).toMatch(/interrupted before the enumeration finished/);
    expect(evaluate(dataverse, observation).status).toBe('error');
    expect(observation.protocols.length).toBeGreaterThan(0);
    expect(r.connections).toBeLessThan(clean.connections);
  }, 60_000);
});
