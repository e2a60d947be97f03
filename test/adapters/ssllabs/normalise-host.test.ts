import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SslLabsHost } from '../../../src/adapters/ssllabs/index.js';
import { importSslLabsJson, normaliseSslLabsHost } from '../../../src/adapters/ssllabs/index.js';
import { keyExchangeEvidence } from '../../../src/adapters/ssllabs/normalise-host.js';
import { InputError } from '../../../src/errors.js';

const FIXTURES = new URL('../../../fixtures/ssllabs/', import.meta.url);
const FILES = ['defectdojo-3des-badssl-v3.json', 'defectdojo-dh1024-badssl-v3.json', 'defectdojo-ok-mevitae-v3.json'];

function load(file: string): SslLabsHost[] {
  return JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as SslLabsHost[];
}
function first(file: string): SslLabsHost {
  return structuredClone(load(file)[0] as SslLabsHost);
}

/** An independent reading of the documented protocol ids (API docs, "Protocol": 771 = TLS 1.2 = 0x0303). */
const VERSION_OF_ID: Record<number, string> = {
  2: 'SSLv2',
  768: 'SSLv3',
  769: 'TLSv1.0',
  770: 'TLSv1.1',
  771: 'TLSv1.2',
  772: 'TLSv1.3',
};
const hex4 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;

describe('normaliseSslLabsHost on the recorded responses', () => {
  for (const file of FILES) {
    it(`reads ${file} into one target per endpoint with the recorded protocols and suites`, () => {
      const raw = load(file)[0] as any;
      const observations = normaliseSslLabsHost(raw, { origin: file });
      expect(observations).toHaveLength(raw.endpoints.length);
      raw.endpoints.forEach((endpoint: any, i: number) => {
        const o = observations[i]!;
        expect(o.host).toBe(raw.host);
        expect(o.address).toBe(endpoint.ipAddress);
        expect(o.port).toBe(443);
        expect(o.error).toBeUndefined();
        expect(o.sources).toEqual(['ssllabs']);
        expect(o.runs[0]).toMatchObject({
          source: 'ssllabs',
          origin: file,
          grade: endpoint.grade,
          observedAt: new Date(raw.testTime).toISOString(),
        });
        const expected = (endpoint.details.suites as any[])
          .map((s) => ({
            version: VERSION_OF_ID[s.protocol],
            codes: s.list.map((x: any) => hex4(x.id)),
            names: s.list.map((x: any) => x.name),
          }))
          .sort((a, b) => Object.values(VERSION_OF_ID).indexOf(a.version!) - Object.values(VERSION_OF_ID).indexOf(b.version!));
        expect(o.protocols.map((p) => p.version)).toEqual(expected.map((e) => e.version));
        for (const [j, p] of o.protocols.entries()) {
          expect(p.ciphers.map((c) => c.code)).toEqual(expected[j]!.codes);
          // These recordings use IANA names throughout, so the registry's names equal SSL Labs'.
          expect(p.ciphers.map((c) => c.name)).toEqual(expected[j]!.names);
          expect(p.cipherPreference).toBe('server');
          for (const c of p.ciphers) expect(c.evidence[0]).toMatchObject({ source: 'ssllabs', origin: file });
        }
      });
    });
  }

  it('keeps q, and leaves static-RSA suites without key exchange details (3des)', () => {
    const [o] = normaliseSslLabsHost(first(FILES[0]!));
    const tls12 = o!.protocols.find((p) => p.version === 'TLSv1.2')!;
    const rsa = tls12.ciphers.find((c) => c.code === '0x000A')!;
    expect(rsa.name).toBe('TLS_RSA_WITH_3DES_EDE_CBC_SHA');
    expect(rsa.evidence[0]!.q).toBe(1);
    expect(rsa.evidence[0]).not.toHaveProperty('kexInfo');
    expect(rsa.evidence[0]).not.toHaveProperty('kexBits');
    const ecdhe = tls12.ciphers.find((c) => c.code === '0xC012')!;
    expect(ecdhe.evidence[0]).toMatchObject({ group: 'secp256r1', kexBits: 256, q: 1 });
    expect(ecdhe.evidence[0]!.kexInfo).toContain('ECDH secp256r1');
  });

  it('reads dhBits as a byte length (dh1024: dhBits 128 is a 1024-bit group)', () => {
    const [o] = normaliseSslLabsHost(first(FILES[1]!));
    for (const p of o!.protocols) {
      for (const c of p.ciphers) {
        expect(c.evidence[0]!.kexBits).toBe(1024);
        expect(c.evidence[0]!.kexInfo).toMatch(/^DH 1024 bits/);
      }
    }
    expect(keyExchangeEvidence({ kxType: 'DH', kxStrength: 2048, dhBits: 256 }).kexBits).toBe(2048);
  });

  it('reads TLS 1.3 (protocol 772, suites 0x1301-0x1303) and suites without q (mevitae)', () => {
    const [o] = normaliseSslLabsHost(first(FILES[2]!));
    const tls13 = o!.protocols.find((p) => p.version === 'TLSv1.3')!;
    expect(tls13.ciphers.map((c) => c.code).sort()).toEqual(['0x1301', '0x1302', '0x1303']);
    for (const p of o!.protocols) for (const c of p.ciphers) expect(c.evidence[0]).not.toHaveProperty('q');
    expect(tls13.ciphers[0]!.evidence[0]).toMatchObject({ group: 'x25519', kexBits: 256 });
    expect(o!.runs[0]!.grade).toBe('A+');
    expect(o!.certificate).toMatchObject({ subject: 'CN=skf.mevitae.com', keyType: 'RSA', keyBits: 2048 });
  });

  it('reads noSniSuites as one object and keeps it out of the judged protocols', () => {
    const host = first(FILES[0]!);
    const noSni = host.endpoints![0]!.details!.noSniSuites as any;
    expect(Array.isArray(noSni)).toBe(false);
    const [o] = normaliseSslLabsHost(host);
    const note = o!.runs[0]!.notes!.find((n) => n.startsWith('Without SNI'))!;
    expect(note).toContain('TLSv1.0');
    expect(note).toContain('0xC013 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA');
    const judged = o!.protocols.flatMap((p) => p.ciphers.map((c) => c.code));
    expect(judged).not.toContain('0xC013');
  });
});

