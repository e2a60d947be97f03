/** `tlsaudit policy list|show|check` as a user runs them (the built CLI). */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('tlsaudit policy', () => {
  it('lists every built-in policy with its version, the default marked', async () => {
    const r = await runCli(['policy', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dataverse\s+.*\(2024-12-02\) \[default\]$/m);
    expect(r.stdout).toMatch(/^dataverse-2021\s+.*\(2021-03-04\)$/m);
    for (const id of ['mozilla-modern', 'mozilla-intermediate', 'mozilla-old']) expect(r.stdout).toMatch(new RegExp(`^${id}\\s+Mozilla.*\\(5\\.7\\)$`, 'm'));
    expect(r.stdout).toMatch(/^nist-800-52r2\s+NIST SP 800-52 Rev\. 2/m);
  });

  it('shows a policy for people: source, each rule, and the suites it allows with OpenSSL names', async () => {
    const r = await runCli(['policy', 'show', 'mozilla-intermediate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('https://ssl-config.mozilla.org/guidelines/5.7.json');
    expect(r.stdout).toMatch(/only these 9 suites may be offered with TLSv1\.2:/);
    expect(r.stdout).toMatch(/0xCCAA\s+TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256\s+DHE-RSA-CHACHA20-POLY1305/);
  });

  it('shows a policy as JSON: the policy document itself', async () => {
    const r = await runCli(['policy', 'show', 'nist-800-52r2', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { id: string; schemaVersion: number; rules: Array<{ id: string }> };
    expect(doc.id).toBe('nist-800-52r2');
    expect(doc.schemaVersion).toBe(2);
    expect(doc.rules.map((x) => x.id)).toContain('approved-tls13-suites');
  });

  it('accepts the documented example custom policy', async () => {
    const r = await runCli(['policy', 'check', 'fixtures/policies/example-internal.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "fixtures/policies/example-internal.json: valid policy 'example-internal' (schemaVersion 2) with 6 rules (5 fail, 1 warn, 0 info).\n",
    );
  });

  it.each([
    ['bad-unknown-suite.json', "at /rules/0/suites/names/1: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA348' is not a cipher suite in the IANA registry (did you mean TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384?)"],
    ['bad-v2-rule-in-v1.json', `at /rules/0/type: rule type 'key-exchange' needs "schemaVersion": 2`],
    ['bad-missing-protocol.json', "at /rules/0: must have required property 'protocol'"],
    ['bad-severity.json', 'at /rules/0/severity: must be equal to one of the allowed values (fail, warn, info)'],
    ['bad-curve.json', "at /rules/0/curves/1: 'ffdhe2048' is not an elliptic curve"],
    ['bad-json.json', 'is not valid JSON'],
    ['bad-lowercase-mode.json', "at /rules/0/suites/mode/0: 'cbc' is not a mode of any suite in the registry (did you mean CBC?)"],
    ['bad-empty-selector.json', 'at /rules/0/suites: matches no cipher suite in the registry'],
    ['bad-builtin-id.json', "at /id: 'dataverse' is the id of a built-in policy"],
  ])('rejects %s in one line naming the file and the JSON path, exit 2', async (file, why) => {
    const path = `fixtures/policies/${file}`;
    const r = await runCli(['policy', 'check', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Policy ${path} `);
    expect(lines[0]).toContain(why);
  });
});
