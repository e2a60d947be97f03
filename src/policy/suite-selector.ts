import type { CipherSuite } from '../registry/index.js';
import { suiteByCode, suiteByName } from '../registry/index.js';
import type { SuiteSelector } from './policy.js';

/** A suite as observed: its code, its name, and the registry entry when the code is registered. */
export interface SuiteRef {
  code: string;
  name: string;
  suite?: CipherSuite;
}

// Every rule looks up every observed suite; the codes seen are few (the registry's), so the parsed
// lookups are kept, bounded in case input brings many unknown codes.
const BY_CODE_TEXT = new Map<string, CipherSuite | null>();

/** suiteByCode for a code as observations write it ("0xC02F"), remembered per text. */
export function registeredSuite(code: string): CipherSuite | undefined {
  let suite = BY_CODE_TEXT.get(code);
  if (suite === undefined) {
    suite = suiteByCode(code) ?? null;
    if (BY_CODE_TEXT.size < 4096) BY_CODE_TEXT.set(code, suite);
  }
  return suite ?? undefined;
}

export function suiteRef(code: string, name: string): SuiteRef {
  const suite = registeredSuite(code);
  return suite ? { code, name, suite } : { code, name };
}

function codesOf(selector: SuiteSelector): Set<string> {
  const codes = new Set<string>();
  for (const name of selector.names ?? []) {
    const s = suiteByName(name);
    if (s) codes.add(s.hex);
  }
  for (const code of selector.codes ?? []) codes.add(suiteByCode(code)?.hex ?? code.toUpperCase().replace(/^0X/, '0x'));
  return codes;
}

function oneOf(list: readonly string[] | undefined, value: string | undefined): boolean {
  return list === undefined || (value !== undefined && list.includes(value));
}

function flag(expected: boolean | undefined, value: boolean | undefined): boolean {
  return expected === undefined || value === expected;
}

/**
 * Compiles a selector into a predicate. Property tests (key exchange, cipher, ...) need the registry
 * entry; a suite the registry does not know matches only by name or code.
 */
export function compileSelector(selector: SuiteSelector): (ref: SuiteRef) => boolean {
  const hasList = selector.names !== undefined || selector.codes !== undefined;
  const codes = codesOf(selector);
  const anyOf = selector.anyOf?.map(compileSelector);
  const not = selector.not ? compileSelector(selector.not) : undefined;
  const hasProperties = Object.keys(selector).some((k) => !['names', 'codes', 'anyOf', 'not'].includes(k));

  return (ref) => {
    if (hasList && !codes.has(ref.code)) return false;
    if (anyOf && !anyOf.some((m) => m(ref))) return false;
    if (not && not(ref)) return false;
    if (!hasProperties) return true;
    const s = ref.suite;
    if (!s) return false;
    return (
      oneOf(selector.keyExchange, s.keyExchange) &&
      oneOf(selector.authentication, s.authentication) &&
      oneOf(selector.cipher, s.cipher) &&
      oneOf(selector.mode, s.mode) &&
      oneOf(selector.hash, s.hash) &&
      flag(selector.aead, s.aead) &&
      flag(selector.export, s.export) &&
      flag(selector.anonymous, s.anonymous) &&
      flag(selector.nullCipher, s.nullCipher) &&
      flag(selector.tls13, s.tls13) &&
      (selector.recommended === undefined || selector.recommended.includes(s.recommended)) &&
      (selector.minCipherBits === undefined || s.cipherBits >= selector.minCipherBits) &&
      (selector.maxCipherBits === undefined || s.cipherBits <= selector.maxCipherBits)
    );
  };
}
