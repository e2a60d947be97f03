import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/errors.js';
import { compilePolicy, evaluate, loadPolicy, parsePolicy, validatePolicy } from '../../src/policy/index.js';
import { MAX_POLICY_DEPTH } from '../../src/policy/nesting-depth.js';
import { observation } from './observations.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-policy-validation-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function policyWith(suites: unknown, extra: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    id: 'typo-test',
    name: 'Typo test',
    rules: [{ id: 'no-cbc', type: 'forbid-suites', severity: 'fail', message: 'CBC: {suites}.', suites, ...extra }],
  };
}

function policyError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as Error).message;
  }
  throw new Error('expected a PolicyError');
}

// A server with three CBC suites: a "no CBC" policy with a typo in it used to load and pass it.
const cbcServer = observation([
  { version: 'TLSv1.2', suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] },
]);

describe('a typo in a selector is an error, never a rule that matches nothing', () => {
  it('the correctly spelt policy fails the CBC server (the control)', () => {
    const policy = validatePolicy(policyWith({ mode: ['CBC'] }), 'ok.json');
    expect(evaluate(compilePolicy(policy), cbcServer).status).toBe('fail');
  });

  it('rejects a value in the wrong case, naming the JSON path and the right spelling', () => {
    const message = policyError(() => validatePolicy(policyWith({ mode: ['cbc'] }), 'lower.json'));
    expect(message).toBe("Policy lower.json is invalid at /rules/0/suites/mode/0: 'cbc' is not a mode of any suite in the registry (did you mean CBC?).");
  });

  it('rejects a misspelt value with the nearest one', () => {
    expect(policyError(() => validatePolicy(policyWith({ mode: ['CBCX'] }), 'x.json'))).toContain("/rules/0/suites/mode/0: 'CBCX' is not a mode of any suite in the registry (did you mean CBC?)");
    expect(policyError(() => validatePolicy(policyWith({ keyExchange: ['ECDHEE'] }), 'x.json'))).toContain('(did you mean ECDHE?)');
    expect(policyError(() => validatePolicy(policyWith({ cipher: ['AES'], hash: ['SHA265'] }), 'x.json'))).toContain("/rules/0/suites/hash/0: 'SHA265'");
    expect(policyError(() => validatePolicy(policyWith({ authentication: ['ecdsa'] }), 'x.json'))).toContain('(did you mean ECDSA?)');
  });

  it('checks values inside anyOf and not, with their paths', () => {
    const message = policyError(() => validatePolicy(policyWith({ not: { anyOf: [{ mode: ['GCM'] }, { cipher: ['CHACHA'] }] } }), 'x.json'));
    expect(message).toContain("/rules/0/suites/not/anyOf/1/cipher/0: 'CHACHA'");
    expect(message).toContain('did you mean CHACHA20?');
  });

  it('rejects a selector that matches no registry suite, even when every value exists', () => {
    const message = policyError(() => validatePolicy(policyWith({ tls13: true, keyExchange: ['ECDHE'] }), 'x.json'));
    expect(message).toBe('Policy x.json is invalid at /rules/0/suites: matches no cipher suite in the registry (its conditions contradict each other).');
    expect(policyError(() => validatePolicy(policyWith({ anyOf: [{ mode: ['GCM'] }, { cipher: ['RC4'], aead: true }] }), 'x.json'))).toContain('/rules/0/suites/anyOf/1: matches no cipher suite');
  });

  it('suggests a curve for a misspelt one', () => {
    const policy = {
      schemaVersion: 2,
      id: 'curves',
      name: 'Curves',
      rules: [{ id: 'kex', type: 'key-exchange', curves: ['secp256r2'], severity: 'fail', message: 'x' }],
    };
    expect(policyError(() => validatePolicy(policy, 'c.json'))).toContain("/rules/0/curves/0: 'secp256r2' is not a group in the IANA TLS Supported Groups registry (did you mean secp256r1?)");
  });

  it('quotes an absurdly long name cut short, with no search for a suggestion', () => {
    const long = `TLS_${'X'.repeat(40_000)}`;
    const message = policyError(() => validatePolicy(policyWith({ names: [long] }), 'long.json'));
    expect(message).toMatch(/^Policy long\.json is invalid at \/rules\/0\/suites\/names\/0: 'TLS_X+…' \(40004 characters\) is not a cipher suite in the IANA registry\.$/);
    expect(message.length).toBeLessThan(300);
  });

  it('summarises thousands of unknown names: the first few, then the count', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA${1000 + i}`);
    const message = policyError(() => validatePolicy(policyWith({ names }), 'many.json'));
    expect(message).not.toContain('\n');
    expect(message).toContain("/rules/0/suites/names/0: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA1000'");
    expect(message).toContain('/rules/0/suites/names/2:');
    expect(message).not.toContain('/rules/0/suites/names/3:');
    expect(message).toMatch(/\(and 2997 more problems\)\.$/);
  });

  it('rejects nesting deeper than the limit in one line, without overflowing the stack', () => {
    const depth = 100_000;
    const text = `{"schemaVersion":1,"id":"deep","name":"Deep","rules":[{"id":"r","type":"forbid-suites","severity":"fail","message":"m","suites":${'{"not":'.repeat(depth)}{"aead":true}${'}'.repeat(depth)}}]}`;
    const message = policyError(() => parsePolicy(text, 'deep.json'));
    expect(message).toMatch(new RegExp(`^Policy deep\\.json is invalid at /rules/0/suites(/not)+/… \\(\\d+ levels\\): nested deeper than ${MAX_POLICY_DEPTH} levels\\.$`));
  });

  it('still reads nesting a real policy uses', () => {
    let suites: Record<string, unknown> = { mode: ['CBC'] };
    for (let i = 0; i < 10; i++) suites = { anyOf: [suites, { cipher: ['RC4'] }] };
    expect(validatePolicy(policyWith(suites), 'nested.json').rules).toHaveLength(1);
  });

  it('refuses a file that takes the id of a built-in policy', () => {
    const impostor = { ...policyWith({ mode: ['CBC'] }), id: 'dataverse' };
    const path = file('impostor.json', impostor);
    expect(policyError(() => loadPolicy(path))).toBe(`Policy ${path} is invalid at /id: 'dataverse' is the id of a built-in policy; give the file its own id.`);
  });
});

describe('the CLI on such policies', () => {
  it('policy check and --policy exit 2 with the one line, and assess nothing', async () => {
    const path = file('lower-case.json', policyWith({ mode: ['cbc'] }));
    const check = await runCli(['policy', 'check', path]);
    expect(check.code).toBe(2);
    expect(check.stderr.trim().split('\n')).toHaveLength(1);
    expect(check.stderr).toContain('did you mean CBC?');
    const scan = await runCli(['nmap', 'fixtures/nmap/sample.xml', '--policy', path]);
    expect(scan.code).toBe(2);
    expect(scan.stdout).toBe('');
    const impostor = await runCli(['nmap', 'fixtures/nmap/sample.xml', '--policy', file('impostor-cli.json', { ...policyWith({ mode: ['CBC'] }), id: 'dataverse' })]);
    expect(impostor.code).toBe(2);
    expect(impostor.stderr).toContain('is the id of a built-in policy');
  });
});
