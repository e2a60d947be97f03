/**
 * Inputs an attacker (or a broken tool) can hand tlsaudit that once ended in "internal error" or in a
 * flood of output: each must end in one short line, or a short summary.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { observation, report } from '../helpers/report-factory.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-hostile-'));

describe('--sni and target names', () => {
  it('a 70,000-character --sni is a usage error in one short line', async () => {
    const r = await runCli(['probe', '127.0.0.1:1', '--sni', 'a'.repeat(70_000)]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.length).toBeLessThan(300);
    expect(r.stderr).toMatch(/--sni "a{40}\.\.\. \(70000 characters\)" is not a server name: a DNS name has at most 253 characters/);
    expect(r.stderr).not.toContain('internal error');
  });

  it('a label over 63 characters is a usage error', async () => {
    const r = await runCli(['probe', '127.0.0.1:1', '--sni', `${'b'.repeat(64)}.example.org`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a DNS label has at most 63 characters, one here has 64/);
  });

  it('253 characters in labels of 63 pass the check (the probe then meets a closed port)', async () => {
    const name = [63, 63, 63, 61].map((n) => 'c'.repeat(n)).join('.');
    expect(name).toHaveLength(253);
    const r = await runCli(['probe', '127.0.0.1:1', '--sni', name, '--timeout', '2000']);
    expect(r.stderr).not.toMatch(/not a server name/);
    expect(r.code).toBe(3);
  });

  it('a target name over 253 characters is a usage error naming its start and length', async () => {
    const r = await runCli(['probe', `${'d'.repeat(300)}:443`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"d{40}\.\.\. \(304 characters\)" is not a valid target: a DNS name has at most 253 characters, this one 300/);
  });
});

describe('explain with a target the report does not have', () => {
  it('names a few of the 5,000 targets and gives the count, in one short line', async () => {
    const file = join(dir, 'many.json');
    const observations = Array.from({ length: 5000 }, (_, i) => observation(`host${i}.example`, { error: 'Connection refused.' }));
    writeFileSync(file, JSON.stringify(report(observations)));
    const r = await runCli(['explain', file, 'unknown:1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.length).toBeLessThan(400);
    expect(r.stderr).toContain('it has 5000 targets: host0.example:443, host1.example:443');
    expect(r.stderr).toContain('and 4995 more.');
  });
});

describe('unknown suites by the thousand', () => {
  it('10,000 suite names nmap reports but tlsaudit does not know make one summarising line, not 10,000', async () => {
    const xml = readFileSync('fixtures/nmap/tls12-approved.xml', 'utf8');
    const unknown = Array.from({ length: 10_000 }, (_, i) => `<table>\n<elem key="name">TLS_MADE_UP_${i}</elem>\n<elem key="strength">A</elem>\n</table>\n`).join('');
    const file = join(dir, 'unknown-suites.xml');
    writeFileSync(file, xml.replace('<table key="ciphers">\n', `<table key="ciphers">\n${unknown}`));
    const r = await runCli(['nmap', file, '--format', 'json']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/nmap named 10000 suites tlsaudit does not know, "TLS_MADE_UP_0" \(TLSv1\.2, strength A\), .* and 9995 more; they are not judged$/);
    expect(JSON.parse(r.stdout).targets[0].verdict.status).toBe('pass');
  });

  it('thousands of notices print the first twenty and a count', async () => {
    const xml = readFileSync('fixtures/nmap/tls12-approved.xml', 'utf8');
    const start = xml.indexOf('<host ');
    const end = xml.lastIndexOf('</host>') + '</host>'.length;
    const host = xml.slice(start, end).replace('<table key="ciphers">\n', '<table key="ciphers">\n<table>\n<elem key="name">TLS_MADE_UP</elem>\n</table>\n');
    const hosts = Array.from({ length: 500 }, (_, i) => host.replace(/portid="\d+"/, `portid="${i + 1}"`)).join('\n');
    const file = join(dir, 'many-notices.xml');
    writeFileSync(file, xml.slice(0, start) + hosts + xml.slice(end));
    const r = await runCli(['nmap', file, '--format', 'json']);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('tlsaudit: ... and 480 more notices (the JSON report lists every one).');
    expect(JSON.parse(r.stdout).notices).toHaveLength(500);
  });
});
