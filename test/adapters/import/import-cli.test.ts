/**
 * `tlsaudit import` as a user runs it: files, folders, stdin, --from, and the one-line errors and exit
 * statuses of the contract.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../src/index.js';
import { runCli } from '../../helpers/run-cli.js';

const json = (stdout: string) => JSON.parse(stdout) as Report;

describe('tlsaudit import', () => {
  it('a folder is every file in it, one merged target seen by each tool', async () => {
    const r = await runCli(['import', 'fixtures/import/approved-plus-tls10', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = json(r.stdout);
    expect(report.targets).toHaveLength(1);
    expect(report.targets[0]!.sources).toEqual(['nmap', 'testssl', 'sslscan']);
    expect(report.targets[0]!.verdict.status).toBe('warn');
  });

  it('mixed folders and files give one report; a failing target makes the exit status 1', async () => {
    const r = await runCli(['import', 'fixtures/import/tls12-approved', 'fixtures/import/plain-rsa/sslscan.xml', 'fixtures/sslyze/defectdojo-two-targets-3.0.7.json', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = json(r.stdout);
    expect(report.summary).toEqual({ pass: 2, warn: 1, fail: 1, error: 0 });
  });

  it('a folder stands for every file below it: each server one target, seen by every tool that scanned it', async () => {
    const r = await runCli(['import', 'fixtures/import', '--format', 'json']);
    const report = json(r.stdout);
    // Six recorded servers, each scanned by nmap, sslscan and testssl.sh.
    expect(report.targets).toHaveLength(6);
    for (const t of report.targets) expect([...t.sources].sort()).toEqual(['nmap', 'sslscan', 'testssl']);
  });

  it('reads stdin and tells its kind from the content', async () => {
    // TLS 1.3 only: Dataverse's 2024-12-02 revision accepts it, the 2021 one fails it.
    const r = await runCli(['import', '--format', 'json', '--policy', 'dataverse-2021'], { stdin: readFileSync('fixtures/import/tls13-only/testssl.csv') });
    expect(r.code).toBe(1);
    expect(json(r.stdout).targets[0]!.sources).toEqual(['testssl']);
  });

  it('a file of no kind it reads is one line naming the file and the kinds tried, exit 2', async () => {
    const r = await runCli(['import', 'fixtures/nmap/not-xml.txt']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'tlsaudit: fixtures/nmap/not-xml.txt is none of the kinds tlsaudit imports (tried nmap XML, SSL Labs JSON, testssl.sh JSON, testssl.sh CSV, sslyze JSON, sslscan XML, tlsaudit JSON report); give --from KIND if it is one of them.\n',
    );
  });

  it('--from forces a kind; the wrong one is a one-line error', async () => {
    const r = await runCli(['import', '--from', 'sslscan', 'fixtures/import/tls13-only/testssl.json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tlsaudit: fixtures\/import\/tls13-only\/testssl\.json is not well-formed XML|is not sslscan XML/);
  });

  it('one unreadable file among good ones is a notice and exit 3; what was read is reported', async () => {
    const r = await runCli(['import', 'fixtures/import/tls12-approved/sslscan.xml', 'no-such-file.json', '--format', 'json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('tlsaudit: Cannot read no-such-file.json: no such file.\n');
    expect(json(r.stdout).targets).toHaveLength(1);
  });

  it('a target the tool could not reach is an error target: exit 3', async () => {
    const r = await runCli(['import', 'fixtures/testssl/defectdojo-failed-target.csv']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('ERROR');
  });

  it('a tlsaudit report is read back as its observations, judged again', async () => {
    const first = await runCli(['import', 'fixtures/import/tls10-11', '--format', 'json']);
    const again = await runCli(['import', '-', '--format', 'json'], { stdin: first.stdout });
    expect(again.code).toBe(1);
    const strip = (r: Report) => ({ ...r, generatedAt: undefined });
    expect(strip(json(again.stdout))).toEqual(strip(json(first.stdout)));
  });

  it('a damaged file alone is a one-line error without a stack, exit 2', async () => {
    const text = readFileSync('fixtures/sslyze/defectdojo-zero-vuln-5.0.2.json', 'utf8').slice(0, 5000);
    const r = await runCli(['import', '-'], { stdin: text });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tlsaudit: stdin is not JSON: [^\n]*\n$/);
  });
});
