/**
 * How long validating pathological custom policies takes: one 40,000-character unknown suite name,
 * 3,000 unknown names, a selector nested 100,000 deep. Each must stay well under a second.
 *
 *   node --import tsx bench/policy-check.ts
 */
import { PolicyError } from '../src/errors.js';
import { parsePolicy } from '../src/policy/index.js';

function policyText(suites: string): string {
  return `{"schemaVersion":1,"id":"bench","name":"Bench","rules":[{"id":"r","type":"forbid-suites","severity":"fail","message":"m","suites":${suites}}]}`;
}

const cases: Array<[string, string]> = [
  ['one 40,000-character unknown name', policyText(JSON.stringify({ names: [`TLS_${'X'.repeat(40_000)}`] }))],
  ['3,000 unknown names', policyText(JSON.stringify({ names: Array.from({ length: 3000 }, (_, i) => `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA${1000 + i}`) }))],
  ['3,000 unknown mode values', policyText(JSON.stringify({ mode: Array.from({ length: 3000 }, (_, i) => `CBC${i}`) }))],
  ['a selector nested 100,000 deep', policyText(`${'{"not":'.repeat(100_000)}{"aead":true}${'}'.repeat(100_000)}`)],
];

// The first validation loads ajv and compiles the schema; time that apart.
const warm = performance.now();
parsePolicy(policyText('{"mode":["CBC"]}'), 'warm-up.json');
console.log(`loading the schema validator: ${(performance.now() - warm).toFixed(1)} ms`);

for (const [label, text] of cases) {
  const start = performance.now();
  let outcome = 'accepted';
  try {
    parsePolicy(text, 'bench.json');
  } catch (error) {
    outcome = error instanceof PolicyError ? `rejected (${error.message.length} characters)` : `crashed: ${String(error)}`;
  }
  console.log(`${label}: ${(performance.now() - start).toFixed(1)} ms, ${outcome}`);
}
