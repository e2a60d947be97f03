/** SSL Labs files written by other people's tools: API v2 shapes, repeated hosts, odd values. */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSslLabsJson } from '../../../src/adapters/ssllabs/index.js';
import { protocolsForSuite } from '../../../src/adapters/ssllabs/suite-protocols.js';
import { InputError } from '../../../src/errors.js';
import { loadPolicy } from '../../../src/policy/load-policy.js';
import { renderHtml } from '../../../src/render/html.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { buildReport, validateReport } from '../../../src/report/index.js';
import { runCli } from '../../helpers/run-cli.js';

const FIXTURES = new URL('../../../fixtures/ssllabs/', import.meta.url);
const text = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const V2 = 'xcollector-apptuit-v2.json';
const v2Raw = () => JSON.parse(text(V2)) as any;

/** What the file itself says: its one suite list, by id. */
const listed = (raw: any): number[] => raw.endpoints[0].details.suites.list.map((s: any) => s.id as number);

describe('SSL Labs API v2 (suites in one list, no protocol)', () => {
  const observations = importSslLabsJson(text(V2), V2);
  const target = observations[0]!;
  const byVersion = new Map(target.protocols.map((p) => [p.version, p]));
  const codes = (v: string) => byVersion.get(v as never)!.ciphers.map((c) => Number.parseInt(c.code, 16));

  it('keeps every listed suite, attributed to the protocols it can run on', () => {
    const ids = listed(v2Raw());
    expect(target.protocols.map((p) => p.version)).toEqual(['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
    // Every suite of the file is offered with TLS 1.2, the only protocol all of them can run on.
    expect(codes('TLSv1.2').sort()).toEqual([...ids].sort());
    // GCM, ChaCha20 and SHA-256/384 suites are TLS 1.2 only; the SHA-1 CBC and 3DES suites run on all three.
    const older = ids.filter((id) => [0xc013, 0xc014, 0x002f, 0x0035, 0x000a].includes(id));
    expect(codes('TLSv1.0').sort()).toEqual(older.sort());
    expect(codes('TLSv1.1').sort()).toEqual(older.sort());
    expect(codes('TLSv1.2')).toContain(0xc02f);
    expect(codes('TLSv1.0')).not.toContain(0xc02f);
  });

  it('marks that evidence inferred, keeps the v2 key-exchange sizes, and says so in the run notes', () => {
    for (const p of target.protocols) for (const c of p.ciphers) expect(c.evidence.every((e) => e.inferred === true)).toBe(true);
    const gcm = byVersion.get('TLSv1.2')!.ciphers.find((c) => c.code === '0xC02F')!;
    expect(gcm.evidence[0]).toMatchObject({ source: 'ssllabs', kexBits: 256, inferred: true });
    expect(target.runs[0]!.notes).toContainEqual(expect.stringMatching(/14 suite\(s\) without their protocol \(API v2\).*inferred/));
    expect(byVersion.get('TLSv1.2')!.cipherPreference).toBe('server');
  });

  it('google-fronted api.apptuit.ai does not fail Dataverse: TLS 1.2 with ECDHE GCM suites, deprecated TLS 1.0/1.1 and RSA (warn)', () => {
    const report = buildReport(observations, [loadPolicy('dataverse')]);
    expect(report.targets[0]!.verdict.status).toBe('warn');
    expect(report.targets[0]!.verdict.findings.map((f) => f.severity)).not.toContain('fail');
    expect(() => validateReport(JSON.parse(JSON.stringify(report)), 'report')).not.toThrow();
  });

  it('shows the inference where evidence is shown: markdown and html', () => {
    const report = buildReport(observations, [loadPolicy('dataverse')]);
    expect(renderMarkdown(report)).toMatch(/`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256` \| ssllabs \(protocol inferred\)/);
    expect(renderHtml(report)).toMatch(/<span class="chip ssllabs">ssllabs<\/span> <span class="muted">protocol inferred<\/span>/);
  });

  it('the CLI reads the file as a user would: exit 0 (warn), inferred evidence in the JSON report', async () => {
    const r = await runCli(['ssllabs', '--input', `fixtures/ssllabs/${V2}`, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(() => validateReport(report, 'stdout')).not.toThrow();
    expect(report.targets[0].protocols[2].ciphers[0].evidence[0].inferred).toBe(true);
  });
});

describe('protocolsForSuite', () => {
  const all = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
  it.each([
    [0xc02f, ['TLSv1.2']], // ECDHE_RSA AES_128_GCM: AEAD
    [0xcca8, ['TLSv1.2']], // ECDHE_RSA CHACHA20_POLY1305
    [0xc027, ['TLSv1.2']], // ECDHE_RSA AES_128_CBC_SHA256
    [0x003d, ['TLSv1.2']], // RSA AES_256_CBC_SHA256
    [0xc0ac, ['TLSv1.2']], // ECDHE_ECDSA AES_128_CCM
    [0x002f, ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2']], // RSA AES_128_CBC_SHA
    [0x1301, ['TLSv1.3']], // TLS_AES_128_GCM_SHA256
    [0x010080, ['SSLv2']], // SSL_CK_RC4_128_WITH_MD5
  ])('0x%s runs on %j of every protocol', (code, expected) => {
    expect(protocolsForSuite(code, all)).toEqual(expected);
  });

  it('only among the offered protocols', () => {
    expect(protocolsForSuite(0xc02f, ['TLSv1.0', 'TLSv1.1'])).toEqual([]);
    expect(protocolsForSuite(0x002f, ['TLSv1.2', 'TLSv1.0'])).toEqual(['TLSv1.0', 'TLSv1.2']);
  });
});

describe('one endpoint, one target', () => {
  it('an ssllabs-scan array naming the same host twice gives one target, suites collapsed, both runs kept', () => {
    const [host] = JSON.parse(text('defectdojo-ok-mevitae-v3.json')) as any[];
    const later = structuredClone(host);
    later.testTime += 86_400_000;
    const once = importSslLabsJson(JSON.stringify([host]), 'once.json');
    const twice = importSslLabsJson(JSON.stringify([host, later]), 'twice.json');
    expect(twice).toHaveLength(once.length);
    const t = twice[0]!;
    expect(t.runs).toHaveLength(2);
    expect(t.protocols.map((p) => [p.version, p.ciphers.map((c) => c.code)])).toEqual(once[0]!.protocols.map((p) => [p.version, p.ciphers.map((c) => c.code)]));
    for (const p of t.protocols) for (const c of p.ciphers) expect(c.evidence).toHaveLength(2);
    expect(t.disagreements).toBeUndefined();
  });

  it('the same host in two --input files is one target too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-ssllabs-'));
    const [host] = JSON.parse(text('defectdojo-3des-badssl-v3.json')) as any[];
    const later = { ...structuredClone(host), testTime: host.testTime + 1000 };
    writeFileSync(join(dir, 'a.json'), JSON.stringify([host]));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(later));
    const r = await runCli(['ssllabs', '--input', join(dir, 'a.json'), join(dir, 'b.json'), '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.targets).toHaveLength(host.endpoints.length);
    expect(report.targets[0].runs).toHaveLength(2);
  });
});

describe('values a file should not hold', () => {
  const base = () => (JSON.parse(text('defectdojo-ok-mevitae-v3.json')) as any[])[0];

  it.each([99999, 0, -1, 443.5, '443', ' 443 ', '0x1bb'])('port %j is an InputError naming the host', (port) => {
    const host = { ...base(), port };
    expect(() => importSslLabsJson(JSON.stringify(host), 'bad.json')).toThrow(InputError);
    expect(() => importSslLabsJson(JSON.stringify(host), 'bad.json')).toThrow(/^bad\.json: SSL Labs host defectdojo\.mevitae\.com has port .*, not a port number from 1 to 65535\.$/);
  });

  it('port 99999 on the command line: exit 2, one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-ssllabs-'));
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ ...base(), port: 99999 }));
    const r = await runCli(['ssllabs', '--input', join(dir, 'p.json'), '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/has port 99999/);
  });

  it('a fractional q or namedGroupBits, a certificate subject that is not text: read as absent, the report validates', () => {
    const host = base();
    const suite = host.endpoints[0].details.suites[0].list[0];
    suite.q = 0.5;
    suite.namedGroupBits = 255.5;
    suite.kxStrength = 3072.25;
    host.certs[0].subject = { CN: 'defectdojo.mevitae.com' };
    host.certs[0].altNames = ['defectdojo.mevitae.com', 7, null];
    host.certs[0].keySize = 2048.5;
    const observations = importSslLabsJson(JSON.stringify(host), 'odd.json');
    const evidence = observations[0]!.protocols.flatMap((p) => p.ciphers).find((c) => c.code === `0x${suite.id.toString(16).toUpperCase().padStart(4, '0')}`)!.evidence[0]!;
    expect(evidence.q).toBeUndefined();
    expect(Number.isInteger(evidence.kexBits ?? 0)).toBe(true);
    expect(observations[0]!.certificate).toMatchObject({ subjectAltNames: ['defectdojo.mevitae.com'] });
    expect(observations[0]!.certificate!.subject).toBeUndefined();
    expect(observations[0]!.certificate!.keyBits).toBeUndefined();
    const report = buildReport(observations, [loadPolicy('dataverse')]);
    expect(() => validateReport(JSON.parse(JSON.stringify(report)), 'report')).not.toThrow();
  });

  it('a Host with an empty name and no endpoint address still names the target', () => {
    const observations = importSslLabsJson(JSON.stringify({ host: '', status: 'ERROR', statusMessage: 'Unable to resolve domain name' }), 'e.json');
    const report = buildReport(observations, [loadPolicy('dataverse')]);
    expect(report.targets[0]!.host.length).toBeGreaterThan(0);
    expect(() => validateReport(JSON.parse(JSON.stringify(report)), 'report')).not.toThrow();
  });
});
