import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/index.js';
import type { Policy } from '../../src/policy/policy.js';
import { renderDiff, DIFF_FORMATS } from '../../src/render/diff-renderers.js';
import { FORMATS } from '../../src/render/renderer.js';
import { RENDERERS } from '../../src/render/renderers.js';
import { diffReports } from '../../src/report/diff-reports.js';
import { schemaValidator } from '../../src/schema/json-validator.js';
import { dataversePolicy, strictModernPolicy } from '../helpers/report-factory.js';

// UPDATE_GOLDEN=1 npx vitest run test/render/golden.test.ts rewrites the expected files; review the git diff.
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const fixture = (name: string) => new URL(`../../fixtures/reports/${name}.json`, import.meta.url);
const golden = (name: string) => new URL(`../golden/${name}`, import.meta.url);

function load(name: string): Report {
  return JSON.parse(readFileSync(fixture(name), 'utf8')) as Report;
}

function expectGolden(name: string, actual: string): void {
  const file = golden(name);
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) throw new Error(`golden file test/golden/${name} is missing; run with UPDATE_GOLDEN=1 to write it`);
    writeFileSync(file, actual);
    return;
  }
  expect(actual, `output differs from test/golden/${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}

const CASES: Array<{ name: string; policies: Policy[] }> = [
  { name: 'nmap-internal', policies: [dataversePolicy()] },
  { name: 'merged-two-policies', policies: [dataversePolicy(), strictModernPolicy()] },
  { name: 'empty', policies: [dataversePolicy()] },
];

describe('golden outputs', () => {
  const validate = schemaValidator('report');

  for (const { name, policies } of CASES) {
    it(`${name}: the input report is valid`, () => {
      expect(validate(load(name)), JSON.stringify(validate.errors)).toBe(true);
    });

    for (const format of FORMATS) {
      it(`${name} as ${format}`, () => {
        const renderer = RENDERERS[format];
        const out = renderer.render(load(name), { policies, color: false });
        expectGolden(`${name}.${renderer.extension}`, out);
        if (format === 'json') expect(validate(JSON.parse(out)), JSON.stringify(validate.errors)).toBe(true);
      });
    }
  }

  for (const format of DIFF_FORMATS) {
    it(`diff of two quarters as ${format}`, () => {
      const diff = diffReports(load('nmap-internal'), load('nmap-internal-q2'));
      const ext = { table: 'txt', json: 'json', markdown: 'md' }[format];
      expectGolden(`diff-q1-q2.${ext}`, renderDiff(diff, format, { color: false }));
    });
  }

  it('renders without the policy documents too, from what the findings name', () => {
    const out = RENDERERS.html.render(load('nmap-internal'));
    expect(out).toContain('tls13-or-tls12');
    expect(out).not.toContain('Dataverse connects with TLS 1.2');
  });
});
