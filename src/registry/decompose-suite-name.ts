import type { SuiteDecomposition } from './cipher-suite.js';

/**
 * Key exchange part of `TLS_<KX>_WITH_<CIPHER>_<HASH>` → [keyExchange, authentication].
 * RSA_PSK authenticates the server with an RSA certificate (RFC 4279 §4), so its
 * authentication is RSA; the other PSK families authenticate with the PSK alone.
 */
const KEY_EXCHANGES: Readonly<Record<string, readonly [string, string]>> = {
  NULL: ['NULL', 'NULL'],
  RSA: ['RSA', 'RSA'],
  RSA_FIPS: ['RSA', 'RSA'],
  DH_DSS: ['DH', 'DSS'],
  DH_RSA: ['DH', 'RSA'],
  DHE_DSS: ['DHE', 'DSS'],
  DHE_RSA: ['DHE', 'RSA'],
  DH_anon: ['DH', 'anon'],
  ECDH_ECDSA: ['ECDH', 'ECDSA'],
  ECDH_RSA: ['ECDH', 'RSA'],
  ECDH_ECNRA: ['ECDH', 'ECNRA'],
  ECDHE_ECDSA: ['ECDHE', 'ECDSA'],
  ECDHE_RSA: ['ECDHE', 'RSA'],
  ECDH_anon: ['ECDH', 'anon'],
  ECMQV_ECDSA: ['ECMQV', 'ECDSA'],
  ECMQV_ECNRA: ['ECMQV', 'ECNRA'],
  PSK: ['PSK', 'PSK'],
  DHE_PSK: ['DHE_PSK', 'PSK'],
  // RFC 6655 §3 spells two DHE_PSK CCM_8 suites the other way round.
  PSK_DHE: ['DHE_PSK', 'PSK'],
  RSA_PSK: ['RSA_PSK', 'RSA'],
  ECDHE_PSK: ['ECDHE_PSK', 'PSK'],
  SRP_SHA: ['SRP_SHA', 'SRP'],
  SRP_SHA_RSA: ['SRP_SHA_RSA', 'RSA'],
  SRP_SHA_DSS: ['SRP_SHA_DSS', 'DSS'],
  KRB5: ['KRB5', 'KRB5'],
  ECCPWD: ['ECCPWD', 'ECCPWD'],
  GOSTR341112_256: ['GOSTR341112_256', 'GOSTR341012'],
  GOSTR341094: ['GOSTR341094', 'GOSTR341094'],
  GOSTR341001: ['GOSTR341001', 'GOSTR341001'],
  FORTEZZA_KEA: ['FORTEZZA_KEA', 'FORTEZZA'],
};

interface BulkSpec {
  readonly cipher: string;
  readonly bits: number;
  readonly mode?: string;
  readonly aead: boolean;
  /** PRF hash when the name has no trailing hash (RFC 6655 §3: CCM suites use SHA-256). */
  readonly impliedHash?: string;
}

const spec = (cipher: string, bits: number, mode: string | undefined, aead = false, impliedHash?: string): BulkSpec => ({
  cipher,
  bits,
  ...(mode === undefined ? {} : { mode }),
  aead,
  ...(impliedHash === undefined ? {} : { impliedHash }),
});

/** Bulk cipher tokens (after WITH_, or after TLS_ for TLS 1.3 names), longest match wins. */
const BULK: Readonly<Record<string, BulkSpec>> = {
  NULL: spec('NULL', 0, undefined),
  RC4_40: spec('RC4', 40, 'stream'),
  RC4_56: spec('RC4', 56, 'stream'),
  RC4_128: spec('RC4', 128, 'stream'),
  RC2_CBC_40: spec('RC2', 40, 'CBC'),
  RC2_CBC_56: spec('RC2', 56, 'CBC'),
  DES40_CBC: spec('DES40', 40, 'CBC'),
  DES_CBC_40: spec('DES40', 40, 'CBC'),
  DES_CBC: spec('DES', 56, 'CBC'),
  '3DES_EDE_CBC': spec('3DES_EDE', 112, 'CBC'),
  IDEA_CBC: spec('IDEA', 128, 'CBC'),
  SEED_CBC: spec('SEED', 128, 'CBC'),
  // Skipjack, SSL 3.0 (RFC 6101 §A.6).
  FORTEZZA_CBC: spec('FORTEZZA', 80, 'CBC'),
  AES_128_CBC: spec('AES', 128, 'CBC'),
  AES_256_CBC: spec('AES', 256, 'CBC'),
  AES_128_GCM: spec('AES', 128, 'GCM', true),
  AES_256_GCM: spec('AES', 256, 'GCM', true),
  AES_128_CCM: spec('AES', 128, 'CCM', true, 'SHA256'),
  AES_256_CCM: spec('AES', 256, 'CCM', true, 'SHA256'),
  AES_128_CCM_8: spec('AES', 128, 'CCM_8', true, 'SHA256'),
  AES_256_CCM_8: spec('AES', 256, 'CCM_8', true, 'SHA256'),
  CAMELLIA_128_CBC: spec('CAMELLIA', 128, 'CBC'),
  CAMELLIA_256_CBC: spec('CAMELLIA', 256, 'CBC'),
  CAMELLIA_128_GCM: spec('CAMELLIA', 128, 'GCM', true),
  CAMELLIA_256_GCM: spec('CAMELLIA', 256, 'GCM', true),
  ARIA_128_CBC: spec('ARIA', 128, 'CBC'),
  ARIA_256_CBC: spec('ARIA', 256, 'CBC'),
  ARIA_128_GCM: spec('ARIA', 128, 'GCM', true),
  ARIA_256_GCM: spec('ARIA', 256, 'GCM', true),
  CHACHA20_POLY1305: spec('CHACHA20', 256, 'POLY1305', true),
  SM4_GCM: spec('SM4', 128, 'GCM', true),
  SM4_CCM: spec('SM4', 128, 'CCM', true),
  // GOST: RFC 9189 (TLS 1.2, CTR + OMAC), RFC 9367 (TLS 1.3, MGM), RFC 5830 (28147-89 CNT + IMIT).
  '28147_CNT': spec('GOST28147', 256, 'CNT'),
  KUZNYECHIK_CTR: spec('KUZNYECHIK', 256, 'CTR'),
  MAGMA_CTR: spec('MAGMA', 256, 'CTR'),
  KUZNYECHIK_MGM_L: spec('KUZNYECHIK', 256, 'MGM_L', true, 'GOSTR341112_256'),
  KUZNYECHIK_MGM_S: spec('KUZNYECHIK', 256, 'MGM_S', true, 'GOSTR341112_256'),
  MAGMA_MGM_L: spec('MAGMA', 256, 'MGM_L', true, 'GOSTR341112_256'),
  MAGMA_MGM_S: spec('MAGMA', 256, 'MGM_S', true, 'GOSTR341112_256'),
  // AEAD primitives that have no separate mode.
  AEGIS_128L: spec('AEGIS_128L', 128, undefined, true),
  AEGIS_256: spec('AEGIS_256', 256, undefined, true),
  ASCONAEAD128: spec('ASCON', 128, undefined, true),
};

