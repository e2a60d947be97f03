/**
 * The native probe under faults: one local openssl s_server (TLS 1.0 to 1.3; an approved ECDHE suite, a
 * plain-RSA one and a DHE one; server order) probed clean and through test/helpers/fault-relay.ts, with
 * the Dataverse verdict, TCP connections, hellos asked again, wall time and what stayed unsettled per
 * fault. docs/accuracy.md ("Faults") holds the figures.
 *
 * Run alone: node --import tsx bench/probe-faults.ts
 */
import { probeWithStats } from '../src/adapters/probe/index.js';
import { compilePolicy, evaluate, loadPolicy } from '../src/policy/index.js';
import { atRandom, startFaultRelay, type Fault, type OfferSeen } from '../test/helpers/fault-relay.js';
import { makeTestCerts, startOpenSslServer } from '../test/helpers/openssl-server.js';

const SEED = 20261202;

export async function runProbeFaultsBench(): Promise<void> {
  const dataverse = compilePolicy(loadPolicy('dataverse'));
  const certs = await makeTestCerts();
  const server = await startOpenSslServer({
    cert: certs.rsa,
    protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:DHE-RSA-AES256-SHA',
    serverPreference: true,
  });
  const scenarios: Array<[string, (o: OfferSeen) => Fault, number]> = [
    ['none', () => 'pass', 2000],
    ['reset, 30 % of connections', atRandom(SEED, 0.3, 'reset'), 2000],
    ['close without alert, 30 %', atRandom(SEED, 0.3, 'close'), 2000],
    ['ServerHello then silence, 20 %', atRandom(SEED, 0.2, 'server-hello-then-silence'), 2000],
    ['decode_error above 150 suites', (o) => (o.suites.length > 150 ? { alert: 50 } : 'pass'), 2000],
    ['silence after 10 connections', (o) => (o.connection > 10 ? 'silence' : 'pass'), 1000],
    ['close after 10 connections', (o) => (o.connection > 10 ? 'close' : 'pass'), 1000],
    ['reset after 10 connections', (o) => (o.connection > 10 ? 'reset' : 'pass'), 1000],
  ];
  for (let seed = 1; seed <= 20; seed++) scenarios.push([`reset, 35 %, seed ${seed}`, atRandom(seed, 0.35, 'reset'), 2000]);
  try {
    console.log('| fault | verdict | connections | hellos asked again | time | unsettled |');
    console.log('|---|---|---|---|---|---|');
    for (const [name, decide, timeout] of scenarios) {
      const relay = await startFaultRelay(server.port, decide);
      try {
        const { observation, stats } = await probeWithStats(`127.0.0.1:${relay.port}`, { timeout });
        const status = evaluate(dataverse, observation).status;
        const unsettled = [...new Set((observation.incomplete ?? []).map((g) => g.protocol ?? (g.certificate ? 'certificate' : 'everything')))].join(', ') || '–';
        console.log(`| ${name} | ${status} | ${stats.connections} | ${stats.retries} | ${(stats.durationMs / 1000).toFixed(1)} s | ${unsettled} |`);
      } finally {
        await relay.close();
      }
    }
  } finally {
    await server.stop();
    await certs.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runProbeFaultsBench();
