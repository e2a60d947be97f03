import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/render/sarif.js';
import { SUITES, dataversePolicy, observation, report, strictModernPolicy } from '../helpers/report-factory.js';

const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: Ajv) => void;

/**
 * The OASIS SARIF 2.1.0 schema (draft-04) as shipped in @microsoft/jest-sarif; see fixtures/README.md.
 * ajv 8 reads draft-04 once `id` is `$id`: the schema uses no draft-04-only keyword forms.
 */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(new URL('../../fixtures/sarif/sarif-schema-2.1.0-rtm.5.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const { id, $schema: _draft, ...rest } = schema;
  // The schema's language pattern is not valid with the u flag (a stray ']'); plain RegExp reads it.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ ...rest, $id: id as string });
}

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: Array<{ id: string; shortDescription: { text: string }; fullDescription: { text: string }; helpUri?: string }> } };
    automationDetails: { id: string };
    results: Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } }; logicalLocations: Array<{ name: string }> }> }>;
  }>;
}

describe('renderSarif', () => {
  const validate = sarifValidator();
  const r = report([
    observation('ok.example', { protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
    observation('old.example', { address: '192.0.2.1', protocols: { 'TLSv1.0': [SUITES.rsaAes128CbcSha], 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
    observation('2001:db8::5', { port: 8443, protocols: { 'TLSv1.3': [SUITES.tls13Chacha] } }),
    observation('down.example', { error: 'Connection refused.' }),
  ]);

  it('is valid SARIF 2.1.0 with a rule per policy rule', () => {
    const log = JSON.parse(renderSarif(r, { policies: [dataversePolicy()] })) as SarifLog;
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    const [run] = log.runs;
    expect(run!.tool.driver.name).toBe('tlsaudit');
    expect(run!.tool.driver.version).toBe('0.1.0');
    const rules = run!.tool.driver.rules;
    expect(rules.slice(0, 5).map((x) => x.id)).toEqual(['tls13-or-tls12', 'approved-suite', 'legacy-protocols', 'plain-rsa-key-exchange', 'ssllabs-weak-cbc-note']);
    expect(rules[0]!.fullDescription.text).toMatch(/^The page asks for "Transport Layer Security \(TLS\) 1\.3\/1\.2 compliance"/);
    expect(rules[0]!.helpUri).toBe('https://learn.microsoft.com/en-us/power-platform/admin/server-cipher-tls-requirements');
    // The engine rule appears because an unassessed target cites it.
    expect(rules.map((x) => x.id)).toContain('assessment-error');
  });

  it('has a result per fail or warn finding, located at a relative path tls/HOST/PORT', () => {
    const [run] = (JSON.parse(renderSarif(r, { policies: [dataversePolicy()] })) as SarifLog).runs;
    const results = run!.results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.artifactLocation.uri]);
    expect(results).toEqual([
      ['legacy-protocols', 'warning', 'tls/old.example/443'],
      ['plain-rsa-key-exchange', 'warning', 'tls/old.example/443'],
      ['approved-suite', 'error', 'tls/2001%3Adb8%3A%3A5/8443'],
      ['assessment-error', 'error', 'tls/down.example/443'],
    ]);
    // No location is an absolute URI: code scanning rejects schemes it does not know.
    for (const res of run!.results) expect(res.locations[0]!.physicalLocation.artifactLocation.uri).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
    expect(run!.results[2]!.locations[0]!.logicalLocations[0]).toEqual({ name: '[2001:db8::5]:8443', fullyQualifiedName: 'tls://[2001:db8::5]:8443', kind: 'resource' });
    for (const res of run!.results) expect(run!.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
  });

  it('writes a run per policy in a multi-policy report, each with its own automation id', () => {
    const multi = report([observation('a.example', { protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128CbcSha256] } })], [dataversePolicy(), strictModernPolicy()]);
    const log = JSON.parse(renderSarif(multi, { policies: [dataversePolicy(), strictModernPolicy()] })) as SarifLog;
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.runs.map((x) => x.automationDetails.id)).toEqual(['tlsaudit/dataverse/', 'tlsaudit/modern/']);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[1]!.results.map((x) => [x.ruleId, x.level])).toEqual([
      ['tls13-required', 'error'],
      ['no-cbc', 'warning'],
    ]);
    expect(log.runs[1]!.tool.driver.rules[0]!.helpUri).toBe('https://example.org/standards/tls?x=1&y=%3C2%3E');
  });

  it('has a schema check that can fail', () => {
    expect(validate({ version: '2.1.0' })).toBe(false);
    const log = JSON.parse(renderSarif(r)) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    delete log.runs[0]!.results[0]!.message;
    expect(validate(log)).toBe(false);
  });

  it('stays valid with no targets and without the policy documents', () => {
    expect(validate(JSON.parse(renderSarif(report([]))))).toBe(true);
    expect(validate(JSON.parse(renderSarif(r)))).toBe(true);
  });
});
