import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CIPHER_SUITES,
  decomposeSuiteName,
  findSuite,
  formatCode,
  parseSuiteCode,
  suiteByCode,
  suiteByName,
  type CipherSuite,
} from '../../src/registry/index.js';

const pick = (s: CipherSuite | undefined) =>
  s && {
    keyExchange: s.keyExchange,
    authentication: s.authentication,
    cipher: s.cipher,
    cipherBits: s.cipherBits,
    mode: s.mode,
    aead: s.aead,
    hash: s.hash,
  };

describe('suite decomposition', () => {
  it('0xC02F is ECDHE/RSA/AES-128-GCM/SHA256, AEAD, recommended', () => {
    const s = suiteByCode(0xc02f);
    expect(s?.name).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(pick(s)).toEqual({ keyExchange: 'ECDHE', authentication: 'RSA', cipher: 'AES', cipherBits: 128, mode: 'GCM', aead: true, hash: 'SHA256' });
    expect(s).toMatchObject({ tls13: false, export: false, anonymous: false, nullCipher: false, scsv: false, recommended: 'Y', openssl: 'ECDHE-RSA-AES128-GCM-SHA256' });
  });

  it('0x002F has plain RSA key exchange and a CBC/SHA-1 record layer', () => {
    expect(pick(suiteByCode(0x002f))).toEqual({ keyExchange: 'RSA', authentication: 'RSA', cipher: 'AES', cipherBits: 128, mode: 'CBC', aead: false, hash: 'SHA' });
    expect(suiteByCode(0x002f)?.openssl).toBe('AES128-SHA');
  });

  it('TLS 1.3 suites have no key exchange or authentication of their own', () => {
    for (const code of [0x1301, 0x1302, 0x1303, 0x1304, 0x1305]) {
      expect(suiteByCode(code)).toMatchObject({ tls13: true, keyExchange: 'TLS13', authentication: 'TLS13', aead: true });
    }
    expect(pick(suiteByCode(0x1303))).toEqual({ keyExchange: 'TLS13', authentication: 'TLS13', cipher: 'CHACHA20', cipherBits: 256, mode: 'POLY1305', aead: true, hash: 'SHA256' });
    expect(suiteByCode(0x1305)?.mode).toBe('CCM_8');
    // RFC 8998 and RFC 9150 suites outside 0x13xx are TLS 1.3-only too.
    expect(suiteByCode(0x00c6)).toMatchObject({ tls13: true, cipher: 'SM4', mode: 'GCM', hash: 'SM3' });
    expect(suiteByCode(0xc0b4)).toMatchObject({ tls13: true, nullCipher: true, hash: 'SHA256', name: 'TLS_SHA256_SHA256' });
    expect(CIPHER_SUITES.filter((s) => s.tls13 && s.iana).every((s) => !s.name.includes('_WITH_') || s.mode?.startsWith('MGM'))).toBe(true);
    expect(CIPHER_SUITES.filter((s) => !s.tls13).every((s) => s.name.includes('_WITH_') || s.scsv)).toBe(true);
  });

  it('flags export, anonymous and NULL suites', () => {
    expect(suiteByCode(0x0003)).toMatchObject({ name: 'TLS_RSA_EXPORT_WITH_RC4_40_MD5', export: true, cipher: 'RC4', cipherBits: 40, mode: 'stream', hash: 'MD5' });
    expect(suiteByCode(0x0018)).toMatchObject({ name: 'TLS_DH_anon_WITH_RC4_128_MD5', anonymous: true, keyExchange: 'DH', authentication: 'anon' });
    expect(suiteByCode(0xc018)).toMatchObject({ anonymous: true, keyExchange: 'ECDH' });
    expect(suiteByCode(0x0001)).toMatchObject({ name: 'TLS_RSA_WITH_NULL_MD5', nullCipher: true, cipher: 'NULL', cipherBits: 0, aead: false });
    expect(suiteByCode(0x0001)?.mode).toBeUndefined();
    expect(suiteByCode(0x0000)).toMatchObject({ keyExchange: 'NULL', anonymous: true, nullCipher: true, hash: 'NULL' });
    expect(suiteByCode(0x0060)).toMatchObject({ export: true, iana: false, cipherBits: 56 });
  });

  it('covers the other families', () => {
    expect(suiteByCode(0x000a)).toMatchObject({ cipher: '3DES_EDE', cipherBits: 112, mode: 'CBC' });
    expect(suiteByCode(0xc0ac)).toMatchObject({ name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM', mode: 'CCM', aead: true, hash: 'SHA256' });
    expect(suiteByCode(0xc0aa)).toMatchObject({ name: 'TLS_PSK_DHE_WITH_AES_128_CCM_8', keyExchange: 'DHE_PSK', authentication: 'PSK', mode: 'CCM_8' });
    expect(suiteByCode(0x0094)).toMatchObject({ keyExchange: 'RSA_PSK', authentication: 'RSA' });
    expect(suiteByCode(0xc01a)).toMatchObject({ keyExchange: 'SRP_SHA', authentication: 'SRP' });
    expect(suiteByCode(0xc01b)).toMatchObject({ keyExchange: 'SRP_SHA_RSA', authentication: 'RSA' });
    expect(suiteByCode(0x001e)).toMatchObject({ keyExchange: 'KRB5', cipher: 'DES' });
    expect(suiteByCode(0xc0b0)).toMatchObject({ keyExchange: 'ECCPWD', cipher: 'AES', mode: 'GCM' });
    expect(suiteByCode(0xc100)).toMatchObject({ keyExchange: 'GOSTR341112_256', cipher: 'KUZNYECHIK', mode: 'CTR', tls13: false });
    expect(suiteByCode(0x0096)).toMatchObject({ cipher: 'SEED', cipherBits: 128 });
    expect(suiteByCode(0x0007)).toMatchObject({ cipher: 'IDEA' });
    expect(suiteByCode(0x0006)).toMatchObject({ cipher: 'RC2', cipherBits: 40, export: true });
    expect(suiteByCode(0x0008)).toMatchObject({ cipher: 'DES40', cipherBits: 40, export: true });
    expect(suiteByCode(0xc03c)).toMatchObject({ cipher: 'ARIA', mode: 'CBC' });
    expect(suiteByCode(0x0041)).toMatchObject({ cipher: 'CAMELLIA', mode: 'CBC', hash: 'SHA' });
  });

  it('marks the signalling values as SCSVs', () => {
    expect(suiteByCode(0x00ff)).toMatchObject({ name: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', scsv: true, nullCipher: false });
    expect(suiteByCode(0x5600)).toMatchObject({ name: 'TLS_FALLBACK_SCSV', scsv: true });
    expect(CIPHER_SUITES.filter((s) => s.scsv).map((s) => s.code)).toEqual([0x00ff, 0x5600]);
  });

  it('decomposes every suite and keeps the flags consistent', () => {
    for (const s of CIPHER_SUITES) {
      expect(decomposeSuiteName(s.name), s.name).toBeDefined();
      expect(s.hex).toBe(formatCode(s.code));
      expect(s.nullCipher, s.name).toBe(s.cipher === 'NULL');
      expect(s.anonymous, s.name).toBe(s.authentication === 'anon' || s.keyExchange === 'NULL');
      if (s.aead) expect(s.mode === undefined || /GCM|CCM|POLY1305|MGM/.test(s.mode), s.name).toBe(true);
      if (!s.nullCipher && !s.scsv) expect(s.cipherBits, s.name).toBeGreaterThanOrEqual(40);
    }
    expect(decomposeSuiteName('TLS_FOO_WITH_BAR_SHA')).toBeUndefined();
    expect(decomposeSuiteName('ECDHE-RSA-AES128-GCM-SHA256')).toBeUndefined();
  });
});

describe('suiteByCode / parseSuiteCode / formatCode', () => {
  it('accepts every usual spelling of a code', () => {
    for (const c of [0xc02f, '0xC02F', '0xc02f', 'C02F', '0xC0,0x2F', '0xc0, 0x2f', '{0xC0,0x2F}', ' 0xC02F ']) {
      expect(suiteByCode(c)?.code, String(c)).toBe(0xc02f);
    }
    expect(suiteByCode('0x5D')).toBeUndefined();
    expect(suiteByCode('nonsense')).toBeUndefined();
    expect(suiteByCode(0x10000)).toBeUndefined();
    expect(suiteByCode(-1)).toBeUndefined();
    expect(formatCode(0x2f)).toBe('0x002F');
  });

  it('round-trips every 16-bit code through both text forms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (n) => {
        const pair = `0x${(n >> 8).toString(16).padStart(2, '0')},0x${(n & 0xff).toString(16).padStart(2, '0')}`;
        return parseSuiteCode(formatCode(n)) === n && parseSuiteCode(pair) === n && parseSuiteCode(formatCode(n).toLowerCase()) === n;
      }),
    );
  });
});

