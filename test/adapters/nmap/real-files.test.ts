/** nmap files as other people's set-ups write them: old nmap, PowerShell, -sV scans, appended runs. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NmapXmlSplitter, parseNmapXml, readNmapXml, requestsSslEnumCiphers } from '../../../src/adapters/nmap/index.js';
import { nmapTreatsAsTls } from '../../../src/adapters/nmap/nmap-tls-ports.js';
import { readSslEnumCiphersText } from '../../../src/adapters/nmap/ssl-enum-ciphers-text.js';
import { InputError } from '../../../src/errors.js';
import type { TargetObservation } from '../../../src/model/index.js';
import { loadPolicy } from '../../../src/policy/load-policy.js';
import { buildReport, validateReport } from '../../../src/report/index.js';
import { runCli } from '../../helpers/run-cli.js';

const F = 'fixtures/nmap/';
const FIXTURES = new URL('../../../fixtures/nmap/', import.meta.url);
const text = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

async function collect(gen: AsyncIterable<TargetObservation>): Promise<TargetObservation[]> {
  const out: TargetObservation[] = [];
  for await (const o of gen) out.push(o);
  return out;
}

function* pieces(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const shape = (observations: readonly TargetObservation[]) =>
  observations.map((o) => ({
    port: o.port,
    error: o.error,
    protocols: o.protocols.map((p) => [p.version, p.ciphers.map((c) => `${c.name} ${c.evidence[0]!.strength ?? ''} ${c.evidence[0]!.kexInfo ?? ''}`), p.compressors ?? [], p.cipherPreference ?? '']),
    grade: o.runs[0]?.grade,
  }));

describe('nmap 6.01: ssl-enum-ciphers as text only', () => {
  const { observations, summary } = parseNmapXml(text('nmap601-text-only.xml'), 'nmap601');

  it('reads protocols, suites, strength words, compressors and the least strength', () => {
    expect(summary.nmap.version).toBe('6.01');
    expect(observations).toHaveLength(1);
    const o = observations[0]!;
    expect(o.error).toBeUndefined();
    expect(o.runs[0]!.grade).toBe('strong');
    expect(o.protocols.map((p) => [p.version, p.ciphers.map((c) => [c.name, c.evidence[0]!.strength]), p.compressors])).toEqual([
      ['TLSv1.0', [['TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'strong'], ['TLS_RSA_WITH_AES_128_CBC_SHA', 'strong']], ['NULL']],
      ['TLSv1.1', [['TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'strong'], ['TLS_RSA_WITH_AES_128_CBC_SHA', 'strong']], ['NULL']],
      [
        'TLSv1.2',
        [
          ['TLS_DHE_RSA_WITH_AES_128_CBC_SHA', 'strong'],
          ['TLS_RSA_WITH_AES_128_CBC_SHA', 'strong'],
          ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'strong'],
        ],
        ['NULL'],
      ],
    ]);
  });

  it('the HTTP port, where 6.01 wrote only "Least strength = strong", is skipped, not a target', () => {
    expect(summary.skipped).toEqual([
      expect.objectContaining({ port: 44380, service: 'unknown', reason: expect.stringMatching(/forced to run there, found no TLS/) }),
    ]);
  });

  it('gives the verdict the suites call for (no approved ECDHE suite: fail) and a schema-valid report', async () => {
    const report = buildReport(observations, [loadPolicy('dataverse')]);
    expect(report.targets[0]!.verdict.status).toBe('fail');
    expect(() => validateReport(JSON.parse(JSON.stringify(report)), 'r')).not.toThrow();
    const r = await runCli(['nmap', `${F}nmap601-text-only.xml`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1 target: 0 pass, 0 warn, 1 fail, 0 error; 1 open port skipped/);
    expect(r.stdout).not.toMatch(/found no protocol/);
  });

  it('the text of a later nmap (7.93, beside its tables) reads the same as the tables', () => {
    for (const name of ['sample.xml', 'tls10-11.xml', 'plain-rsa.xml', 'ecdsa-modern.xml', 'tls13-only.xml', 'smtp-starttls.xml']) {
      const xml = text(name);
      // Drop the tables, keep the output attribute: the document as nmap before 6.25 would have shaped it.
      const textOnly = xml.replace(/(<script id="ssl-enum-ciphers" output="[^"]*")>[\s\S]*?<\/script>/g, '$1/>');
      expect(textOnly, name).not.toContain('<table key="ciphers">');
      expect(shape(parseNmapXml(textOnly, name).observations), name).toEqual(shape(parseNmapXml(xml, name).observations));
    }
  });

  it('reads the nmap 6.00-6.02 wording and "No supported ciphers found" lines', () => {
    const table = readSslEnumCiphersText('\n  SSLv3: No supported ciphers found\n  TLSv1.0\n    Ciphers (1)\n      TLS_RSA_WITH_RC4_128_SHA - weak\n    Compressors (1)\n      DEFLATE\n  Least strength = weak\n');
    expect([...table.tables.keys()]).toEqual(['TLSv1.0']);
    expect(table.tables.get('TLSv1.0')!.tables.get('ciphers')!.list[0]!.elems).toEqual(new Map([['name', 'TLS_RSA_WITH_RC4_128_SHA'], ['strength', 'weak']]));
    expect(table.tables.get('TLSv1.0')!.tables.get('compressors')!.values).toEqual(['DEFLATE']);
    expect(table.elems.get('least strength')).toBe('weak');
  });
});

describe('a mixed -sV scan exits by its TLS ports alone', () => {
  it('ssl/http is a target (pass), the plain HTTP server is skipped, exit 0', async () => {
    const { observations, summary } = parseNmapXml(text('mixed-sv.xml'), 'mixed');
    expect(observations.map((o) => [o.port, o.service])).toEqual([[44443, 'http']]);
    expect(summary.skipped.map((s) => [s.port, s.service])).toEqual([[44480, 'http']]);
    for (const format of ['table', 'json']) {
      const r = await runCli(['nmap', `${F}mixed-sv.xml`, '--format', format]);
      expect(r.code, format).toBe(0);
      if (format === 'json') {
        const report = JSON.parse(r.stdout);
        expect(() => validateReport(report, 'stdout')).not.toThrow();
        expect(report.summary).toEqual({ pass: 1, warn: 0, fail: 0, error: 0 });
        expect(report.skipped).toEqual([expect.objectContaining({ host: '127.0.0.1', address: '127.0.0.1', port: 44480, service: 'http' })]);
      } else {
        expect(r.stdout).toMatch(/1 target: 1 pass, 0 warn, 0 fail, 0 error; 1 open port skipped \(no TLS service\)/);
      }
    }
  });

  it('a scan that asked for the script but found no TLS port at all: no targets, the ports skipped, exit 0', async () => {
    // The same real scan without its TLS port: what a sweep of a host with only plain HTTP gives.
    const xml = text('mixed-sv.xml').replace(/<port protocol="tcp" portid="44443">[\s\S]*?<\/port>\n?/, '');
    expect(xml).not.toContain('id="ssl-enum-ciphers"');
    const { observations, summary } = parseNmapXml(xml, 'no-tls');
    expect(observations).toEqual([]);
    expect(summary.skipped.map((s) => s.port)).toEqual([44480]);
    const r = await runCli(['nmap', '--format', 'json'], { stdin: xml });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(() => validateReport(report, 'stdout')).not.toThrow();
    expect(report.targets).toEqual([]);
    expect(report.skipped).toHaveLength(1);
    // Without the script on nmap's command line the file is still rejected with how to run nmap.
    const r2 = await runCli(['nmap'], { stdin: xml.replace(/--script ssl-enum-ciphers|-&#45;script ssl-enum-ciphers/g, '') });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/has no ssl-enum-ciphers results/);
  });

  it('knows when nmap was asked for ssl-enum-ciphers', () => {
    expect(requestsSslEnumCiphers('nmap -sV --script ssl-enum-ciphers -oX - 192.0.2.1')).toBe(true);
    expect(requestsSslEnumCiphers('nmap --script=+ssl-enum-ciphers,ssl-cert 192.0.2.1')).toBe(true);
    expect(requestsSslEnumCiphers('nmap --script "ssl*" 192.0.2.1')).toBe(true);
    expect(requestsSslEnumCiphers('nmap --script discovery 192.0.2.1')).toBe(true);
    expect(requestsSslEnumCiphers('nmap --script ssl-cert -sC 192.0.2.1')).toBe(false);
    expect(requestsSslEnumCiphers('nmap -p 443 192.0.2.1')).toBe(false);
    expect(requestsSslEnumCiphers(undefined)).toBe(false);
  });

  it('mirrors nmap port rule: TLS ports and services, STARTTLS services, -sV tunnels; nothing else', () => {
    expect(nmapTreatsAsTls({ port: 443 })).toBe(true);
    expect(nmapTreatsAsTls({ port: 3389, service: 'ms-wbt-server' })).toBe(true);
    expect(nmapTreatsAsTls({ port: 2525, service: 'smtp' })).toBe(true);
    expect(nmapTreatsAsTls({ port: 1433, service: 'ms-sql-s' })).toBe(true);
    expect(nmapTreatsAsTls({ port: 389 })).toBe(true);
    expect(nmapTreatsAsTls({ port: 8080, service: 'http', tunnel: 'ssl' })).toBe(true);
    expect(nmapTreatsAsTls({ port: 22, service: 'ssh' })).toBe(false);
    expect(nmapTreatsAsTls({ port: 80, service: 'http' })).toBe(false);
    expect(nmapTreatsAsTls({ port: 8080, service: '__proto__' })).toBe(false);
  });
});

describe('UTF-16 files (PowerShell `nmap ... > scan.xml`)', () => {
  const utf8 = readFileSync(new URL('sample.xml', FIXTURES));
  const expected = parseNmapXml(utf8.toString('utf8'), 'sample.xml');
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8.toString('utf8'), 'utf16le')]);
  const be = Buffer.from(le).swap16();

  it.each([
    ['UTF-16LE with BOM', le],
    ['UTF-16BE with BOM', be],
    ['UTF-16LE without BOM', le.subarray(2)],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8])],
  ])('%s reads like the UTF-8 file, whatever the chunk size', async (_name, bytes) => {
    for (const size of [1, 3, 4096]) {
      expect(await collect(readNmapXml(pieces(bytes, size), 'sample.xml'))).toEqual(expected.observations);
    }
  });

  it('from stdin through the CLI', async () => {
    const r = await runCli(['nmap', '--format', 'json'], { stdin: le });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary).toEqual({ pass: 3, warn: 2, fail: 2, error: 0 });
  });
});

describe('shapes the splitter must not trip on', () => {
  it('a CDATA section holding </host> does not reject the file', () => {
    const xml = text('sample.xml');
    const at = xml.indexOf('<ports>');
    const withCdata = `${xml.slice(0, at)}<hostscript><script id="note" output="x"><elem key="raw"><![CDATA[ </host> <host> ]]></elem></script></hostscript>${xml.slice(at)}`;
    const { observations, summary } = parseNmapXml(withCdata, 'cdata.xml');
    expect(summary.hosts).toBe(4);
    expect(observations).toEqual(parseNmapXml(xml, 'cdata.xml').observations);
  });

  it('a CDATA section split across chunks is waited for', () => {
    const splitter = new NmapXmlSplitter('x');
    const doc = '<nmaprun><host><address addr="192.0.2.1" addrtype="ipv4"/><x><![CDATA[</host>]]></x></host></nmaprun>';
    const events = [...doc].flatMap((ch) => splitter.push(ch));
    expect(events.filter((e) => e.kind === 'host')).toHaveLength(1);
    expect(splitter.complete).toBe(true);
  });

  it('nmap run twice into one file (a second document appended): one target per host:port, suites collapsed', async () => {
    const xml = text('sample.xml');
    const later = xml.replace(/starttime="(\d+)"/g, (_m, t: string) => `starttime="${Number(t) + 3600}"`);
    const once = parseNmapXml(xml, 'once');
    const twice = parseNmapXml(`${xml}\n${later}`, 'twice');
    expect(twice.summary.hosts).toBe(8);
    expect(twice.summary.complete).toBe(true);
    const r = await runCli(['nmap', '--format', 'json'], { stdin: `${xml}\n${later}` });
    const report = JSON.parse(r.stdout);
    expect(() => validateReport(report, 'stdout')).not.toThrow();
    expect(report.targets.map((t: TargetObservation) => `${t.address}:${t.port}`)).toEqual(once.observations.map((o) => `${o.address}:${o.port}`));
    const first = report.targets[0];
    expect(first.runs).toHaveLength(2);
    expect(first.protocols.map((p: { ciphers: unknown[] }) => p.ciphers.length)).toEqual(once.observations[0]!.protocols.map((p) => p.ciphers.length));
    expect(first.protocols[0].ciphers[0].evidence).toHaveLength(2);
    expect(report.skipped).toHaveLength(1);
    expect(report.summary).toEqual({ pass: 3, warn: 2, fail: 2, error: 0 });
  });
});

describe('ports are decimal integers from 1 to 65535', () => {
  const xml = text('sample.xml');
  const badPort = (portid: string) => xml.replace('portid="443"', `portid="${portid}"`);

  it.each(['0x1bb', ' 443 ', '4.43e2', '0', '65536', '-443', ''])('portid %j is an InputError naming the host', (portid) => {
    expect(() => parseNmapXml(badPort(portid), 'bad.xml')).toThrow(InputError);
    expect(() => parseNmapXml(badPort(portid), 'bad.xml')).toThrow(`bad.xml: host www.example.com has a port with portid ${JSON.stringify(portid)}, not a decimal port number from 1 to 65535.`);
  });

  it('hosts before the bad one are still reported: exit 3, the error as a notice', async () => {
    const xml2 = xml.replace(/(<host [\s\S]*?legacy\.example\.net[\s\S]*?)portid="443"/, '$1portid="0x1bb"');
    const r = await runCli(['nmap', '--format', 'json'], { stdin: xml2 });
    const report = JSON.parse(r.stdout);
    expect(report.targets.map((t: TargetObservation) => t.host)).toEqual(['www.example.com', 'mail.example.com', 'mail.example.com']);
    expect(report.notices).toContainEqual(expect.stringMatching(/host legacy\.example\.net has a port with portid "0x1bb"/));
    expect(r.code).toBe(3);
  });

  it('a bad port in the first host: nothing to report, exit 2 and one line', async () => {
    const r = await runCli(['nmap'], { stdin: badPort('65536') });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^tlsaudit: stdin: host www\.example\.com has a port with portid "65536"/)]);
  });
});