describe('normaliseSslLabsHost on the documented odd cases', () => {
  it('turns a host with status ERROR into one error target carrying SSL Labs message', () => {
    const o = normaliseSslLabsHost({ host: 'nx.example', port: 443, status: 'ERROR', statusMessage: 'Unable to resolve domain name', startTime: 1634250367958 });
    expect(o).toHaveLength(1);
    expect(o[0]).toMatchObject({ host: 'nx.example', port: 443, error: 'Unable to resolve domain name', protocols: [] });
    expect(o[0]!.runs[0]!.error).toBe('Unable to resolve domain name');
  });

  it('turns a READY endpoint that is not "Ready" into an error target; the other endpoints stand', () => {
    const host = first(FILES[2]!);
    host.endpoints!.push({ ipAddress: '2001:db8::1', statusMessage: 'Unable to connect to the server', progress: 100 });
    const o = normaliseSslLabsHost(host, { host: 'DefectDojo.mevitae.com' });
    expect(o).toHaveLength(2);
    expect(o[0]!.error).toBeUndefined();
    expect(o[0]!.host).toBe('DefectDojo.mevitae.com');
    expect(o[1]).toMatchObject({ address: '2001:db8::1', error: 'Unable to connect to the server', protocols: [] });
  });

  it('keeps the IANA name of a code whose SSL Labs name differs, and notes it', () => {
    const host = first(FILES[2]!);
    const list = (host.endpoints![0]!.details!.suites as any[])[0].list;
    list[0].name = 'TLS_SOMETHING_ELSE';
    const [o] = normaliseSslLabsHost(host);
    const c = o!.protocols.find((p) => p.version === 'TLSv1.2')!.ciphers[0]!;
    expect(c.name).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(c.evidence[0]!.sourceName).toBe('TLS_SOMETHING_ELSE');
    expect(o!.runs[0]!.notes!.join('\n')).toContain('"TLS_SOMETHING_ELSE"');
  });

  it('accepts SSL_ spellings without a note, and maps SSLv2 cipher specs and protocol id 2', () => {
    const host: SslLabsHost = {
      host: 'old.example',
      status: 'READY',
      testTime: 1000,
      endpoints: [
        {
          ipAddress: '192.0.2.1',
          statusMessage: 'Ready',
          grade: 'F',
          details: {
            protocols: [{ id: 2, name: 'SSL', version: '2.0', q: 0 }, { id: 768, name: 'SSL', version: '3.0', q: 0 }],
            suites: [
              { protocol: 2, list: [{ id: 0x010080, name: 'SSL_CK_RC4_128_WITH_MD5', q: 0 }], preference: null },
              { protocol: 768, list: [{ id: 4, name: 'SSL_RSA_WITH_RC4_128_MD5', q: 0 }] },
            ],
          },
        },
      ],
    };
    const [o] = normaliseSslLabsHost(host);
    expect(o!.port).toBe(443);
    expect(o!.protocols.map((p) => p.version)).toEqual(['SSLv2', 'SSLv3']);
    expect(o!.protocols[0]!.ciphers[0]).toMatchObject({ code: '0x010080', name: 'SSL_CK_RC4_128_WITH_MD5' });
    const as512 = structuredClone(host);
    (as512.endpoints![0]!.details!.suites as any[])[0].protocol = 512;
    as512.endpoints![0]!.details!.protocols![0]!.id = 512;
    expect(normaliseSslLabsHost(as512)[0]!.protocols.map((p) => p.version)).toEqual(['SSLv2', 'SSLv3']);
    expect(o!.protocols[0]!.cipherPreference).toBe('indeterminate');
    expect(o!.protocols[0]!.warnings).toContain('SSL Labs marks this protocol insecure.');
    expect(o!.protocols[1]!.ciphers[0]).toMatchObject({ code: '0x0004', name: 'TLS_RSA_WITH_RC4_128_MD5' });
    expect(o!.protocols[1]!.ciphers[0]!.evidence[0]!.sourceName).toBe('SSL_RSA_WITH_RC4_128_MD5');
    expect((o!.runs[0]!.notes ?? []).join('\n')).not.toContain('IANA registry names it');
  });

  it('does not judge a Ready endpoint that came without details', () => {
    const host = first(FILES[2]!);
    delete host.endpoints![0]!.details;
    const [o] = normaliseSslLabsHost(host);
    expect(o!.error).toMatch(/no endpoint details/);
    expect(o!.runs[0]!.grade).toBe('A+');
  });

  it('reports a host that had not finished instead of inventing results', () => {
    const [o] = normaliseSslLabsHost({ host: 'slow.example', status: 'IN_PROGRESS', endpoints: [] });
    expect(o!.error).toMatch(/had not finished \(status IN_PROGRESS\)/);
  });
});

