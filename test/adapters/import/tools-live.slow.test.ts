/**
 * The tools run live, not from recordings: sslscan 2 and testssl.sh 3 against the scenario servers,
 * each next to nmap on the same server, imported and compared. sslscan takes a second per server; one
 * testssl.sh run takes half a minute, so it scans the two servers that differ most (server order, and
 * TLS 1.0/1.1 only).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOne, type ImportKind } from '../../../src/import/index.js';
import { loadPolicy } from '../../../src/policy/index.js';
import { buildReport, mergeObservations } from '../../../src/report/index.js';
import { runNmap } from '../../helpers/nmap.js';
import { makeTestCerts, startOpenSslServer, type TestCerts } from '../../helpers/openssl-server.js';
import { SCENARIOS } from '../nmap/scenarios.js';
import { SSLSCAN, TESTSSL, TESTSSL_CHECKS } from './tools.js';

const execFileAsync = promisify(execFile);
const policy = loadPolicy('dataverse');

async function judged(text: string, kind: ImportKind, origin: string) {
  const file = await importOne({ text, origin }, kind);
  expect(file.notices).toEqual([]);
  const [t] = buildReport(mergeObservations(file.observations), [policy]).targets;
  return { status: t!.verdict.status, protocols: Object.fromEntries(t!.protocols.map((p) => [p.version, p.ciphers.map((c) => c.code).sort()])) };
}


describe('live tools against the scenario servers', () => {
  let certs: TestCerts;
  let work: string;
  beforeAll(async () => {
    certs = await makeTestCerts();
    work = await mkdtemp(join(tmpdir(), 'tlsaudit-live-tools-'));
  });
  afterAll(async () => {
    await certs?.cleanup();
    await rm(work, { recursive: true, force: true });
  });

  for (const scenario of SCENARIOS) {
    const withTestssl = scenario.name === 'ecdsa-modern' || scenario.name === 'tls10-11';
    it(`${scenario.name}: sslscan${withTestssl ? ' and testssl.sh' : ''} agree with nmap`, async () => {
      const server = await startOpenSslServer(scenario.server(certs));
      try {
        const target = `127.0.0.1:${server.port}`;
        const nmap = await judged(await runNmap({ ports: [server.port] }), 'nmap', 'nmap');
        expect(nmap.status).toBe(scenario.expected.status);
        const xml = join(work, `${scenario.name}.xml`);
        await execFileAsync(SSLSCAN, ['--no-colour', `--xml=${xml}`, target]);
        expect(await judged(await readFile(xml, 'utf8'), 'sslscan', xml)).toEqual(nmap);
        if (withTestssl) {
          const json = join(work, `${scenario.name}.json`);
          await execFileAsync(TESTSSL, [...TESTSSL_CHECKS, '--warnings', 'off', '--quiet', '--color', '0', '--jsonfile', json, target], {
            maxBuffer: 64 * 1024 * 1024,
          }).catch((error: { code?: unknown }) => {
            // testssl.sh's exit status counts findings; only its file matters.
            if (typeof error.code !== 'number') throw error;
          });
          expect(await judged(await readFile(json, 'utf8'), 'testssl-json', json)).toEqual(nmap);
        }
      } finally {
        await server.stop();
      }
      // testssl.sh's half minute grows to minutes on a loaded machine.
    }, withTestssl ? 600_000 : 120_000);
  }
});
