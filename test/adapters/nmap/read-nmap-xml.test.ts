import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NmapXmlSplitter, emptyNmapReadSummary, parseNmapXml, readNmapXml, readNmapXmlFile } from '../../../src/adapters/nmap/index.js';
import { InputError } from '../../../src/errors.js';
import type { TargetObservation } from '../../../src/model/index.js';

const FIXTURES = new URL('../../../fixtures/nmap/', import.meta.url);
const fixturePath = (name: string) => new URL(name, FIXTURES).pathname;
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

async function collect(gen: AsyncIterable<TargetObservation>): Promise<TargetObservation[]> {
  const out: TargetObservation[] = [];
  for await (const o of gen) out.push(o);
  return out;
}

/** Splits bytes into pieces of `size`, cutting through multi-byte characters and tags alike. */
function* pieces(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('readNmapXml', () => {
  it('gives the same observations as the eager parser, whatever the chunk size', async () => {
    const bytes = fixture('sample.xml');
    const eager = parseNmapXml(bytes.toString('utf8'), 'sample.xml');
    for (const size of [1, 7, 64, 4096, bytes.length]) {
      const summary = emptyNmapReadSummary('sample.xml');
      const streamed = await collect(readNmapXml(pieces(bytes, size), 'sample.xml', summary));
      expect(streamed).toEqual(eager.observations);
      expect(summary).toEqual(eager.summary);
    }
  });

  it('yields the first host while the stream is still open', async () => {
    const text = fixture('sample.xml').toString('utf8');
    const secondHost = text.indexOf('<host ', text.indexOf('<host ') + 1);
    const input = new PassThrough();
    const gen = readNmapXml(input, 'stdin');
    input.write(text.slice(0, secondHost));
    // Nothing more is written until the first observations arrive: a reader that waited for the end would hang here.
    const first = await gen.next();
    expect(first.done).toBe(false);
    expect((first.value as TargetObservation).host).toBe('www.example.com');
    expect((first.value as TargetObservation).port).toBe(443);
    input.end(text.slice(secondHost));
    const rest = await collect({ [Symbol.asyncIterator]: () => gen });
    expect(rest.map((o) => o.host)).toContain('api.example.org');
  });

  it('holds error-only hosts until a TLS result shows the script ran, then releases them in order', async () => {
    const text = fixture('sample.xml').toString('utf8');
    // An https port without a result, on a host before the first result: held, then released first.
    const first = text.indexOf('<host ');
    const errorOnly = '<host><status state="up"/><address addr="192.0.2.7" addrtype="ipv4"/><ports><port protocol="tcp" portid="443"><state state="open"/><service name="https"/></port></ports></host>\n';
    const out = await collect(readNmapXml([text.slice(0, first), errorOnly, text.slice(first)], 'x'));
    expect(out.slice(0, 2).map((o) => `${o.address}:${o.port}${o.error ? ' error' : ''}`)).toEqual(['192.0.2.7:443 error', '127.0.0.10:443']);
  });

  it('reads a cut-off stream: complete hosts, incomplete summary', async () => {
    const summary = emptyNmapReadSummary('cut-off.xml');
    const out = await collect(readNmapXmlFile(fixturePath('cut-off.xml'), summary));
    expect(out).toHaveLength(3);
    expect(summary).toMatchObject({ complete: false, hosts: 2, targets: 3, sawSslEnumCiphers: true });
    expect(summary.skipped.map((s) => s.port)).toEqual([80]);
    expect(summary.notices[0]).toMatch(/cut-off\.xml is incomplete: it ends before <\/nmaprun>/);
  });

  it('rejects empty, non-XML and script-less input with one InputError naming the input', async () => {
    await expect(collect(readNmapXml(Readable.from([]), 'stdin'))).rejects.toThrow(new InputError('stdin is empty: expected nmap XML output (nmap -oX FILE, or -oX - to pipe it).'));
    await expect(collect(readNmapXmlFile(fixturePath('not-xml.txt')))).rejects.toThrow(/not-xml\.txt is not XML/);
    await expect(collect(readNmapXmlFile(fixturePath('no-ssl-enum-ciphers.xml')))).rejects.toThrow(/has no ssl-enum-ciphers results .* nmap -p 443 --script ssl-enum-ciphers -oX - HOST$/);
  });

  it('a missing file is an InputError naming it', async () => {
    await expect(collect(readNmapXmlFile('/nonexistent/scan.xml'))).rejects.toThrow(new InputError('Cannot read /nonexistent/scan.xml: no such file.'));
  });

  it('billion laughs streamed byte by byte stays small', async () => {
    const out = await collect(readNmapXml(pieces(fixture('billion-laughs.xml'), 1), 'bl.xml'));
    expect(out).toHaveLength(1);
    expect(JSON.stringify(out).length).toBeLessThan(10_000);
  });

  it('keeps memory bounded: the splitter buffer never holds more than one host plus a chunk', () => {
    const text = fixture('sample.xml').toString('utf8');
    const start = text.indexOf('<host ');
    const end = text.lastIndexOf('</host>') + 7;
    const hosts = text.slice(start, end);
    const splitter = new NmapXmlSplitter('big');
    splitter.push(text.slice(0, start));
    let count = 0;
    let maxBuffered = 0;
    for (let i = 0; i < 2000; i++) {
      count += splitter.push(hosts).filter((e) => e.kind === 'host').length;
      maxBuffered = Math.max(maxBuffered, (splitter as unknown as { buf: string }).buf.length);
    }
    splitter.push('</nmaprun>\n');
    expect(count).toBe(8000);
    expect(splitter.complete).toBe(true);
    // 2000 × 13 kB went through; what stays buffered is bounded by the compaction threshold plus one push.
    expect(maxBuffered).toBeLessThan(65536 + 2 * hosts.length);
  });

  it('any split of the input into chunks gives the eager result (property)', async () => {
    // Multi-byte characters in a comment and in the host name: cuts fall inside them too.
    const text = fixture('shape-nmap791-hosthint.xml')
      .toString('utf8')
      .replace('<!DOCTYPE nmaprun>', '<!DOCTYPE nmaprun>\n<!-- ünïcödé ✓ -->')
      .replaceAll('<hostnames />', '<hostnames><hostname name="bücher.example" type="user"/></hostnames>');
    const bytes = Buffer.from(text);
    const eager = parseNmapXml(text, 'p');
    expect(eager.observations[0]!.host).toBe('bücher.example');
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), async (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
        const summary = emptyNmapReadSummary('p');
        expect(await collect(readNmapXml(chunks, 'p', summary))).toEqual(eager.observations);
        expect(summary.complete).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
