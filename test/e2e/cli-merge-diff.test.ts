import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/index.js';
import { schemaValidator } from '../../src/schema/json-validator.js';
import { runCli } from '../helpers/run-cli.js';

const fixture = (name: string) => `fixtures/reports/${name}.json`;
const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tlsaudit merge', () => {
  it('merges reports into one valid JSON report, exit 1 when a target fails', async () => {
    const r = await runCli(['merge', fixture('nmap-internal'), fixture('ssllabs-public'), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    const validate = schemaValidator('report');
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.targets).toHaveLength(7);
    const mail = report.targets.find((t) => t.host === 'mail.example.org' && t.port === 443)!;
    expect(mail.sources).toEqual(['nmap', 'ssllabs']);
    expect(mail.disagreements?.map((d) => d.message)).toContain('nmap saw TLSv1.0 enabled; ssllabs did not.');
    expect(mail.disagreements?.map((d) => d.message)).toContain('ssllabs saw TLSv1.3 enabled; nmap did not.');
  });

  it('exits 0 when every merged target meets the policy', async () => {
    const r = await runCli(['merge', fixture('ssllabs-public'), fixture('ssllabs-public'), '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\r\n')[0]).toBe('host,address,port,policy,status,rule,outcome,protocol,code,name,sources,observedAt,error');
  });

  it('re-evaluates under the chosen policies and writes every format to a file', async () => {
    const r = await runCli(['merge', fixture('ssllabs-public'), '--policy', 'dataverse', '--policy', 'mozilla-modern', '--format', 'junit', '-o', join(dir, 'out.xml')]);
    expect(r.stdout).toBe('');
    expect([0, 1]).toContain(r.code);
    const xml = readFileSync(join(dir, 'out.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('classname="mozilla-modern"');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes an HTML report with the policy text, exit 3 when a target could not be assessed', async () => {
    const out = join(dir, 'audit.html');
    const only = join(dir, 'error-only.json');
    const report = JSON.parse(readFileSync(fixture('nmap-internal'), 'utf8')) as Report;
    writeFileSync(only, JSON.stringify({ ...report, targets: report.targets.filter((t) => t.verdict.status !== 'fail') }));
    const r = await runCli(['merge', only, fixture('ssllabs-public'), '--format', 'html', '-o', out]);
    expect(r.code).toBe(3);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Dataverse offers only these, so the handshake fails unless the server accepts one.');
    expect(html).toContain('Compliance by rule');
  });

  it('names the bad file and the JSON path in one line, exit 2, and writes nothing', async () => {
    const bad = join(dir, 'bad.json');
    const report = JSON.parse(readFileSync(fixture('ssllabs-public'), 'utf8')) as Report;
    (report.targets[1] as unknown as Record<string, unknown>).port = 'https';
    writeFileSync(bad, JSON.stringify(report));
    const out = join(dir, 'never.html');
    const r = await runCli(['merge', fixture('nmap-internal'), bad, '--format', 'html', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`Report ${bad} is not a tlsaudit report at /targets/1/port: must be integer.`);
    expect(readdirSync(dir)).not.toContain('never.html');
  });

  it('says which file is missing, exit 2', async () => {
    const r = await runCli(['merge', join(dir, 'missing.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.json: no such file');
  });
});

describe('tlsaudit diff', () => {
  it('exits 1 when a status got worse, and lists what changed', async () => {
    const r = await runCli(['diff', fixture('nmap-internal'), fixture('nmap-internal-q2')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('intranet.example.org:443 (198.51.100.40) [added]');
    expect(r.stdout).toContain('status: warn -> pass (better)');
    expect(r.stdout).toContain('1 added, 1 removed, 2 changed, 3 unchanged; 1 worse, 1 better.');
  });

  it('exits 0 when nothing got worse (removed targets are no regression), with JSON for machines', async () => {
    const report = JSON.parse(readFileSync(fixture('nmap-internal'), 'utf8')) as Report;
    const fewer = join(dir, 'fewer.json');
    writeFileSync(fewer, JSON.stringify({ ...report, targets: report.targets.filter((t) => t.verdict.status !== 'fail') }));
    const r = await runCli(['diff', fixture('nmap-internal'), fewer, '--format', 'json']);
    expect(r.code).toBe(0);
    const diff = JSON.parse(r.stdout) as { worsened: boolean; summary: { worse: number; removed: number } };
    expect(diff.worsened).toBe(false);
    expect(diff.summary).toMatchObject({ worse: 0, removed: 2 });
  });

  it('reports no changes between a report and itself', async () => {
    const r = await runCli(['diff', fixture('nmap-internal'), fixture('nmap-internal'), '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes.');
  });

  it('exits 2 on unreadable input or a bad format', async () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '<xml/>');
    const r = await runCli(['diff', notJson, fixture('nmap-internal')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tlsaudit: Report .*not\.json is not valid JSON: /);
    const f = await runCli(['diff', fixture('nmap-internal'), fixture('nmap-internal'), '--format', 'html']);
    expect(f.code).toBe(2);
  });
});
