/**
 * Fuzzing every input format tlsaudit reads (nmap XML, SSL Labs JSON, report JSON, policy JSON) with
 * random and mutated real inputs (fixtures/). Each input must end in one of two ways: a report that
 * validates against schemas/report.schema.json, or a TlsAuditError of exit status 2 whose message is one
 * line. Anything else (a TypeError, a RangeError, a stack trace, "internal error") is a bug. In-process
 * for speed; a sample of each also goes through the CLI.
 */
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNmapXml } from '../../src/adapters/nmap/index.js';
import { importSslLabsJson } from '../../src/adapters/ssllabs/import-ssllabs-json.js';
import { TlsAuditError } from '../../src/errors.js';
import type { Report } from '../../src/model/report.js';
import { compilePolicy } from '../../src/policy/compile-policy.js';
import { loadPolicy, parsePolicy } from '../../src/policy/load-policy.js';
import { buildReport } from '../../src/report/build-report.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import { parseReport } from '../../src/report/read-report.js';
import { schemaValidator } from '../../src/schema/json-validator.js';
import { observation, SUITES } from '../helpers/report-factory.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const fixtures = (dir: string, ext: string): Array<{ name: string; text: string }> =>
  readdirSync(join(ROOT, 'fixtures', dir))
    .filter((f) => f.endsWith(ext))
    .map((f) => ({ name: f, text: readFileSync(join(ROOT, 'fixtures', dir, f), 'utf8') }));

const NMAP = fixtures('nmap', '.xml');
const SSLLABS = fixtures('ssllabs', '.json');
const REPORTS = fixtures('reports', '.json');
const POLICIES = fixtures('policies', '.json');

const dataverse = loadPolicy('dataverse');
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** Text edits an attacker or a broken pipe makes: cut, drop, repeat, insert junk (control characters too). */
function mutatedText(base: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: Math.max(0, base.length) });
  const junk = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('<', '>', '"', '&', '&#0;', ']]>', '{', '}', '[', ']', ',', ':', '\\', '\u0000', '\uFEFF', '\x1b[2J', '<!DOCTYPE x [<!ENTITY a "b">]>'));
  const edit = fc.oneof(
    fc.tuple(fc.constant('cut' as const), at, at),
    fc.tuple(fc.constant('drop' as const), at, at),
    fc.tuple(fc.constant('repeat' as const), at, at),
    fc.tuple(fc.constant('insert' as const), at, junk),
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let text = base;
    for (const [kind, a, b] of edits) {
      const i = Math.min(a, text.length);
      if (kind === 'cut') text = text.slice(0, i);
      else if (kind === 'insert') text = text.slice(0, i) + (b as string) + text.slice(i);
      else {
        const j = Math.min(text.length, i + ((b as number) % 200));
        text = kind === 'drop' ? text.slice(0, i) + text.slice(j) : text.slice(0, j) + text.slice(i, j) + text.slice(j);
      }
    }
    return text;
  });
}

/** Every place in a JSON value, as a path of keys. */
function paths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

/** A real JSON document with one to three of its values replaced by random JSON of any shape. */
function mutatedJson(base: unknown): fc.Arbitrary<string> {
  const all = paths(base);
  const replacement = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, -1, 1e308, '', 'x'.repeat(300), '\x1b]0;t\x07', [], {}));
  return fc.array(fc.tuple(fc.nat({ max: all.length - 1 }), replacement), { minLength: 1, maxLength: 3 }).map((edits) => {
    let doc = structuredClone(base);
    for (const [index, value] of edits) {
      const path = all[index]!;
      if (path.length === 0) {
        doc = structuredClone(value);
        continue;
      }
      let parent = doc as Record<string | number, unknown> | undefined;
      for (const key of path.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent[key] as Record<string | number, unknown>) : undefined;
      if (parent && typeof parent === 'object') parent[path.at(-1)!] = structuredClone(value);
    }
    return JSON.stringify(doc);
  });
}

