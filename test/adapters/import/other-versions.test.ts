/**
 * Real files of tool versions other than Debian's, from DefectDojo's parser tests (fixtures/README.md):
 * sslyze 1.4.3 (from reptor's tests), 3.0.7 and 5.0.x, testssl.sh CSVs of 3.0 to 3.2, sslscan 1.11.13. Each imports with the verdict
 * its content implies under Dataverse: the suites listed decide it, as the comments say.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectKind, importOne, type ImportKind } from '../../../src/import/index.js';
import type { Report, Target } from '../../../src/index.js';
import { loadPolicy } from '../../../src/policy/index.js';
import { buildReport, mergeObservations } from '../../../src/report/index.js';
import { validateReport } from '../../../src/report/read-report.js';

async function imported(path: string, kind: ImportKind): Promise<{ report: Report; notices: string[] }> {
  const input = { text: readFileSync(path, 'utf8'), origin: path };
  expect(detectKind(input)).toBe(kind);
  const file = await importOne(input, kind);
  const report = buildReport(mergeObservations(file.observations), [loadPolicy('dataverse')], { notices: file.notices });
  validateReport(JSON.parse(JSON.stringify(report)), path);
  return { report, notices: file.notices };
}

const fired = (t: Target) => t.verdict.findings.filter((f) => f.severity !== 'info').map((f) => f.rule).sort();
const versions = (t: Target) => Object.fromEntries(t.protocols.map((p) => [p.version, p.ciphers.length]));

describe('sslyze', () => {
  it('3.0.7 (scan_commands_results): two servers, one with only approved ECDHE/DHE suites, one adding plain RSA', async () => {
    const { report } = await imported('fixtures/sslyze/defectdojo-two-targets-3.0.7.json', 'sslyze');
    const [info, www] = report.targets;
    expect(www!.host).toBe('www.example.com');
    expect(www!.address).toBe('194.168.0.1');
    expect(www!.verdict.status).toBe('pass');
    expect(versions(www!)).toEqual({ 'TLSv1.2': 15 });
    // sslyze 3 names the suite the server picks from the client's list: the server has an order.
    expect(www!.protocols[0]!.cipherPreference).toBe('server');
    expect(info!.verdict.status).toBe('warn');
    expect(fired(info!)).toEqual(['plain-rsa-key-exchange']);
    expect(info!.certificate).toMatchObject({ subject: 'CN=info.example.com', keyType: 'RSA', keyBits: 2048 });
  });

  it('5.0.2 (scan_result): TLS 1.2 with approved suites and TLS 1.3 passes; the certificate is read field by field', async () => {
    const { report } = await imported('fixtures/sslyze/defectdojo-zero-vuln-5.0.2.json', 'sslyze');
    const t = report.targets[0]!;
    expect(t.verdict.status).toBe('pass');
    expect(versions(t)).toEqual({ 'TLSv1.2': 4, 'TLSv1.3': 2 });
    // Ephemeral keys: prime256v1 for TLS 1.2, X25519 for TLS 1.3, named as IANA names.
    expect(t.protocols[0]!.ciphers[0]!.evidence[0]).toMatchObject({ group: 'secp256r1', kexBits: 256 });
    expect(t.protocols[1]!.ciphers[0]!.evidence[0]).toMatchObject({ group: 'x25519' });
    const leaf = t.certificates![0]!.chain[0]!;
    expect(leaf.subject).toBe('C=US, ST=IL, L=Springfield, O=Example Enterprises, CN=example.com');
    expect(leaf.subjectAltNames).toEqual(['DNS:example.com', 'DNS:s.example.com']);
    expect(leaf).toMatchObject({ keyType: 'RSA', keyBits: 2048, signatureAlgorithm: 'sha384WithRSAEncryption' });
    expect(leaf.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(t.certificates![0]).toMatchObject({ hostnameMatches: true, chainInOrder: true });
  });

  it('5.0.1: TLS 1.0 and 1.1 beside TLS 1.2, and plain RSA suites, warn', async () => {
    const { report } = await imported('fixtures/sslyze/defectdojo-many-vuln-5.0.1.json', 'sslyze');
    const t = report.targets[0]!;
    expect(t.verdict.status).toBe('warn');
    expect(fired(t)).toEqual(['legacy-protocols', 'plain-rsa-key-exchange']);
    expect(versions(t)).toEqual({ 'TLSv1.0': 12, 'TLSv1.1': 12, 'TLSv1.2': 24 });
  });

  it('1.4.3 (accepted_targets, OpenSSL names only): SSLv2 enabled warns; its placeholder suite name is kept as a warning', async () => {
    const { report, notices } = await imported('fixtures/sslyze/reptor-1.4.3.json', 'sslyze');
    const t = report.targets[0]!;
    expect(t.verdict.status).toBe('warn');
    expect(fired(t)).toEqual(['legacy-protocols', 'plain-rsa-key-exchange']);
    expect(versions(t)).toEqual({ SSLv2: 0, 'TLSv1.2': 16 });
    expect(t.protocols[1]!.cipherPreference).toBe('server');
    // reptor replaced the SSLv2 suite's name with "ABCD" before committing the file.
    expect(notices).toEqual(['fixtures/sslyze/reptor-1.4.3.json: www.example.com:443: sslyze reported a suite tlsaudit cannot place, "ABCD" (SSLv2); it is not judged']);
    expect(t.certificates![0]).toMatchObject({ trusted: true, trustStore: 'Mozilla', hostnameMatches: true });
    expect(t.certificate).toMatchObject({ keyType: 'RSA', keyBits: 2048, notAfter: '2024-01-01T23:59:59.000Z', subjectAltNames: ['DNS:www.example.com', 'DNS:www1.example.com'] });
  });

  it('a name the registry cannot place is kept as a warning on the run, not dropped', async () => {
    const text = readFileSync('fixtures/sslyze/defectdojo-zero-vuln-5.0.2.json', 'utf8').replaceAll(
      '"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"',
      '"TLS_ECDHE_RSA_WITH_MADE_UP_SHA256"',
    );
    const file = await importOne({ text, origin: 'renamed.json' }, 'sslyze');
    // The OpenSSL name beside it still places the suite.
    expect(file.observations[0]!.protocols[0]!.ciphers).toHaveLength(4);
    const unplaceable = text.replaceAll('"ECDHE-RSA-AES128-SHA256"', '"MADE-UP"');
    const lost = await importOne({ text: unplaceable, origin: 'renamed.json' }, 'sslyze');
    expect(lost.observations[0]!.protocols[0]!.ciphers).toHaveLength(3);
    expect(lost.notices).toEqual([expect.stringContaining('"TLS_ECDHE_RSA_WITH_MADE_UP_SHA256"')]);
    expect(lost.observations[0]!.runs[0]!.notes).toEqual(expect.arrayContaining([expect.stringContaining('it is not judged')]));
  });
});

describe('testssl.sh CSV of other versions', () => {
  it('3.1+ (cipher_order-tls1_2 per protocol, no address column part): SSLv2 and SSLv3 enabled warn', async () => {
    const { report } = await imported('fixtures/testssl/defectdojo-references.csv', 'testssl-csv');
    const t = report.targets[0]!;
    expect(t.host).toBe('asdf.com');
    expect(t.verdict.status).toBe('warn');
    expect(versions(t)).toEqual({ SSLv2: 2, SSLv3: 3, 'TLSv1.0': 9, 'TLSv1.1': 9, 'TLSv1.2': 17 });
    expect(t.protocols.find((p) => p.version === 'TLSv1.2')!.cipherPreference).toBe('server');
  });

  it('a run with -e (suites without protocols) reads them through the -P server order, four addresses of one name', async () => {
    const { report, notices } = await imported('fixtures/testssl/defectdojo-many-vuln.csv', 'testssl-csv');
    expect(report.targets.map((t) => t.address)).toEqual(['185.199.108.153', '185.199.109.153', '185.199.110.153', '185.199.111.153']);
    for (const t of report.targets) {
      expect(t.verdict.status).toBe('warn');
      expect(fired(t)).toEqual(['plain-rsa-key-exchange']);
      // The server order of cipherorder_TLSv1_2 is kept, best first.
      expect(t.protocols[0]!.ciphers[0]!.name).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    }
    expect(notices).toEqual([]);
  });

  it('TLS 1.3 "offered with final" and approved TLS 1.2 suites pass', async () => {
    const { report } = await imported('fixtures/testssl/defectdojo-demo.csv', 'testssl-csv');
    expect(report.targets[0]!.verdict.status).toBe('pass');
    expect(Object.keys(versions(report.targets[0]!))).toEqual(['TLSv1.2', 'TLSv1.3']);
  });

  it('TLS 1.0 and 1.1 beside TLS 1.2 warn', async () => {
    const { report } = await imported('fixtures/testssl/defectdojo-overall-critical.csv', 'testssl-csv');
    expect(fired(report.targets[0]!)).toEqual(['legacy-protocols', 'plain-rsa-key-exchange']);
  });

  it('a target testssl.sh could not reach is an error target naming why', async () => {
    const { report } = await imported('fixtures/testssl/defectdojo-failed-target.csv', 'testssl-csv');
    const t = report.targets[0]!;
    expect(t.verdict.status).toBe('error');
    expect(t.error).toMatch(/^testssl\.sh: Can't connect to '1\.2\.3\.4:443'/);
  });
});

describe('sslscan 1.11.13', () => {
  it('skips the suites it lists as "not accepted" and reads P-256 as secp256r1', async () => {
    const { report } = await imported('fixtures/sslscan/defectdojo-many-vuln-1.11.13.xml', 'sslscan');
    const t = report.targets[0]!;
    expect(t.verdict.status).toBe('warn');
    expect(fired(t)).toEqual(['plain-rsa-key-exchange']);
    const codes = t.protocols[0]!.ciphers.map((c) => c.code);
    expect(codes).toHaveLength(8);
    expect(codes).not.toContain('0x006B'); // DHE-RSA-AES256-SHA256, status="not accepted"
    expect(t.protocols[0]!.ciphers.find((c) => c.code === '0xC030')!.evidence[0]).toMatchObject({ group: 'secp256r1', kexBits: 256 });
    expect(t.certificates![0]).toMatchObject({ expired: true });
  });
});
