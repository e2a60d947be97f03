import { describe, expect, it } from 'vitest';
import type { TargetObservation } from '../../src/model/index.js';
import { loadPolicy } from '../../src/policy/index.js';
import { JsonReportStream, jsonRenderer } from '../../src/render/index.js';
import { buildReport, exitCodeFor, reportHeader } from '../../src/report/index.js';
import { schemaValidator, describeSchemaError } from '../../src/schema/json-validator.js';

const dataverse = loadPolicy('dataverse');
const at = new Date('2026-01-02T03:04:05Z');

function observation(host: string, suites: Array<[string, string]>, error?: string): TargetObservation {
  return {
    host,
    port: 443,
    sources: ['probe'],
    runs: [{ source: 'probe', observedAt: at.toISOString(), ...(error && { error }) }],
    protocols: suites.length
      ? [{ version: 'TLSv1.2', evidence: [{ source: 'probe' }], ciphers: suites.map(([code, name]) => ({ code, name, evidence: [{ source: 'probe' }] })) }]
      : [],
    ...(error && { error }),
  };
}

const good = observation('good.test', [['0xC02F', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']]);
const rsa = observation('rsa.test', [['0xC02F', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'], ['0x002F', 'TLS_RSA_WITH_AES_128_CBC_SHA']]);
const bad = observation('bad.test', [['0x002F', 'TLS_RSA_WITH_AES_128_CBC_SHA']]);
const down = observation('down.test', [], 'Connection refused by down.test:443.');

function assertValid(report: unknown) {
  const validate = schemaValidator('report');
  expect(validate(report), describeSchemaError(validate.errors)).toBe(true);
}

describe('buildReport', () => {
  it('evaluates every target and counts the statuses', () => {
    const report = buildReport([good, rsa, bad, down], [dataverse], { generatedAt: at });
    expect(report.targets.map((t) => [t.host, t.verdict.status])).toEqual([
      ['good.test', 'pass'],
      ['rsa.test', 'warn'],
      ['bad.test', 'fail'],
      ['down.test', 'error'],
    ]);
    expect(report.summary).toEqual({ pass: 1, warn: 1, fail: 1, error: 1 });
    // Every report names the revision of the source the verdicts follow, and where to read it.
    expect(report.policy).toMatchObject({
      id: 'dataverse',
      version: '2024-12-02',
      revision: '2024-12-02',
      source: { url: 'https://learn.microsoft.com/en-us/power-platform/admin/server-cipher-tls-requirements', date: '2024-12-02' },
    });
    expect(report.generatedAt).toBe('2026-01-02T03:04:05.000Z');
    assertValid(report);
  });

  it('gives a verdict per policy when several are asked for, the first as `verdict`', () => {
    const strictCopy = { ...dataverse, id: 'dataverse-copy' };
    const report = buildReport([rsa], [dataverse, strictCopy], { generatedAt: at });
    expect(report.policies?.map((p) => p.id)).toEqual(['dataverse', 'dataverse-copy']);
    expect(report.targets[0]?.verdicts?.map((v) => [v.policy, v.status])).toEqual([
      ['dataverse', 'warn'],
      ['dataverse-copy', 'warn'],
    ]);
    expect(report.targets[0]?.verdict.status).toBe('warn');
    assertValid(report);
  });

  it('refuses to judge without a policy with a usage error, targets or none', () => {
    for (const observations of [[good], []]) {
      expect(() => buildReport(observations, [])).toThrow(expect.objectContaining({ code: 'E_USAGE', exitCode: 2, message: expect.stringMatching(/policy/) }));
    }
  });
});

describe('exit status', () => {
  const report = (obs: TargetObservation[], strict = false) => buildReport(obs, [dataverse], { strict }).targets;
  it('is 0 when everything passes or only warns', () => expect(exitCodeFor(report([good, rsa]))).toBe(0));
  it('is 1 when a target fails, whatever else', () => expect(exitCodeFor(report([good, bad, down]))).toBe(1));
  it('is 3 when none fails but one could not be assessed', () => expect(exitCodeFor(report([good, down]))).toBe(3));
  it('is 3 when the input was cut off', () => expect(exitCodeFor(report([good]), { incomplete: true })).toBe(3));
  it('is 1 for warnings under --strict', () => expect(exitCodeFor(report([rsa], true))).toBe(1));
});

describe('the streamed JSON report', () => {
  it('is the same document the JSON renderer writes', async () => {
    const report = buildReport([good, rsa, bad, down], [dataverse], { generatedAt: at, notices: ['cut off'] });
    let text = '';
    const stream = new JsonReportStream((chunk) => void (text += chunk), reportHeader([dataverse], { generatedAt: at }));
    for (const t of report.targets) await stream.target(t);
    await stream.end(report.summary, ['cut off']);
    expect(JSON.parse(text)).toEqual(JSON.parse(jsonRenderer.render(report)));
    assertValid(JSON.parse(text));
  });

  it('is valid with no targets', async () => {
    let text = '';
    const stream = new JsonReportStream((chunk) => void (text += chunk), reportHeader([dataverse], { generatedAt: at }));
    await stream.end({ pass: 0, warn: 0, fail: 0, error: 0 });
    const parsed = JSON.parse(text);
    expect(parsed.targets).toEqual([]);
    assertValid(parsed);
  });
});
