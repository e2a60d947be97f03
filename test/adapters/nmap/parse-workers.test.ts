import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyNmapReadSummary, parseNmapHost, readNmapXml } from '../../../src/adapters/nmap/index.js';
import { slimNmapHost } from '../../../src/adapters/nmap/slim-nmap-host.js';

const FIXTURES = new URL('../../../fixtures/nmap/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

function* pieces(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(name: string, bytes: Buffer, workers: number, size: number) {
  const summary = emptyNmapReadSummary(name);
  const observations: unknown[] = [];
  let error: unknown;
  try {
    for await (const o of readNmapXml(pieces(bytes, size), name, summary, { workers })) observations.push(o);
  } catch (e) {
    error = e;
  }
  return { observations, summary, error: error === undefined ? undefined : [(error as Error).constructor.name, (error as Error).message] };
}

const SSL = '<script id="ssl-enum-ciphers" output="TLSv1.2: ... &gt; A"><table key="TLSv1.2"><table key="ciphers"><table><elem key="name">TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</elem><elem key="strength">A</elem></table></table><elem key="cipher preference">server</elem><elem key="cipher preference error">Too few ciphers supported</elem></table><elem key="least strength">A</elem></script>';

describe('slimming a host before parsing', () => {
  it('drops closed ports, script output text, other scripts and unread elements, and keeps what is read', () => {
    const host = `<host starttime="1"><status state="up" reason="user-set" reason_ttl="0"/>
<address addr="192.0.2.1" addrtype="ipv4"/>
<ports><port protocol="tcp" portid="25"><state state="closed" reason="reset" reason_ttl="64"/><service name="smtp" method="table" conf="3"/></port>
<port protocol="tcp" portid="443"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="https" tunnel="ssl" method="probed" conf="10"/><script id="http-title" output="a /&gt; b"><elem key="title">x</elem></script>${SSL}</port>
</ports>
<os><osmatch name="Linux"/></os><times srtt="11" rttvar="2113" to="100000"/>
</host>`;
    expect(slimNmapHost(host)).toBe(
      '<host starttime="1"><address addr="192.0.2.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="443"><state state="open"/><service name="https" tunnel="ssl"/>' +
        '<script id="ssl-enum-ciphers"><table key="TLSv1.2"><table key="ciphers"><table><elem key="name">TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</elem><elem key="strength">A</elem></table></table><elem key="cipher preference">server</elem></table><elem key="least strength">A</elem></script></port></ports></host>',
    );
  });

  it('leaves alone what it cannot be sure of, so the reading is the same', () => {
    // A closed port that carries a result, a state written with an entity, single quotes, an id with an entity.
    const host = `<host><address addr="192.0.2.1" addrtype="ipv4"/><ports>
<port protocol="tcp" portid="1"><state state="closed"/>${SSL}</port>
<port protocol="tcp" portid="2"><state state="&#111;pen"/></port>
<port protocol="tcp" portid="3"><state state='open'/><script id='ssl-enum-ciphers' output='x'>${SSL.slice(SSL.indexOf('>') + 1)}</port>
<port protocol="tcp" portid="4"><state state="open"/><script id="ssl&#45;enum-ciphers" output="x">${SSL.slice(SSL.indexOf('>') + 1)}</port>
</ports></host>`;
    const { observations, skipped } = parseNmapHost(host, { origin: 'x' });
    expect(observations.map((o) => [o.port, o.error ?? o.protocols.map((p) => p.ciphers.length)])).toEqual([
      [1, [1]],
      [3, [1]],
      [4, [1]],
    ]);
    // Open (the state written as an entity), no result, and no port nmap treats as TLS.
    expect(skipped.map((s) => s.port)).toEqual([2]);
  });
});

describe('parsing hosts on worker threads', () => {
  it('reads every fixture exactly as the main thread does: observations, summary and errors', async () => {
    const sample = fixture('sample.xml').toString('utf8');
    const cut = sample.lastIndexOf('<host');
    const cases: Array<[string, Buffer]> = readdirSync(FIXTURES)
      .filter((f) => /\.(xml|txt)$/.test(f))
      .map((f) => [f, fixture(f)]);
    // A document whose last host the XML parser rejects (a comment never closed).
    cases.push(['bad-host.xml', Buffer.from(`${sample.slice(0, cut)}<host><ports><port portid="1"><state state="open"/><!-- </port></ports></host>${sample.slice(cut)}`)]);
    // A bad port in the last host: the hosts before it (in the same batch too) are read, then the error.
    const lastHost = sample.lastIndexOf('<host ');
    cases.push(['bad-port.xml', Buffer.from(`${sample.slice(0, lastHost)}${sample.slice(lastHost).replace('portid="443"', 'portid="0x1bb"')}`)]);
    cases.push(['bad-port-one-chunk.xml', cases.at(-1)![1]]);
    // Small pieces give many batches, so document order across workers is tested too.
    for (const [name, bytes] of cases) {
      const size = name === 'bad-port-one-chunk.xml' ? bytes.length : 97;
      const here = await read(name, bytes, 0, size);
      expect(await read(name, bytes, name === 'sample.xml' ? 2 : 1, size), name).toEqual(here);
    }
    for (const workers of [0, 1]) {
      const oneChunk = await read('bad-port-one-chunk.xml', cases.at(-1)![1], workers, cases.at(-1)![1].length);
      expect(oneChunk.error).toEqual(['InputError', expect.stringContaining('has a port with portid "0x1bb"')]);
      expect(oneChunk.observations).toHaveLength(5);
    }
    expect((await read('bad-host.xml', cases.find(([n]) => n === 'bad-host.xml')![1], 0, 97)).error).toEqual(['InputError', expect.stringContaining('not well-formed XML')]);
  }, 60_000);
});