describe('importSslLabsJson', () => {
  it('reads an ssllabs-scan array and a single Host object alike', () => {
    const text = readFileSync(new URL(FILES[1]!, FIXTURES), 'utf8');
    const fromArray = importSslLabsJson(text, 'dh1024.json');
    const single = JSON.stringify((JSON.parse(text) as unknown[])[0]);
    const fromObject = importSslLabsJson(single, 'dh1024.json');
    expect(fromArray).toEqual(fromObject);
    expect(fromArray[0]!.runs[0]!.origin).toBe('dh1024.json');
    expect(fromArray[0]!.host).toBe('dh1024.badssl.com');
  });

  it('names the file when it is not JSON or not SSL Labs output', () => {
    expect(() => importSslLabsJson('{"host":', 'broken.json')).toThrow(InputError);
    expect(() => importSslLabsJson('{"host":', 'broken.json')).toThrow(/broken\.json is not JSON/);
    expect(() => importSslLabsJson('[{"foo":1}]', 'other.json')).toThrow(/element 0 of other\.json is not an SSL Labs Host/);
    expect(() => importSslLabsJson('[]', 'empty.json')).toThrow(/empty\.json/);
  });
});

describe('normaliseSslLabsHost on damaged responses', () => {
  // A proxy's or a hand-edited file's JSON may hold nulls where objects belong: the endpoint is judged
  // on what is there, and nothing escapes as an exception.
  const ok = { ipAddress: '192.0.2.1', statusMessage: 'Ready' };
  const tls12 = { protocol: 771, list: [null, { id: 0xc02f, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }] };
  const cases: Record<string, unknown> = {
    'a null endpoint': { host: 'a.test', status: 'READY', endpoints: [null, { ...ok, details: { protocols: [{ id: 771 }], suites: [tls12] } }] },
    'null endpoint details': { host: 'a.test', status: 'READY', endpoints: [{ ...ok, details: null }] },
    'a null protocol': { host: 'a.test', status: 'READY', endpoints: [{ ...ok, details: { protocols: [null, { id: 771 }], suites: [tls12] } }] },
    'a null suite': { host: 'a.test', status: 'READY', endpoints: [{ ...ok, details: { protocols: [{ id: 771 }], suites: [tls12] } }] },
    'a null noSni suite': { host: 'a.test', status: 'READY', endpoints: [{ ...ok, details: { suites: [tls12], noSniSuites: { protocol: 771, list: [null] } } }] },
    'a suite whose name and group name are not text': {
      host: 'a.test',
      status: 'READY',
      endpoints: [{ ...ok, details: { suites: [{ protocol: 771, list: [{ id: 0xc02f, name: 5, namedGroupName: 7, kxType: 1 }, { id: -5 }, { id: 1.5 }, { id: 1e20 }] }] } }],
    },
    'a status message that is not text': { host: 'a.test', status: 'READY', endpoints: [{ ipAddress: '192.0.2.1', statusMessage: 5 }] },
    'times out of Date range': {
      host: 'a.test',
      status: 'READY',
      startTime: 1e20,
      testTime: -1e300,
      certs: [{ id: 'x', notBefore: 1e20, notAfter: 9e15 }],
      endpoints: [{ ...ok, details: { suites: [tls12], certChains: [{ certIds: ['x'] }] } }],
    },
    'a null chain and cert': {
      host: 'a.test',
      status: 'READY',
      certs: [null],
      endpoints: [{ ...ok, details: { suites: [tls12], certChains: [null, { certIds: ['x'] }] } }],
    },
  };
  for (const [name, host] of Object.entries(cases)) {
    it(`reads ${name} without throwing`, () => {
      const observations = importSslLabsJson(JSON.stringify(host), 'damaged.json');
      expect(observations.length).toBeGreaterThan(0);
      for (const o of observations) if (o.error !== undefined) expect(typeof o.error).toBe('string');
      const judged = observations.filter((o) => o.error === undefined);
      for (const o of judged) expect(o.protocols.flatMap((p) => p.ciphers.map((c) => c.code))).toEqual(['0xC02F']);
    });
  }
});
