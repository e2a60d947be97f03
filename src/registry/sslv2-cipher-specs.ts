/**
 * SSL 2.0 cipher kinds: three-byte codes that IANA's TLS registry does not list.
 * Source: K. Hickman, "The SSL Protocol" (SSL 2.0), Netscape, February 1995
 * (draft-hickman-netscape-ssl-00), Appendix C "Protocol Constant Values", cipher kind values.
 * Two further kinds (`inSpec: false`) never were in that document but were implemented
 * by SSLeay/OpenSSL before 1.0 (its ssl2.h) and are reported by scanners.
 */
export interface SslV2CipherSpec {
  /** Three-byte cipher kind, e.g. 0x010080. */
  readonly code: number;
  /** Six hex digits, e.g. "0x010080". */
  readonly hex: string;
  /** Name as in the SSL 2.0 document (SSL_CK_…). */
  readonly name: string;
  readonly cipher: string;
  /** Secret key bits: export kinds send all but 40 bits in the clear, DES counts 56, 3DES 112. */
  readonly cipherBits: number;
  readonly mode?: string;
  readonly hash: 'MD5';
  readonly export: boolean;
  readonly nullCipher: boolean;
  /** OpenSSL's name (OpenSSL ≤ 1.0.2, which last implemented SSL 2.0). */
  readonly openssl?: string;
  /** Other spellings: nmap's sslv2 script prints SSL2_<rest>. */
  readonly aliases: readonly string[];
  readonly inSpec: boolean;
}

const spec = (
  code: number,
  rest: string,
  cipher: string,
  cipherBits: number,
  mode: string | undefined,
  openssl: string | undefined,
  inSpec = true,
): SslV2CipherSpec => ({
  code,
  hex: formatSslV2Code(code),
  name: `SSL_CK_${rest}`,
  cipher,
  cipherBits,
  ...(mode === undefined ? {} : { mode }),
  hash: 'MD5',
  export: rest.includes('EXPORT40'),
  nullCipher: cipher === 'NULL',
  ...(openssl === undefined ? {} : { openssl }),
  aliases: [`SSL2_${rest}`, `SSL2_CK_${rest}`],
  inSpec,
});

export function formatSslV2Code(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(6, '0')}`;
}

export const SSLV2_CIPHER_SPECS: readonly SslV2CipherSpec[] = [
  spec(0x010080, 'RC4_128_WITH_MD5', 'RC4', 128, 'stream', 'RC4-MD5'),
  spec(0x020080, 'RC4_128_EXPORT40_WITH_MD5', 'RC4', 40, 'stream', 'EXP-RC4-MD5'),
  spec(0x030080, 'RC2_128_CBC_WITH_MD5', 'RC2', 128, 'CBC', 'RC2-CBC-MD5'),
  spec(0x040080, 'RC2_128_CBC_EXPORT40_WITH_MD5', 'RC2', 40, 'CBC', 'EXP-RC2-CBC-MD5'),
  spec(0x050080, 'IDEA_128_CBC_WITH_MD5', 'IDEA', 128, 'CBC', 'IDEA-CBC-MD5'),
  spec(0x060040, 'DES_64_CBC_WITH_MD5', 'DES', 56, 'CBC', 'DES-CBC-MD5'),
  spec(0x0700c0, 'DES_192_EDE3_CBC_WITH_MD5', '3DES_EDE', 112, 'CBC', 'DES-CBC3-MD5'),
  spec(0x080080, 'RC4_64_WITH_MD5', 'RC4', 64, 'stream', 'RC4-64-MD5', false),
  spec(0x000000, 'NULL_WITH_MD5', 'NULL', 0, undefined, 'NULL-MD5', false),
];

const BY_CODE = new Map(SSLV2_CIPHER_SPECS.map((s) => [s.code, s]));
const BY_NAME = new Map<string, SslV2CipherSpec>();
for (const s of SSLV2_CIPHER_SPECS) {
  // OpenSSL reused RC4-MD5 and NULL-MD5 for TLS suites, so its names are deliberately not keys here.
  for (const name of [s.name, ...s.aliases]) BY_NAME.set(name.toUpperCase(), s);
}

/** Accepts 0x010080, "0x010080", "010080" or "0x01,0x00,0x80". */
export function sslv2SpecByCode(code: number | string): SslV2CipherSpec | undefined {
  if (typeof code === 'number') return BY_CODE.get(code);
  const bytes = /^(?:0x)?([0-9a-f]{2}),\s*(?:0x)?([0-9a-f]{2}),\s*(?:0x)?([0-9a-f]{2})$/i.exec(code.trim());
  const text = bytes === null ? code.trim().replace(/^0x/i, '') : `${bytes[1]}${bytes[2]}${bytes[3]}`;
  return /^[0-9a-f]{6}$/i.test(text) ? BY_CODE.get(parseInt(text, 16)) : undefined;
}

/** By SSL 2.0 name (SSL_CK_…) or nmap's SSL2_… spelling, case-insensitively. */
export function sslv2SpecByName(name: string): SslV2CipherSpec | undefined {
  return BY_NAME.get(name.trim().toUpperCase());
}