function inputsFor(docs: Array<{ text: string }>, json: boolean): fc.Arbitrary<string> {
  const arbs = docs.flatMap(({ text }) => {
    const list = [mutatedText(text)];
    if (json) {
      try {
        list.push(mutatedJson(JSON.parse(text)));
      } catch {
        // A fixture that is deliberately not JSON is mutated as text only.
      }
    }
    return list;
  });
  return fc.oneof(...arbs, fc.string({ unit: 'binary', maxLength: 200 }), json ? fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) : fc.string({ maxLength: 50 }).map((s) => `<nmaprun>${s}`));
}

const validReport = schemaValidator('report');

/** The property: a schema-valid report, or a one-line TlsAuditError with exit status 2. */
function endsWell(run: () => Report): void {
  let report: Report;
  try {
    report = run();
  } catch (error) {
    if (!(error instanceof TlsAuditError)) throw new Error(`not a TlsAuditError: ${String(error instanceof Error ? error.stack : error)}`);
    expect(error.exitCode).toBe(2);
    expect(error.message).not.toMatch(/\n/);
    expect(error.message.length).toBeLessThan(2000);
    return;
  }
  const data: unknown = JSON.parse(JSON.stringify(report));
  if (!validReport(data)) throw new Error(`report not schema-valid: ${JSON.stringify(validReport.errors?.slice(0, 3))}`);
}

const policyProbe = [
  observation('a.example', { protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm, SUITES.rsa3des], 'TLSv1.3': [SUITES.tls13Aes128Gcm] } }),
  observation('b.example', { error: 'Connection refused.' }),
];

const FORMATS = {
  'nmap XML': {
    arb: inputsFor(NMAP, false),
    run: (text: string) => buildReport(parseNmapXml(text, 'fuzz.xml').observations, [dataverse]),
    cli: (file: string) => ['nmap', file, '--format', 'json'],
  },
  'SSL Labs JSON': {
    arb: inputsFor(SSLLABS, true),
    run: (text: string) => buildReport(importSslLabsJson(text, 'fuzz.json'), [dataverse]),
    cli: (file: string) => ['ssllabs', '--input', file, '--format', 'json'],
  },
  'report JSON': {
    arb: inputsFor(REPORTS, true),
    run: (text: string) => mergeReports([parseReport(text, 'fuzz.json')], [dataverse]),
    cli: (file: string) => ['merge', file, '--format', 'json'],
  },
  'policy JSON': {
    arb: inputsFor(POLICIES, true),
    run: (text: string) => {
      const policy = parsePolicy(text, 'fuzz.json');
      compilePolicy(policy);
      return buildReport(policyProbe, [policy]);
    },
    cli: (file: string) => ['nmap', 'fixtures/nmap/sample.xml', '--policy', file, '--format', 'json'],
  },
} as const;

const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-fuzz-'));

describe.each(Object.entries(FORMATS))('fuzzing %s', (name, format) => {
  it('random and mutated inputs end in a schema-valid report or a one-line input error', () => {
    fc.assert(
      fc.property(format.arb, (text) => endsWell(() => format.run(text))),
      { numRuns: RUNS },
    );
  });

  it('a sample through the CLI: exit 0-3, a JSON report or one line on stderr, never a stack or "internal error"', async () => {
    const samples = fc.sample(format.arb, { numRuns: 4, seed: 20261202 });
    for (const [i, text] of samples.entries()) {
      const file = join(dir, `${name.replace(/\W+/g, '-')}-${i}.in`);
      writeFileSync(file, text);
      const r = await runCli(format.cli(file));
      expect([0, 1, 2, 3]).toContain(r.code);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at \S+ \(/);
      if (r.code === 2) {
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      } else {
        expect(validReport(JSON.parse(r.stdout))).toBe(true);
      }
    }
  });
});
