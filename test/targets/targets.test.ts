import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  TargetStream,
  canonicalAddress,
  createExcluder,
  inShard,
  parseCidr,
  parseShard,
  parseTargetText,
  rangeAddresses,
  targetKey,
  type TargetInput,
} from '../../src/targets/index.js';
import type { ProbeTarget } from '../../src/adapters/probe/target.js';

const one = (text: string): ProbeTarget => {
  const e = parseTargetText(text);
  if (e.kind !== 'target') throw new Error(`${text} is a range`);
  return e.target;
};

async function all(inputs: TargetInput[], options = {}): Promise<{ keys: string[]; stream: TargetStream }> {
  const stream = new TargetStream(inputs, options);
  const keys: string[] = [];
  for await (const t of stream) keys.push(t.key);
  return { keys, stream };
}

describe('target forms', () => {
  it('reads HOST, HOST:PORT, [IPv6]:PORT and a bare IPv6 address', () => {
    expect(one('www.example.org')).toEqual({ host: 'www.example.org', port: 443 });
    expect(one('mail.example.org:25')).toEqual({ host: 'mail.example.org', port: 25 });
    expect(one('[2001:db8::5]:8443')).toEqual({ host: '2001:db8::5', port: 8443 });
    expect(one('2001:db8::5')).toEqual({ host: '2001:db8::5', port: 443 });
  });

  it('reads URLs: the scheme gives the port and the upgrade, the path is ignored', () => {
    expect(one('https://portal.example.org:8443/login?x=1')).toEqual({ host: 'portal.example.org', port: 8443, starttls: 'none' });
    expect(one('smtp://mail.example.org')).toEqual({ host: 'mail.example.org', port: 25, starttls: 'smtp' });
    expect(one('imaps://mail.example.org')).toEqual({ host: 'mail.example.org', port: 993, starttls: 'none' });
    expect(one('ldaps://dc1.example.org')).toEqual({ host: 'dc1.example.org', port: 636, starttls: 'none' });
    expect(one('submission://mail.example.org')).toMatchObject({ port: 587, starttls: 'smtp' });
    expect(one('https://[2001:db8::1]/')).toEqual({ host: '2001:db8::1', port: 443, starttls: 'none' });
    expect(() => one('gopher://old.example.org')).toThrow(/"gopher:\/\/old.example.org" is not a valid target: the scheme gopher:\/\/ is not one/);
  });

  it('reads NAME=ADDRESS: that SNI at that address', () => {
    expect(one('www.example.org=192.0.2.10')).toEqual({ host: 'www.example.org', port: 443, address: '192.0.2.10', sni: 'www.example.org' });
    expect(one('www.example.org:8443=[2001:db8::1]')).toEqual({ host: 'www.example.org', port: 8443, address: '2001:db8::1', sni: 'www.example.org' });
    expect(() => one('www.example.org=not-an-ip')).toThrow(/after "=" is not an IP address/);
    expect(() => one('192.0.2.1=192.0.2.10')).toThrow(/give the server name to send as SNI/);
  });

  it('reads CIDR blocks with an optional port, and refuses blocks larger than 65,536 addresses in one line', () => {
    const v4 = parseTargetText('10.1.2.0/30:8443');
    expect(v4.kind === 'range' && [...rangeAddresses(v4.range)]).toEqual(['10.1.2.0', '10.1.2.1', '10.1.2.2', '10.1.2.3']);
    expect(v4.kind === 'range' && v4.port).toBe(8443);
    const v6 = parseTargetText('[2001:db8::ff/126]:443');
    expect(v6.kind === 'range' && [...rangeAddresses(v6.range)]).toEqual(['2001:db8::fc', '2001:db8::fd', '2001:db8::fe', '2001:db8::ff']);
    const bare6 = parseTargetText('2001:db8::/127');
    expect(bare6.kind === 'range' && [...rangeAddresses(bare6.range)]).toEqual(['2001:db8::', '2001:db8::1']);
    expect(parseCidr('127.1.0.0/16')!.size).toBe(65536n);
    expect(() => parseTargetText('10.0.0.0/8')).toThrow(/^"10.0.0.0\/8" is not a valid target: \/8 holds 16,777,216 addresses; at most \/16 \(65,536\) is expanded/);
    expect(() => parseTargetText('2001:db8::/64')).toThrow(/at most \/112/);
    expect(() => parseTargetText('10.0.0.0/33')).toThrow(/longer than an IPv4 address/);
  });

  it('walks a range lazily: the first addresses of a /16 come without building the rest', () => {
    const range = parseCidr('127.1.0.0/16')!;
    const it = rangeAddresses(range);
    expect([it.next().value, it.next().value]).toEqual(['127.1.0.0', '127.1.0.1']);
  });

  it('writes IPv6 addresses canonically (RFC 5952)', () => {
    expect(canonicalAddress('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalAddress('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalAddress('::ffff:192.0.2.1')).toBe('::ffff:c000:201');
    expect(canonicalAddress('mail.example.org')).toBe('mail.example.org');
    fc.assert(
      fc.property(fc.ipV6(), (a) => canonicalAddress(canonicalAddress(a)) === canonicalAddress(a) && new URL(`http://[${a}]/`).hostname === `[${canonicalAddress(a)}]`),
    );
  });
});

describe('the target stream', () => {
  it('collapses duplicates, whatever their spelling, with a notice naming them', async () => {
    const { keys, stream } = await all([
      { text: 'Example.org' },
      { text: 'example.org:443' },
      { text: 'https://example.org/' },
      { text: 'example.org.' },
      { text: '[2001:db8::1]:443' },
      { text: '2001:0db8::0001' },
      { text: 'mail.example.org:25' },
      { text: 'smtp://mail.example.org' },
    ]);
    expect(keys).toHaveLength(3);
    expect(stream.duplicates).toBe(5);
    expect(stream.notices()[0]).toMatch(/^5 duplicate target\(s\) collapsed into one each: example.org:443, /);
  });

  it('keeps apart what differs: port, upgrade, SNI, address', async () => {
    const { keys } = await all([{ text: 'example.org' }, { text: 'example.org:8443' }, { text: 'example.org=192.0.2.1' }, { text: 'smtp://example.org:443' }]);
    expect(keys).toHaveLength(4);
  });

  it('excludes names, addresses and blocks of any size, as nmap --exclude does', async () => {
    const exclude = createExcluder(['10.0.0.0/8,intranet.example.org', '192.0.2.7']);
    const { keys, stream } = await all([{ text: '10.20.0.0/30' }, { text: 'Intranet.example.org' }, { text: 'www.example.org' }, { text: '192.0.2.6/31' }, { text: 'portal.example.org=10.1.1.1' }], { exclude });
    expect(keys.map((k) => k.split(' ')[0])).toEqual(['www.example.org', '192.0.2.6']);
    expect(stream.excluded).toBe(7);
    expect(() => createExcluder(['10.0.0.0/99'])).toThrow(/--exclude "10.0.0.0\/99"/);
  });

  it('names the list and line of a bad target', async () => {
    await expect(all([{ text: 'ok.example.org' }, { text: 'bad:port:x', where: 'hosts.txt:2' }])).rejects.toThrow(/^hosts.txt:2: "bad:port:x" is not a valid target/);
  });

  it('shards deterministically: the N shards partition the targets, whatever the order', async () => {
    const inputs = [{ text: '10.9.0.0/24' }, { text: 'a.example.org' }, { text: 'b.example.org:25' }, { text: '[2001:db8::/120]:443' }];
    const whole = (await all(inputs)).keys;
    const shards: string[][] = [];
    for (let k = 1; k <= 4; k++) shards.push((await all([...inputs].reverse(), { shard: { index: k, count: 4 } })).keys);
    expect(shards.flat().sort()).toEqual([...whole].sort());
    for (const s of shards) expect(s.length).toBeGreaterThan(whole.length / 8);
    fc.assert(fc.property(fc.string(), fc.integer({ min: 1, max: 16 }), (key, n) => Array.from({ length: n }, (_, i) => inShard(key, { index: i + 1, count: n })).filter(Boolean).length === 1));
  });

  it('reads --shard K/N and refuses anything else in one line', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    for (const bad of ['0/4', '5/4', '1/0', '1', 'a/b']) expect(() => parseShard(bad)).toThrow(/^--shard ".*" is not K\/N/);
  });

  it('keys a target the same however it was written', () => {
    expect(targetKey(one('MAIL.example.org.:25'))).toBe(targetKey(one('smtp://mail.example.org')));
    expect(targetKey(one('example.org=192.0.2.1'))).not.toBe(targetKey(one('example.org')));
  });
});
