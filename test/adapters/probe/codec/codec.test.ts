import { describeNonTls } from '../../../../src/adapters/probe/codec/non-tls.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HELLO_RETRY_REQUEST_RANDOM,
  MAX_RECORD_LENGTH,
  ServerFlightReader,
  bitLength,
  buildAlert,
  buildCertificateList,
  buildClientHello,
  buildClientHelloBody,
  buildHandshakeMessage,
  buildRecord,
  buildServerHello,
  parseAlert,
  parseCertificateList,
  parseClientHello,
  parseHandshakeMessage,
  parseRecord,
  parseServerHello,
  parseServerKeyExchange,
  type KeyExchangeFamily,
} from '../../../../src/adapters/probe/codec/index.js';

const bytes = fc.uint8Array({ maxLength: 600 });
const families: KeyExchangeFamily[] = ['dhe', 'ecdhe', 'rsa-export', 'dhe-psk', 'ecdhe-psk'];

describe('codec parsers never throw on hostile input', () => {
  it('records, handshake messages, hellos, alerts, key exchanges, certificates', () => {
    fc.assert(
      fc.property(bytes, fc.nat(40), (buf, off) => {
        const offset = Math.min(off, buf.length);
        for (const r of [parseRecord(buf, offset), parseHandshakeMessage(buf, offset), parseServerHello(buf), parseClientHello(buf), parseAlert(buf), parseCertificateList(buf)]) {
          expect(['ok', 'need-more', 'error']).toContain(r.kind);
          if (r.kind === 'ok') expect(r.offset).toBeLessThanOrEqual(buf.length);
          if (r.kind === 'need-more') expect(r.needMore).toBeGreaterThan(0);
        }
        for (const f of families) expect(['ok', 'error']).toContain(parseServerKeyExchange(buf, f).kind);
      }),
      { numRuns: 3000 },
    );
  });

  it('the flight reader ends with an outcome or waits, whatever the bytes and however they are split', () => {
    fc.assert(
      fc.property(fc.array(bytes, { maxLength: 6 }), (chunks) => {
        const reader = new ServerFlightReader();
        for (const c of chunks) {
          const o = reader.push(c);
          if (o) expect(['server-hello', 'alert', 'error']).toContain(o.kind);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a record header announcing more than 2^14+2048 bytes without waiting for them', () => {
    const r = parseRecord(Uint8Array.of(22, 3, 3, 0xff, 0xff));
    expect(r.kind).toBe('error');
    if (r.kind === 'error') expect(r.error.code).toBe('record-overflow');
    const fine = parseRecord(Uint8Array.of(22, 3, 3, (MAX_RECORD_LENGTH >> 8) & 0xff, MAX_RECORD_LENGTH & 0xff));
    expect(fine.kind).toBe('need-more');
  });

  it('names HTTP when the server speaks it', () => {
    const r = parseRecord(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
    expect(r.kind === 'error' && r.error.code === 'not-tls' && r.error.message.includes('HTTP')).toBe(true);
  });
});

describe('round trips', () => {
  const u16 = fc.integer({ min: 0, max: 0xffff });
  it('ClientHello: build then parse gives back what was offered', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x0300, 0x0301, 0x0302, 0x0303, 0x0304),
        fc.array(u16, { minLength: 1, maxLength: 300 }),
        fc.option(fc.stringMatching(/^[a-z0-9]{1,20}(\.[a-z0-9]{1,20}){0,3}$/), { nil: undefined }),
        fc.array(u16, { maxLength: 40 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (version, suites, serverName, groups, random) => {
          const suitesNoScsv = suites.filter((s) => s !== 0x00ff);
          const body = buildClientHelloBody({ version, cipherSuites: suitesNoScsv, random, serverName, groups, signatureSchemes: [0x0403, 0x0804], keyShares: [{ group: 29, key: new Uint8Array(32).fill(7) }] });
          const parsed = parseClientHello(body);
          expect(parsed.kind).toBe('ok');
          if (parsed.kind !== 'ok') return;
          const h = parsed.value;
          expect(h.legacyVersion).toBe(Math.min(version, 0x0303));
          expect([...h.random]).toEqual([...random]);
          if (version === 0x0300) {
            expect(h.cipherSuites).toEqual([...suitesNoScsv, 0x00ff]);
            expect(h.extensions).toEqual([]);
          } else {
            expect(h.cipherSuites).toEqual(suitesNoScsv);
            expect(h.serverName).toBe(serverName);
            expect(h.groups).toEqual(groups.length > 0 ? groups : undefined);
            expect(h.supportedVersions).toEqual(version === 0x0304 ? [0x0304] : undefined);
            const len = body.length + 4;
            expect(len < 256 || len >= 512).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('ServerHello and HelloRetryRequest: build then parse', () => {
    fc.assert(
      fc.property(u16, u16, fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.boolean(), fc.option(u16, { nil: undefined }), (legacy, suite, random, hrr, selected) => {
        const extensions = selected === undefined ? [] : [{ type: 43, data: Uint8Array.of(selected >> 8, selected & 0xff) }, { type: 51, data: Uint8Array.of(0, 29) }];
        const body = buildServerHello({ legacyVersion: legacy, random: hrr ? HELLO_RETRY_REQUEST_RANDOM : random, cipherSuite: suite, extensions });
        const p = parseServerHello(body);
        expect(p.kind).toBe('ok');
        if (p.kind !== 'ok') return;
        expect(p.value.cipherSuite).toBe(suite);
        expect(p.value.version).toBe(selected ?? legacy);
        expect(p.value.helloRetryRequest).toBe(hrr || [...random].join() === [...HELLO_RETRY_REQUEST_RANDOM].join());
        expect(p.value.keyShareGroup).toBe(selected === undefined ? undefined : 29);
      }),
    );
  });

  it('records split and rejoin; certificate lists and alerts survive', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40000 }), fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 4 }), (payload, certs) => {
        const wire = buildRecord(22, 0x0303, payload);
        const parts: number[] = [];
        let at = 0;
        for (;;) {
          const r = parseRecord(wire, at);
          if (r.kind !== 'ok') break;
          expect(r.value.fragment.length).toBeLessThanOrEqual(2 ** 14);
          parts.push(...r.value.fragment);
          at = r.offset;
        }
        expect(at).toBe(wire.length);
        expect(parts.length).toBe(payload.length);
        const list = parseCertificateList(buildCertificateList(certs));
        expect(list.kind === 'ok' && list.value.map((c) => c.length)).toEqual(certs.map((c) => c.length));
      }),
      { numRuns: 50 },
    );
    const a = parseAlert(buildAlert(2, 40));
    expect(a.kind === 'ok' && a.value.name).toBe('handshake_failure');
  });

  it('the flight reader gives the same outcome however the bytes are split', () => {
    const sh = buildHandshakeMessage(2, buildServerHello({ legacyVersion: 0x0303, random: new Uint8Array(32).fill(1), cipherSuite: 0xc02f }));
    const cert = buildHandshakeMessage(11, buildCertificateList([new Uint8Array(900).fill(3)]));
    const ske = buildHandshakeMessage(12, Uint8Array.of(3, 0, 23, 1, 4, 9, 9));
    const wire = Buffer.concat([buildRecord(22, 0x0303, Buffer.concat([sh, cert])), buildRecord(22, 0x0303, ske)]);
    fc.assert(
      fc.property(fc.array(fc.nat(wire.length), { maxLength: 8 }), (cuts) => {
        const points = [...new Set([0, ...cuts, wire.length])].sort((x, y) => x - y);
        const reader = new ServerFlightReader();
        let outcome;
        for (let i = 1; i < points.length; i++) outcome = reader.push(wire.subarray(points[i - 1], points[i])) ?? outcome;
        expect(outcome?.kind).toBe('server-hello');
        if (outcome?.kind !== 'server-hello') return;
        expect(outcome.serverHello.cipherSuite).toBe(0xc02f);
        expect(outcome.certificates?.[0]?.length).toBe(900);
        const p = parseServerKeyExchange(outcome.serverKeyExchange!, 'ecdhe');
        expect(p.kind === 'ok' && p.value).toEqual({ kind: 'ecdh-named', group: 23 });
      }),
    );
  });
});

describe('bitLength', () => {
  it('counts bits of a big-endian integer', () => {
    expect(bitLength(Uint8Array.of(0, 0x80, 0))).toBe(16);
    expect(bitLength(Uint8Array.of(0, 0))).toBe(0);
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: 2n ** 300n }), (n) => {
      const h = n.toString(16);
      expect(bitLength(Buffer.from(h.length % 2 ? `0${h}` : h, 'hex'))).toBe(n.toString(2).length);
    }));
  });
  it('ClientHello record uses 0x0300 for SSLv3 and 0x0301 otherwise', () => {
    const r = (v: number) => buildClientHello({ version: v, cipherSuites: [0x002f], random: new Uint8Array(32) });
    expect([...r(0x0300).subarray(1, 3)]).toEqual([3, 0]);
    expect([...r(0x0304).subarray(1, 3)]).toEqual([3, 1]);
  });
});

describe('describeNonTls', () => {
  it("names RDP from the X.224 answer a bare hello gets (xrdp 0.9.21's bytes), and leaves other binary answers unnamed", () => {
    // TPKT 03 00 00 09, X.224 Data TPDU (LI 2, 0xF0, EOT), then an MCS Disconnect Provider Ultimatum.
    const xrdp = Uint8Array.from([0x03, 0x00, 0x00, 0x09, 0x02, 0xf0, 0x80, 0x21, 0x80]);
    expect(describeNonTls(xrdp)).toBe('the server answered in RDP (an X.224 Data packet), not TLS: try --starttls rdp');
    // A TPKT whose length cannot hold its TPDU is not taken for RDP.
    expect(describeNonTls(Uint8Array.from([0x03, 0x00, 0x00, 0x05, 0x09, 0xf0, 0x80]))).toBe('the server answered with bytes that are not a TLS record (0300000509f080)');
  });
});
