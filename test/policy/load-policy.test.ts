import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/errors.js';
import { builtinPolicyIds, builtinPolicyPath, loadPolicy, parsePolicy } from '../../src/policy/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-policy-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const minimal = {
  schemaVersion: 1,
  id: 'acme',
  name: 'ACME baseline',
  rules: [{ id: 'tls12', type: 'require-protocol', protocol: 'TLSv1.2', severity: 'fail', message: 'No TLS 1.2.' }],
};

function policyError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as Error).message;
  }
  throw new Error('expected a PolicyError');
}

describe('policies as data', () => {
  it('ships dataverse as the default, first in the list', () => {
    expect(builtinPolicyIds()[0]).toBe('dataverse');
    const p = loadPolicy();
    expect(p.id).toBe('dataverse');
    expect(p.rules.map((r) => r.id)).toEqual(['tls13-or-tls12', 'approved-suite', 'legacy-protocols', 'plain-rsa-key-exchange', 'ssllabs-weak-cbc-note']);
  });

  it('ships only built-in policies that pass the schema and the registry checks', () => {
    for (const id of builtinPolicyIds()) {
      const policy = parsePolicy(readFileSync(builtinPolicyPath(id), 'utf8'), id, { builtin: true });
      expect(policy.id).toBe(id);
      expect(loadPolicy(id)).toEqual(policy);
    }
  });

  it('loads a custom policy file', () => {
    expect(loadPolicy(file('ok.json', minimal)).name).toBe('ACME baseline');
  });

  it('names the file and the JSON path of a schema violation, on one line', () => {
    const bad = { ...minimal, rules: [{ ...minimal.rules[0], protocol: 'TLSv1.4' }] };
    const path = file('bad-protocol.json', bad);
    const message = policyError(() => loadPolicy(path));
    expect(message).toContain(path);
    expect(message).toContain('/rules/0/protocol');
    expect(message).not.toContain('\n');
  });

  it('rejects unknown properties with their name', () => {
    const bad = { ...minimal, rules: [{ ...minimal.rules[0], protocl: 'TLSv1.2' }] };
    expect(policyError(() => loadPolicy(file('typo.json', bad)))).toMatch(/rules\/0.*protocl/);
  });

  it('rejects suite names the registry does not know', () => {
    const bad = {
      ...minimal,
      rules: [
        ...minimal.rules,
        { id: 'suite', type: 'require-any-suite', severity: 'fail', message: 'x', suites: { names: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA265'] } },
      ],
    };
    expect(policyError(() => loadPolicy(file('name.json', bad)))).toContain(
      "/rules/1/suites/names/0: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA265' is not a cipher suite",
    );
  });

  it('rejects duplicate rule ids', () => {
    const bad = { ...minimal, rules: [minimal.rules[0], minimal.rules[0]] };
    expect(policyError(() => loadPolicy(file('dup.json', bad)))).toContain("rule id 'tls12' is used twice");
  });

  it('says when a file is not JSON, and when a policy does not exist', () => {
    expect(policyError(() => parsePolicy('{ nope', 'x.json'))).toMatch(/^Policy x.json is not valid JSON/);
    expect(policyError(() => loadPolicy('no-such-policy'))).toMatch(/^Unknown policy 'no-such-policy': not a built-in policy \(dataverse/);
  });
});