describe('suiteByName', () => {
  it('resolves IANA, OpenSSL, nmap TLS 1.3 and SSL_-prefixed names, case-insensitively', () => {
    expect(suiteByName('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')?.code).toBe(0xc02f);
    expect(suiteByName('tls_ecdhe_rsa_with_aes_128_gcm_sha256')?.code).toBe(0xc02f);
    expect(suiteByName('ECDHE-RSA-AES128-GCM-SHA256')?.code).toBe(0xc02f);
    expect(suiteByName('TLS_AKE_WITH_AES_128_GCM_SHA256')?.code).toBe(0x1301);
    expect(suiteByName('TLS_AKE_WITH_CHACHA20_POLY1305_SHA256')?.code).toBe(0x1303);
    expect(suiteByName('TLS_AKE_WITH_NULL_SHA384')?.code).toBe(0xc0b5);
    expect(suiteByName('SSL_RSA_WITH_RC4_128_MD5')?.code).toBe(0x0004);
    expect(suiteByName('SSL_DH_anon_WITH_3DES_EDE_CBC_SHA')?.code).toBe(0x001b);
    expect(suiteByName('TLS_DH_anon_WITH_AES_128_CBC_SHA')?.code).toBe(0x0034);
    expect(suiteByName('ADH-AES128-SHA')?.code).toBe(0x0034);
  });

  it('prefers the IANA assignment over a pre-standard one with the same name stem', () => {
    expect(suiteByName('TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256')?.code).toBe(0xcca8);
    expect(suiteByName('TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256-draft')?.code).toBe(0xcc13);
    expect(suiteByName('TLS_KRB5_WITH_DES_CBC_SHA-or-SSL_FORTEZZA_KEA_WITH_RC4_128_SHA')?.code).toBe(0x001e);
    expect(suiteByCode(0x001e)?.iana).toBe(true);
  });

  it('returns undefined for unknown names', () => {
    expect(suiteByName('TLS_NOPE_WITH_NOTHING_SHA')).toBeUndefined();
    expect(suiteByName('TLS_AKE_WITH_NOTHING')).toBeUndefined();
    expect(suiteByName('')).toBeUndefined();
  });

  it('never lets two different suites share a name, OpenSSL name or alias', () => {
    const owner = new Map<string, number>();
    for (const s of CIPHER_SUITES) {
      for (const n of new Set([s.name, s.openssl, ...(s.aliases ?? [])].filter((x): x is string => x !== undefined).map((x) => x.toUpperCase()))) {
        expect(owner.get(n) ?? s.code, n).toBe(s.code);
        owner.set(n, s.code);
      }
    }
  });

  it('findSuite takes either a code or a name', () => {
    expect(findSuite(0xc02f)?.code).toBe(0xc02f);
    expect(findSuite('0xC02F')?.code).toBe(0xc02f);
    expect(findSuite('ECDHE-RSA-AES128-GCM-SHA256')?.code).toBe(0xc02f);
    expect(findSuite('AES128-SHA')?.code).toBe(0x002f);
  });
});
