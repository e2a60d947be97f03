/**
 * Reports read as a stream of tokens (merge): the same one-line errors as the whole-document reader, and
 * a large report merged without ever holding its text.
 */
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../src/model/target.js';
import { mergeObservations, mergeObservationsOneByOne } from '../../src/report/merge-reports.js';
import { readReport } from '../../src/report/read-report.js';
import { readReportStream } from '../../src/report/read-report-stream.js';
import { schemaValidator } from '../../src/schema/json-validator.js';
import { arbObservation } from '../helpers/report-factory.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-stream-'));
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

async function read(file: string): Promise<{ header: unknown; targets: Target[] }> {
  const targets: Target[] = [];
  const header = await readReportStream(file, (t) => targets.push(t));
  return { header, targets };
}

describe('readReportStream', () => {
  it('reads what readReport reads, target by target', async () => {
    for (const name of ['nmap-internal.json', 'merged-two-policies.json', 'empty.json', 'ssllabs-public.json']) {
      const file = `fixtures/reports/${name}`;
      const whole = readReport(file);
      const { header, targets } = await read(file);
      expect(targets).toEqual(whole.targets);
      const { targets: _t, ...rest } = whole;
      expect(header).toEqual({ ...rest, targets: [] });
    }
  });

  it('names the file and the JSON path of a bad target, as readReport does', async () => {
    const report = JSON.parse(readFileSync('fixtures/reports/nmap-internal.json', 'utf8'));
    report.targets[1].port = 'https';
    const file = write('bad-target.json', JSON.stringify(report));
    await expect(read(file)).rejects.toThrow(`Report ${file} is not a tlsaudit report at /targets/1/port: must be integer.`);
    expect(() => readReport(file)).toThrow(`Report ${file} is not a tlsaudit report at /targets/1/port: must be integer.`);
  });

  it('checks the rest of the report too', async () => {
    const report = JSON.parse(readFileSync('fixtures/reports/nmap-internal.json', 'utf8'));
    delete report.summary;
    const file = write('no-summary.json', JSON.stringify(report));
    await expect(read(file)).rejects.toThrow(`Report ${file} is not a tlsaudit report at (top level): must have required property 'summary'.`);
    const noTargets = JSON.parse(readFileSync('fixtures/reports/empty.json', 'utf8'));
    delete noTargets.targets;
    const file2 = write('no-targets.json', JSON.stringify(noTargets));
    await expect(read(file2)).rejects.toThrow(/must have required property 'targets'/);
  });

  it('gives one line for what is not JSON, cut off, not an object, or missing', async () => {
    await expect(read(write('half.json', '{"schemaVersion": 1,'))).rejects.toThrow(/^Report .*half\.json is not valid JSON: /);
    await expect(read(write('junk.json', '{"a": nope}'))).rejects.toThrow(/^Report .*junk\.json is not valid JSON: /);
    await expect(read(write('list.json', '[]'))).rejects.toThrow(/^Report .*list\.json is not a tlsaudit report at \(top level\): must be object\.$/);
    await expect(read(join(dir, 'nope.json'))).rejects.toThrow(`Cannot read report ${join(dir, 'nope.json')}: no such file.`);
    for (const error of await Promise.all(['half.json', 'junk.json'].map((f) => read(join(dir, f)).catch((e: Error) => e.message)))) {
      expect(error).not.toMatch(/\n/);
    }
  });
});

/** A report of `n` targets written straight to a file, so the test itself never holds its text. */
async function writeLargeReport(file: string, n: number): Promise<void> {
  const base = JSON.parse(readFileSync('fixtures/reports/nmap-internal.json', 'utf8'));
  const sample: Target = base.targets.find((t: Target) => t.protocols.length > 0);
  const out = createWriteStream(file);
  const { targets: _t, summary, ...header } = base;
  out.write(`${JSON.stringify(header).slice(0, -1)},"targets":[`);
  for (let i = 0; i < n; i++) {
    const t = { ...sample, host: `h${i}.example`, address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
    if (!out.write(`${i === 0 ? '' : ','}${JSON.stringify(t)}`)) await once(out, 'drain');
  }
  out.end(`],"summary":${JSON.stringify(summary)}}`);
  await once(out, 'close');
}

describe('merging one group at a time', () => {
  it('gives the targets mergeObservations gives, in the same order, and lets go of its inputs', () => {
    fc.assert(
      fc.property(fc.array(arbObservation, { maxLength: 12 }), fc.nat(), (list, dup) => {
        const input = list.length > 0 ? [...list, list[dup % list.length]!] : list;
        const slots: Array<(typeof input)[number] | undefined> = structuredClone(input);
        expect([...mergeObservationsOneByOne(slots)]).toEqual(mergeObservations(input));
        expect(slots.every((s) => s === undefined)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('merge of a large report', () => {
  it('merges 5,000 targets read and written as streams into a schema-valid report', async () => {
    const file = join(dir, 'large.json');
    await writeLargeReport(file, 5000);
    const out = join(dir, 'merged-large.json');
    const r = await runCli(['merge', file, file, '--format', 'json', '-o', out, '-q']);
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.code);
    const merged = JSON.parse(readFileSync(out, 'utf8'));
    expect(merged.targets).toHaveLength(5000);
    expect(schemaValidator('report')(merged)).toBe(true);
    // The same report merged with itself is the report merged alone: the evidence is not doubled.
    expect(merged.targets[0].runs).toHaveLength(1);
  });
});
