/**
 * Damaged real files of every imported format: whatever is done to them, importing ends in a report
 * that validates against schemas/report.schema.json, or in an InputError whose message is one line
 * naming the input; never another error (a TypeError would reach the user as "internal error").
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { detectKind, importOne, type FromKind } from '../../../src/import/index.js';
import { loadPolicy } from '../../../src/policy/index.js';
import { buildReport, mergeObservations } from '../../../src/report/index.js';
import { validateReport } from '../../../src/report/read-report.js';

const policy = loadPolicy('dataverse');

const FORMATS: readonly { name: string; file: string; from: FromKind; json: boolean }[] = [
  { name: 'testssl.sh JSON', file: 'fixtures/import/approved-plus-tls10/testssl.json', from: 'testssl-json', json: true },
  { name: 'testssl.sh pretty JSON', file: 'fixtures/import/approved-plus-tls10/testssl-pretty.json', from: 'testssl-json', json: true },
  { name: 'testssl.sh CSV', file: 'fixtures/import/approved-plus-tls10/testssl.csv', from: 'testssl-csv', json: false },
  { name: 'sslscan XML', file: 'fixtures/import/approved-plus-tls10/sslscan.xml', from: 'sslscan', json: false },
  { name: 'sslyze 1 JSON', file: 'fixtures/sslyze/reptor-1.4.3.json', from: 'sslyze', json: true },
  { name: 'sslyze 3 JSON', file: 'fixtures/sslyze/defectdojo-two-targets-3.0.7.json', from: 'sslyze', json: true },
  { name: 'sslyze 5 JSON', file: 'fixtures/sslyze/defectdojo-zero-vuln-5.0.2.json', from: 'sslyze', json: true },
  { name: 'nmap XML with ssl-cert', file: 'fixtures/import/approved-plus-tls10/nmap.xml', from: 'nmap', json: false },
];

/** Imports the text as the kind (or as told from its content); returns what went wrong, if anything, as a problem string. */
async function outcome(text: string, from: FromKind | undefined): Promise<string | undefined> {
  const input = { text, origin: 'damaged' };
  try {
    const file = await importOne(input, detectKind(input, from));
    const report = buildReport(mergeObservations(file.observations), [policy], { notices: file.notices });
    validateReport(JSON.parse(JSON.stringify(report)), 'damaged');
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) return `not an InputError: ${(error as Error)?.stack ?? String(error)}`;
    if (error.message.includes('\n')) return `a message of several lines: ${error.message}`;
    if (!error.message.includes('damaged')) return `a message not naming the input: ${error.message}`;
    return undefined;
  }
}

/** A JSON value with one node somewhere replaced by any other value. */
function replaceNode(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  if (entries.length === 0) return replacement;
  const [step, ...rest] = path;
  const [key] = entries[step! % entries.length]!;
  if (Array.isArray(value)) return value.map((v, i) => (i === key ? replaceNode(v, rest, replacement) : v));
  return { ...(value as Record<string, unknown>), [key]: replaceNode((value as Record<string, unknown>)[key as string], rest, replacement) };
}

describe.each(FORMATS)('$name, damaged', ({ file, from, json }) => {
  const original = readFileSync(file, 'utf8');

  it('cut off anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: original.length }), fc.boolean(), async (at, forced) => {
        expect(await outcome(original.slice(0, at), forced ? from : undefined)).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it('with a stretch overwritten by arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: original.length }), fc.string({ maxLength: 40 }), fc.nat({ max: 40 }), async (at, text, cut) => {
        expect(await outcome(original.slice(0, at) + text + original.slice(at + cut), from)).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  if (json) {
    it('with any node of the document replaced by any JSON value', async () => {
      const doc = JSON.parse(original) as unknown;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(), { maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), async (path, replacement) => {
          expect(await outcome(JSON.stringify(replaceNode(doc, path, replacement)), from)).toBeUndefined();
        }),
        { numRuns: 100 },
      );
    });
  }
});
