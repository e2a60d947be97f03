/** IANA "Recommended" column: Y, N, D (discouraged, RFC 8447bis) or empty (not yet evaluated). */
export type Recommended = 'Y' | 'N' | 'D' | '';

/**
 * One TLS cipher suite code point with the decomposition of its name.
 *
 * TLS 1.3 suites (RFC 8446 §B.4) name only the AEAD and the HKDF hash, so their
 * `keyExchange` and `authentication` are `'TLS13'`: both are negotiated separately.
 */
export interface CipherSuite {
  /** Two-byte code point, e.g. 0xC02F. */
  readonly code: number;
  /** `formatCode(code)`, e.g. "0xC02F". */
  readonly hex: string;
  /** IANA name (or, for `iana: false` entries, the name in the cited source). */
  readonly name: string;
  /** 'RSA', 'DH', 'DHE', 'ECDH', 'ECDHE', 'PSK', 'DHE_PSK', 'RSA_PSK', 'ECDHE_PSK', 'SRP_SHA', 'KRB5', 'ECCPWD', 'NULL', 'TLS13', ... */
  readonly keyExchange: string;
  /** 'RSA', 'DSS', 'ECDSA', 'anon', 'PSK', 'SRP', 'KRB5', 'ECCPWD', 'NULL', 'TLS13', ... */
  readonly authentication: string;
  /** Bulk cipher: 'AES', 'CHACHA20', '3DES_EDE', 'RC4', 'DES', 'DES40', 'CAMELLIA', 'ARIA', 'SEED', 'IDEA', 'RC2', 'SM4', 'NULL', ... */
  readonly cipher: string;
  /**
   * Key bits of the bulk cipher; 0 for NULL. 3DES counts 112 (its effective strength,
   * NIST SP 800-57 Part 1 Table 2, and what SSL Labs reports), not its 168 nominal key bits.
   */
  readonly cipherBits: number;
  /**
   * 'GCM', 'CBC', 'CCM', 'CCM_8', 'POLY1305', 'stream' (RC4), 'CTR'/'CNT'/'MGM_L'/'MGM_S' (GOST);
   * absent for NULL ciphers and for AEAD primitives that have no separate mode (AEGIS, Ascon).
   */
  readonly mode?: string;
  readonly aead: boolean;
  /**
   * Trailing MAC/PRF hash of the name: 'MD5', 'SHA' (SHA-1), 'SHA256', 'SHA384', 'SHA512', 'SM3',
   * 'NULL', GOST's 'OMAC'/'IMIT'/'GOSTR341112_256', 'ASCONHASH256'; CCM names without one: 'SHA256'.
   */
  readonly hash: string;
  /** Suite usable only with TLS 1.3 (and only suites usable there). */
  readonly tls13: boolean;
  /** Export-grade (40/56-bit key or 512/1024-bit key exchange limit). */
  readonly export: boolean;
  /** No server authentication (anon key exchange). */
  readonly anonymous: boolean;
  /** No encryption (NULL bulk cipher). */
  readonly nullCipher: boolean;
  /** Signalling value, not a real suite (RFC 5746 §3.3, RFC 7507). */
  readonly scsv: boolean;
  readonly recommended: Recommended;
  readonly dtlsOk: boolean;
  /** IANA reference column split into items, e.g. ["RFC5246", "RFC6347"]. */
  readonly references: readonly string[];
  /**
   * OpenSSL's name: from `openssl ciphers -V` of the OpenSSL this table was generated against, or,
   * for suites that build leaves out (3DES, RC4, static DH, ...), from its openssl-ciphers(1) manual.
   */
  readonly openssl?: string;
  /**
   * The `openssl` name comes from the manual, not from the build's cipher list: OpenSSL releases
   * built with the suite accept the name, this build (and OpenSSL 3 defaults) does not.
   */
  readonly opensslFromManual?: true;
  /** false for pre-standard/vendor code points that IANA never assigned (still seen in the wild). */
  readonly iana: boolean;
  /** Other spellings that resolve to this suite (nmap, SSL_ era names, draft names). */
  readonly aliases?: readonly string[];
}

/** The parts of a suite that follow from its name alone. */
export type SuiteDecomposition = Pick<
  CipherSuite,
  | 'keyExchange'
  | 'authentication'
  | 'cipher'
  | 'cipherBits'
  | 'mode'
  | 'aead'
  | 'hash'
  | 'tls13'
  | 'export'
  | 'anonymous'
  | 'nullCipher'
  | 'scsv'
>;
