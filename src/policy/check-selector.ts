import { CIPHER_SUITES, suiteByCode, suiteByName, type CipherSuite } from '../registry/index.js';
import { nearest, quoted } from './did-you-mean.js';
import type { SuiteSelector } from './policy.js';
import { compileSelector } from './suite-selector.js';

/** The selector properties that name registry values, and the registry field each one is matched against. */
const VALUE_PROPERTIES = ['keyExchange', 'authentication', 'cipher', 'mode', 'hash'] as const satisfies ReadonlyArray<keyof SuiteSelector & keyof CipherSuite>;

const valuesOf = (field: (typeof VALUE_PROPERTIES)[number]): ReadonlySet<string> =>
  new Set(CIPHER_SUITES.flatMap((s) => (s[field] === undefined ? [] : [s[field]])));

let registryValues: Map<string, ReadonlySet<string>> | undefined;
let suiteNames: string[] | undefined;

/** Every value the registry has for each property (RSA, ECDHE, ...; CBC, GCM, ...), derived once. */
function knownValues(property: (typeof VALUE_PROPERTIES)[number]): ReadonlySet<string> {
  registryValues ??= new Map(VALUE_PROPERTIES.map((p) => [p, valuesOf(p)]));
  return registryValues.get(property)!;
}

function knownSuiteNames(): string[] {
  suiteNames ??= [...new Set(CIPHER_SUITES.flatMap((s) => [s.name, ...(s.openssl ? [s.openssl] : [])]))];
  return suiteNames;
}

/**
 * Shared across one policy: did-you-mean searches are only worth doing for the first few problems,
 * since the message names only those; a file with thousands of typos must not cost a search each.
 */
export interface SuggestionBudget {
  left: number;
}

export const SUGGESTIONS_PER_POLICY = 10;

function suggest(value: string, candidates: () => Iterable<string>, budget: SuggestionBudget): string {
  if (budget.left <= 0) return '';
  budget.left--;
  const near = nearest(value, candidates());
  return near ? ` (did you mean ${near}?)` : '';
}

/**
 * Every value in a selector must name something that exists (a suite in the registry, a key exchange,
 * cipher, mode or hash some registry suite has), and every selector, nested ones included, must match
 * at least one registry suite: otherwise a typo makes a rule that silently never fires, and a server
 * passes by mistake. Returns one "JSON path: what is wrong" line per problem.
 */
export function selectorProblems(selector: SuiteSelector, path: string, budget: SuggestionBudget = { left: SUGGESTIONS_PER_POLICY }): string[] {
  const problems: string[] = [];
  selector.names?.forEach((name, i) => {
    if (suiteByName(name)) return;
    problems.push(`${path}/names/${i}: ${quoted(name)} is not a cipher suite in the IANA registry${suggest(name, knownSuiteNames, budget)}`);
  });
  selector.codes?.forEach((code, i) => {
    if (!suiteByCode(code)) problems.push(`${path}/codes/${i}: ${quoted(code)} is not an assigned cipher suite code point`);
  });
  for (const property of VALUE_PROPERTIES) {
    selector[property]?.forEach((value, i) => {
      const known = knownValues(property);
      if (known.has(value)) return;
      problems.push(`${path}/${property}/${i}: ${quoted(value)} is not a ${property} of any suite in the registry${suggest(value, () => known, budget)}`);
    });
  }
  selector.anyOf?.forEach((sub, i) => problems.push(...selectorProblems(sub, `${path}/anyOf/${i}`, budget)));
  if (selector.not) problems.push(...selectorProblems(selector.not, `${path}/not`, budget));
  // Only a selector whose every value exists can be judged as a whole; otherwise that value is the error.
  if (problems.length === 0) {
    const matches = compileSelector(selector);
    if (!CIPHER_SUITES.some((s) => matches({ code: s.hex, name: s.name, suite: s }))) {
      problems.push(`${path}: matches no cipher suite in the registry (its conditions contradict each other)`);
    }
  }
  return problems;
}
