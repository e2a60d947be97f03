/** Every real file in fixtures/ is told as its kind from its content alone. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { detectKind, importOne, type ImportKind } from '../../src/import/index.js';
import { parseNmapXml } from '../../src/adapters/nmap/index.js';

function kindOf(path: string): ImportKind {
  return detectKind({ text: readFileSync(path, 'utf8'), origin: path });
}

const files = (dir: string, ext: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .map((f) => `${dir}/${f}`);

describe('detectKind', () => {
  it.each([
    ...files('fixtures/nmap', '.xml')
      .filter((f) => !/billion-laughs|empty/.test(f))
      .map((f) => [f, 'nmap'] as const),
    ...files('fixtures/ssllabs', '.json').map((f) => [f, 'ssllabs'] as const),
    ...files('fixtures/reports', '.json').map((f) => [f, 'report'] as const),
    ...files('fixtures/testssl', '.csv').map((f) => [f, 'testssl-csv'] as const),
    ...files('fixtures/sslscan', '.xml').map((f) => [f, 'sslscan'] as const),
    ...files('fixtures/sslyze', '.json').map((f) => [f, 'sslyze'] as const),
    ['fixtures/import/tls12-approved/testssl.json', 'testssl-json'],
    ['fixtures/import/tls12-approved/testssl-pretty.json', 'testssl-json'],
  ] as const)('%s is %s', (file, kind) => {
    expect(kindOf(file)).toBe(kind);
  });

  it('names every kind it tried when none fits, in one line', () => {
    expect(() => kindOf('fixtures/nmap/not-xml.txt')).toThrow(InputError);
    expect(() => detectKind({ text: '{"hello": 1}', origin: 'x.json' })).toThrow(
      /^x\.json is none of the kinds tlsaudit imports \(tried nmap XML, SSL Labs JSON, testssl\.sh JSON, testssl\.sh CSV, sslyze JSON, sslscan XML, tlsaudit JSON report\)/,
    );
    expect(() => detectKind({ text: ' \n', origin: 'blank' })).toThrow(/^blank is empty/);
  });

  it('--from forces the kind; "testssl" still tells JSON from CSV', () => {
    const csv = { text: readFileSync('fixtures/testssl/defectdojo-demo.csv', 'utf8'), origin: 'x' };
    expect(detectKind(csv, 'testssl')).toBe('testssl-csv');
    expect(detectKind(csv, 'sslscan')).toBe('sslscan');
    expect(detectKind({ text: '[]', origin: 'x' }, 'tlsaudit')).toBe('report');
  });
});

describe('import of an nmap file', () => {
  it('gives the targets the nmap command gives', async () => {
    const text = readFileSync('fixtures/nmap/sample.xml', 'utf8');
    const file = await importOne({ text, origin: 'sample.xml' }, 'nmap');
    expect(file.observations).toEqual(parseNmapXml(text, 'sample.xml').observations);
  });
});

describe('a testssl.sh code point the registry does not know', () => {
  it('is kept as a warning naming it, not dropped silently', async () => {
    // The real file with one suite's code changed to an unassigned one (0x7777).
    const text = readFileSync('fixtures/import/plain-rsa/testssl.json', 'utf8').replace('"cipher-tls1_2_x9c"', '"cipher-tls1_2_x7777"').replace(/x9c(\s+)AES128-GCM-SHA256/, 'x7777$1MADE-UP-NAME');
    const file = await importOne({ text, origin: 'plain-rsa.json' }, 'testssl-json');
    expect(file.observations[0]!.protocols[0]!.ciphers).toHaveLength(2);
    expect(file.notices).toEqual([
      expect.stringMatching(/^plain-rsa\.json: 127\.0\.0\.1:\d+: testssl\.sh reported a suite tlsaudit cannot place, "MADE-UP-NAME 0x7777" \(TLSv1\.2\); it is not judged$/),
    ]);
    expect(file.observations[0]!.runs[0]!.notes).toContain(file.notices[0]!.replace(/^.*?:\d+: /, ''));
  });
});
