import type { CipherSuite } from './cipher-suite.js';
import { GENERATED_CIPHER_SUITES } from './cipher-suites.generated.js';

export { OPENSSL_MANUAL_NAMES_FROM, OPENSSL_NAMES_FROM } from './cipher-suites.generated.js';

/** Every known suite: IANA's assignments first, then pre-standard code points (`iana: false`). */
export const CIPHER_SUITES: readonly CipherSuite[] = GENERATED_CIPHER_SUITES;

/** 0xC02F → "0xC02F" (four upper-case hex digits, the form IANA and most scanners print). */
export function formatCode(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

// IANA entries come first, so where a pre-standard entry shares a code or name the IANA one wins.
const BY_CODE = new Map<number, CipherSuite>();
const BY_NAME = new Map<string, CipherSuite>();
for (const suite of CIPHER_SUITES) {
  if (!BY_CODE.has(suite.code)) BY_CODE.set(suite.code, suite);
  for (const name of [suite.name, suite.openssl, ...(suite.aliases ?? [])]) {
    if (name === undefined) continue;
    const key = name.toUpperCase();
    if (!BY_NAME.has(key)) BY_NAME.set(key, suite);
  }
}

/**
 * Parses a two-byte suite code written as a number (0xC02F) or as text: "0xC02F", "0xc02f",
 * "C02F", "0xC0,0x2F" (IANA's byte-pair form), "{0xC0, 0x2F}". Undefined when it is not one.
 */
export function parseSuiteCode(code: number | string): number | undefined {
  if (typeof code === 'number') return Number.isInteger(code) && code >= 0 && code <= 0xffff ? code : undefined;
  const text = code.trim().replace(/^\{\s*|\s*\}$/g, '');
  const pair = /^(?:0x)?([0-9a-f]{1,2})\s*,\s*(?:0x)?([0-9a-f]{1,2})$/i.exec(text);
  if (pair?.[1] !== undefined && pair[2] !== undefined) return (parseInt(pair[1], 16) << 8) | parseInt(pair[2], 16);
  const single = /^(?:0x)?([0-9a-f]{1,4})$/i.exec(text);
  return single?.[1] === undefined ? undefined : parseInt(single[1], 16);
}

export function suiteByCode(code: number | string): CipherSuite | undefined {
  const n = parseSuiteCode(code);
  return n === undefined ? undefined : BY_CODE.get(n);
}

/**
 * Looks a suite up by IANA name, OpenSSL name or a known alias, case-insensitively. Also
 * understands the spellings scanners derive from IANA's:
 * - nmap writes TLS 1.3 suites as `TLS_AKE_WITH_<aead>_<hash>` (and RFC 9150's
 *   TLS_SHA256_SHA256 as TLS_AKE_WITH_NULL_SHA256);
 * - SSL 3.0-era names use `SSL_` where IANA uses `TLS_` (SSL_RSA_WITH_RC4_128_MD5);
 * - a code point with two historical names may be written `<name>-or-<name>`.
 */
export function suiteByName(name: string): CipherSuite | undefined {
  const key = name.trim().toUpperCase();
  const direct = BY_NAME.get(key);
  if (direct !== undefined) return direct;
  if (key.includes('-OR-')) {
    for (const part of key.split('-OR-')) {
      const found = suiteByName(part);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const ake = /^TLS_AKE_WITH_(.+)$/.exec(key)?.[1];
  if (ake !== undefined) {
    const integrityOnly = /^NULL_(SHA\d+)$/.exec(ake)?.[1];
    return BY_NAME.get(integrityOnly === undefined ? `TLS_${ake}` : `TLS_${integrityOnly}_${integrityOnly}`);
  }
  if (key.startsWith('SSL_')) return BY_NAME.get(`TLS_${key.slice(4)}`);
  return undefined;
}

/** Looks a suite up by code (number or hex text) or by any name `suiteByName` knows. */
export function findSuite(codeOrName: number | string): CipherSuite | undefined {
  if (typeof codeOrName === 'number') return suiteByCode(codeOrName);
  return suiteByName(codeOrName) ?? (/^[\s{]*(?:0x)?[0-9a-f]/i.test(codeOrName) ? suiteByCode(codeOrName) : undefined);
}
