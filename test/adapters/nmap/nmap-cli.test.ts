/** `tlsaudit nmap` end to end: the built CLI as a user runs it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateReport } from '../../../src/report/index.js';
import { runCli } from '../../helpers/run-cli.js';

const F = 'fixtures/nmap/';
const sample = readFileSync(new URL(`../../../${F}sample.xml`, import.meta.url));

describe('tlsaudit nmap', () => {
  it('audits the bundled sample: table, one row per TLS port, exit 1 because targets fail; http/80 counted as skipped', async () => {
    const r = await runCli(['nmap', `${F}sample.xml`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/7 targets: 3 pass, 2 warn, 2 fail, 0 error; 1 open port skipped \(no TLS service\)/);
    expect(r.stdout).toContain('mail.example.com');
  });

  it('reads stdin when no file is given, and with -', async () => {
    for (const args of [['nmap'], ['nmap', '-']]) {
      const r = await runCli([...args, '--format', 'json'], { stdin: sample });
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout);
      expect(() => validateReport(report, 'stdout')).not.toThrow();
      expect(report.summary).toEqual({ pass: 3, warn: 2, fail: 2, error: 0 });
      expect(report.skipped).toEqual([expect.objectContaining({ host: 'www.example.com', address: '127.0.0.10', port: 80, service: 'http' })]);
      expect(report.targets[0].sources).toEqual(['nmap']);
      expect(report.targets[1].protocols[0].ciphers[0].evidence[0]).toMatchObject({ source: 'nmap', origin: 'stdin', strength: 'A' });
    }
  });

  it('exit 0 for a compliant server, warnings allowed; --strict makes warnings fail', async () => {
    expect((await runCli(['nmap', `${F}tls12-approved.xml`])).code).toBe(0);
    expect((await runCli(['nmap', `${F}approved-plus-tls10.xml`])).code).toBe(0);
    expect((await runCli(['nmap', `${F}approved-plus-tls10.xml`, '--strict'])).code).toBe(1);
  });

  it('several files in one run', async () => {
    const r = await runCli(['nmap', `${F}tls12-approved.xml`, `${F}ecdsa-modern.xml`, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).targets.map((t: { port: number }) => t.port)).toHaveLength(2);
  });

  it('a cut-off file: complete hosts reported, notice on stderr, non-zero exit', async () => {
    const r = await runCli(['nmap', `${F}cut-off.xml`, '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.targets).toHaveLength(3);
    expect(report.skipped.map((s: { port: number }) => s.port)).toEqual([80]);
    expect(r.stderr).toMatch(/cut-off\.xml is incomplete: it ends before <\/nmaprun>/);
    expect(report.notices).toEqual([expect.stringMatching(/is incomplete/)]);
    // None of its complete hosts fails, but the input is incomplete: 3.
    expect(r.code).toBe(3);
  });

  it('a cut-off file whose complete hosts include a failure exits 1', async () => {
    const cut = sample.toString('utf8');
    const r = await runCli(['nmap'], { stdin: cut.slice(0, cut.indexOf('<host ', cut.indexOf('legacy.example.net') + 1) + 30) });
    expect(r.stderr).toMatch(/stdin is incomplete/);
    expect(r.code).toBe(1);
  });

  it.each([
    ['empty input', `${F}empty.xml`, `tlsaudit: ${F}empty.xml is empty: expected nmap XML output (nmap -oX FILE, or -oX - to pipe it).\n`],
    ['non-XML', `${F}not-xml.txt`, `tlsaudit: ${F}not-xml.txt is not XML: expected nmap XML output (nmap -oX FILE, or -oX - to pipe it).\n`],
    [
      'no ssl-enum-ciphers',
      `${F}no-ssl-enum-ciphers.xml`,
      `tlsaudit: ${F}no-ssl-enum-ciphers.xml has no ssl-enum-ciphers results (1 host scanned); run nmap with the script, e.g. nmap -p 443 --script ssl-enum-ciphers -oX - HOST\n`,
    ],
    ['a missing file', 'nope.xml', 'tlsaudit: Cannot read nope.xml: no such file.\n'],
  ])('%s: exit 2 with one line on stderr', async (_what, file, stderr) => {
    const r = await runCli(['nmap', file]);
    expect(r).toEqual({ code: 2, stdout: '', stderr });
  });

  it('one unreadable file among good ones: the rest is reported, a notice names it, exit at least 3', async () => {
    const r = await runCli(['nmap', `${F}tls12-approved.xml`, `${F}empty.xml`, '--format', 'json']);
    expect(JSON.parse(r.stdout).targets).toHaveLength(1);
    expect(r.stderr).toContain('empty.xml is empty');
    expect(r.code).toBe(3);
  });

  it('billion laughs: finishes and reports without expanding anything', async () => {
    const r = await runCli(['nmap', `${F}billion-laughs.xml`, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeLessThan(20_000);
    expect(r.stderr).toContain('not expanded');
  });

  it('help shows usage and examples', async () => {
    const r = await runCli(['nmap', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: tlsaudit nmap [options] [files...]');
    expect(r.stdout).toContain('nmap -p 443 --script ssl-enum-ciphers -oX - mail.example.org | tlsaudit nmap');
    expect(r.stdout).toContain('--policy');
  });
});
