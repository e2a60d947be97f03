/**
 * The real files of fixtures/import/<scenario>/ (recorded by record-fixtures.ts from one local server per
 * scenario of the nmap tests) imported one by one: each tool's file must give the protocols, suites and
 * Dataverse verdict nmap's file gives, and those the scenario expects.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectKind, importOne, type ImportKind } from '../../../src/import/index.js';
import type { Report, TargetObservation } from '../../../src/index.js';
import { loadPolicy } from '../../../src/policy/index.js';
import { buildReport, mergeObservations, mergeReports } from '../../../src/report/index.js';
import { validateReport } from '../../../src/report/read-report.js';
import { SCENARIOS } from '../nmap/scenarios.js';

const FILES: readonly [string, ImportKind][] = [
  ['nmap.xml', 'nmap'],
  ['testssl.json', 'testssl-json'],
  ['testssl-pretty.json', 'testssl-json'],
  ['testssl.csv', 'testssl-csv'],
  ['sslscan.xml', 'sslscan'],
];

const dataverse = loadPolicy('dataverse');

async function importFile(path: string): Promise<{ kind: ImportKind; observations: TargetObservation[]; notices: string[] }> {
  const input = { text: readFileSync(path, 'utf8'), origin: path };
  const kind = detectKind(input);
  return { ...(await importOne(input, kind)), kind };
}

function report(observations: TargetObservation[], notices: string[] = []): Report {
  return buildReport(mergeObservations(observations), [dataverse], { notices });
}

function suitesByProtocol(t: TargetObservation): Record<string, string[]> {
  return Object.fromEntries(t.protocols.map((p) => [p.version, p.ciphers.map((c) => c.name).sort()]));
}

const recorded = SCENARIOS.filter((s) => existsSync(`fixtures/import/${s.name}/testssl.json`));

describe('each tool against the same local server', () => {
  it('has recordings of every scenario', () => {
    expect(recorded.map((s) => s.name)).toEqual(SCENARIOS.map((s) => s.name));
  });

  for (const scenario of recorded) {
    describe(scenario.name, () => {
      for (const [file, kind] of FILES) {
        it(`${file} is told as ${kind} and gives the scenario's protocols, suites and verdict`, async () => {
          const imported = await importFile(`fixtures/import/${scenario.name}/${file}`);
          expect(imported.kind).toBe(kind);
          expect(imported.notices).toEqual([]);
          const r = report(imported.observations);
          expect(validateReport(JSON.parse(JSON.stringify(r)), file)).toBeTruthy();
          expect(r.targets).toHaveLength(1);
          const t = r.targets[0]!;
          expect(t.address).toBe('127.0.0.1');
          expect(suitesByProtocol(t)).toEqual(Object.fromEntries(Object.entries(scenario.expected.protocols).map(([v, s]) => [v, [...s].sort()])));
          expect(t.verdict.status).toBe(scenario.expected.status);
          // The certificate each tool saw: the scenario's throwaway one (RSA 2048 or ECDSA P-256, CN=localhost).
          const leaf = t.certificates?.[0]?.chain[0];
          expect(leaf?.subject).toBe('CN=localhost');
          expect(leaf?.subjectAltNames).toEqual(['DNS:localhost', 'IP Address:127.0.0.1']);
          const rsa = scenario.server({ rsa: { cert: 'rsa', key: '' }, ecdsa: { cert: 'ecdsa', key: '' }, dir: '', cleanup: async () => {} }).cert.cert === 'rsa';
          expect(t.certificate?.keyType).toBe(rsa ? 'RSA' : 'EC');
          expect(t.certificate?.keyBits).toBe(rsa ? 2048 : 256);
        });
      }

      it('all files of the server as one import are one target that every tool saw, with the verdict of each', async () => {
        const files = await Promise.all(FILES.map(([f]) => importFile(`fixtures/import/${scenario.name}/${f}`)));
        const r = report(files.flatMap((f) => f.observations));
        expect(r.targets).toHaveLength(1);
        const t = r.targets[0]!;
        expect(t.sources).toEqual(['nmap', 'testssl', 'sslscan']);
        expect(t.verdict.status).toBe(scenario.expected.status);
        expect(t.disagreements ?? []).toEqual([]);
        // nmap (from ssl-cert's PEM) and testssl.sh (from its saved PEM) name the same certificate.
        const fingerprints = new Set(t.certificates?.map((c) => c.chain[0]?.fingerprintSha256).filter(Boolean));
        expect(fingerprints.size).toBe(1);
      });
    });
  }
});

describe('server order', () => {
  it('testssl.sh reports the order nmap reports on the -serverpref server; sslscan reports no preference', async () => {
    const order = async (file: string) =>
      (await importFile(`fixtures/import/ecdsa-modern/${file}`)).observations[0]!.protocols.map((p) => [p.version, p.cipherPreference, p.ciphers.map((c) => c.code)]);
    const nmap = await order('nmap.xml');
    expect(nmap).toEqual([
      ['TLSv1.2', 'server', ['0xC02C', '0xC02B', '0xCCA9']],
      ['TLSv1.3', 'server', ['0x1301', '0x1302', '0x1303']],
    ]);
    for (const f of ['testssl.json', 'testssl-pretty.json', 'testssl.csv']) expect(await order(f)).toEqual(nmap);
    // sslscan lists the suites as the server picked them, but does not say whose order that is.
    expect((await order('sslscan.xml')).map(([v, p]) => [v, p])).toEqual([
      ['TLSv1.2', undefined],
      ['TLSv1.3', undefined],
    ]);
  });
});

describe('tools that disagree', () => {
  it('are one target whose disagreements are info findings', async () => {
    // Two recordings of different servers made to look like one: sslscan's file moved to nmap's port.
    const nmap = await importFile('fixtures/import/approved-plus-tls10/nmap.xml');
    const port = nmap.observations[0]!.port;
    const text = readFileSync('fixtures/import/tls12-approved/sslscan.xml', 'utf8').replace(/port="\d+"/, `port="${port}"`);
    const sslscan = await importOne({ text, origin: 'moved.xml' }, 'sslscan');
    const r = report([...nmap.observations, ...sslscan.observations]);
    expect(r.targets).toHaveLength(1);
    const t = r.targets[0]!;
    expect(t.disagreements?.map((d) => d.message)).toEqual([
      'nmap saw TLSv1.0 enabled; sslscan did not.',
      'nmap saw 2 suites with TLSv1.2 that sslscan did not: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384.',
    ]);
    expect(t.verdict.findings.filter((f) => f.severity === 'info' && /sslscan did not/.test(f.message))).toHaveLength(2);
  });
});

describe('a folder of mixed files', () => {
  it('imports as the merge of each file imported alone', async () => {
    const paths = recorded.flatMap((s) => FILES.map(([f]) => `fixtures/import/${s.name}/${f}`));
    const files = await Promise.all(paths.map(importFile));
    const together = report(files.flatMap((f) => f.observations));
    const merged = mergeReports(files.map((f) => report(f.observations)), [dataverse]);
    const strip = (r: Report) => ({ ...r, generatedAt: undefined });
    expect(strip(together)).toEqual(strip(merged));
    expect(together.targets).toHaveLength(recorded.length);
  });
});