const BULK_KEYS = Object.keys(BULK).sort((a, b) => b.length - a.length);

function splitBulk(rest: string): { spec: BulkSpec; hash: string } | undefined {
  for (const key of BULK_KEYS) {
    if (rest === key || rest.startsWith(`${key}_`)) {
      const bulk = BULK[key];
      if (bulk === undefined) continue;
      const hash = rest.slice(key.length + 1) || bulk.impliedHash;
      if (hash === undefined) return undefined;
      return { spec: bulk, hash };
    }
  }
  return undefined;
}

/**
 * Decomposes an IANA-style suite name. Returns undefined for names that do not follow
 * the `TLS_<KX>_WITH_<BULK>_<HASH>` (TLS ≤1.2) or `TLS_<AEAD>_<HASH>` (TLS 1.3) patterns.
 * Works on IANA spelling only; aliases are resolved by `suiteByName`.
 */
export function decomposeSuiteName(name: string): SuiteDecomposition | undefined {
  // Pre-standard code points are conventionally written with a "-draft" suffix.
  const m = /^(?:TLS|SSL)_(.+?)(?:-draft)?$/.exec(name);
  if (m === null || m[1] === undefined) return undefined;
  const body = m[1];

  if (body.endsWith('_SCSV')) {
    return {
      keyExchange: 'SCSV',
      authentication: 'SCSV',
      cipher: 'SCSV',
      cipherBits: 0,
      aead: false,
      hash: 'NULL',
      tls13: false,
      export: false,
      anonymous: false,
      nullCipher: false,
      scsv: true,
    };
  }

  const withAt = body.indexOf('_WITH_');
  if (withAt < 0) {
    // RFC 9150 integrity-only suites: TLS_SHA256_SHA256, TLS_SHA384_SHA384.
    const integrity = /^(SHA\d+)_\1$/.exec(body);
    if (integrity?.[1] !== undefined) {
      return {
        keyExchange: 'TLS13',
        authentication: 'TLS13',
        cipher: 'NULL',
        cipherBits: 0,
        aead: false,
        hash: integrity[1],
        tls13: true,
        export: false,
        anonymous: false,
        nullCipher: true,
        scsv: false,
      };
    }
    const split = splitBulk(body);
    if (split === undefined) return undefined;
    return fromParts(['TLS13', 'TLS13'], false, split.spec, split.hash, true);
  }

  let kx = body.slice(0, withAt);
  const rest = body.slice(withAt + '_WITH_'.length);
  const exp = /_EXPORT(?:1024)?$/.exec(kx);
  if (exp !== null) kx = kx.slice(0, exp.index);
  const pair = KEY_EXCHANGES[kx];
  const split = splitBulk(rest);
  if (pair === undefined || split === undefined) return undefined;
  // RFC 9367 defines the MGM suites for TLS 1.3 only, despite their TLS 1.2-style names.
  const tls13 = split.spec.mode?.startsWith('MGM') === true;
  return fromParts(tls13 ? ['TLS13', 'TLS13'] : pair, exp !== null, split.spec, split.hash, tls13);
}

function fromParts(
  [keyExchange, authentication]: readonly [string, string],
  isExport: boolean,
  bulk: BulkSpec,
  hash: string,
  tls13: boolean,
): SuiteDecomposition {
  return {
    keyExchange,
    authentication,
    cipher: bulk.cipher,
    cipherBits: bulk.bits,
    ...(bulk.mode === undefined ? {} : { mode: bulk.mode }),
    aead: bulk.aead,
    hash,
    tls13,
    export: isExport,
    anonymous: authentication === 'anon' || authentication === 'NULL',
    nullCipher: bulk.cipher === 'NULL',
    scsv: false,
  };
}
