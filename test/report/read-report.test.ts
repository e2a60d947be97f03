import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseReport, readReport } from '../../src/report/read-report.js';

const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readReport', () => {
  it('reads a valid report', () => {
    const r = readReport(new URL('../../fixtures/reports/nmap-internal.json', import.meta.url).pathname);
    expect(r.targets).toHaveLength(6);
  });

  it('names the file and the JSON path of a schema violation, on one line', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, policy: { id: 'x', name: 'y' }, summary: { pass: 0, warn: 0, fail: 0, error: 0 }, targets: [{ host: 'a', port: 443, sources: ['nmap'], protocols: [{ version: 'TLSv1.2', evidence: [{ source: 'nmap' }], ciphers: [{ code: 'c02f', name: 'X', evidence: [{ source: 'nmap' }] }] }], verdict: { status: 'pass', findings: [] } }] }));
    expect(() => readReport(file)).toThrow(InputError);
    expect(() => readReport(file)).toThrow(`Report ${file} is not a tlsaudit report at /targets/0/protocols/0/ciphers/0/code: must match pattern "^0x([0-9A-F]{4}|[0-9A-F]{6})$".`);
  });

  it('says when a file is missing or not JSON', () => {
    expect(() => readReport(join(dir, 'nope.json'))).toThrow(`Cannot read report ${join(dir, 'nope.json')}: no such file.`);
    expect(() => parseReport('{"schemaVersion": 1,', 'half.json')).toThrow(/^Report half\.json is not valid JSON: /);
    expect(() => parseReport('[]', 'list.json')).toThrow('Report list.json is not a tlsaudit report at (top level): must be object.');
  });
});
