import type { CipherSuite } from '../registry/index.js';
import { CIPHER_SUITES, suiteByCode, suiteByName } from '../registry/index.js';
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

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The registry name (IANA or OpenSSL) nearest to a misspelt one, when it is only a few edits away. */
export function closestSuiteName(name: string): string | undefined {
  const wanted = name.trim().toUpperCase();
  let best: { name: string; d: number } | undefined;
  for (const s of CIPHER_SUITES) {
    for (const candidate of [s.name, s.openssl]) {
      if (candidate === undefined) continue;
      const d = editDistance(wanted, candidate.toUpperCase());
      if (d <= 3 && (best === undefined || d < best.d)) best = { name: candidate, d };
    }
  }
  return best?.name;
}

/**
 * Checks every name in a selector against the registry, so that a typo in a policy is an error at load
 * time rather than a rule that silently never matches. Returns the JSON paths of unknown names.
 */
export function unknownSuiteNames(selector: SuiteSelector, path: string): string[] {
  const problems: string[] = [];
  selector.names?.forEach((name, i) => {
    if (suiteByName(name)) return;
    const near = closestSuiteName(name);
    problems.push(`${path}/names/${i}: '${name}' is not a cipher suite in the IANA registry${near ? ` (did you mean ${near}?)` : ''}`);
  });
  selector.codes?.forEach((code, i) => {
    if (!suiteByCode(code)) problems.push(`${path}/codes/${i}: '${code}' is not an assigned cipher suite code point`);
  });
  selector.anyOf?.forEach((sub, i) => problems.push(...unknownSuiteNames(sub, `${path}/anyOf/${i}`)));
  if (selector.not) problems.push(...unknownSuiteNames(selector.not, `${path}/not`));
  return problems;
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
