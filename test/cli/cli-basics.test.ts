import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-cli-'));

describe('the CLI shell', () => {
  it('prints help with examples and exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit status:');
  });

  it('treats an unknown option as a usage error: exit 2, one line on stderr', async () => {
    const r = await runCli(['--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--no-such-option'/);
    expect(r.stdout).toBe('');
  });

  it('lists and shows the built-in policies', async () => {
    const list = await runCli(['policy', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^dataverse\s+Microsoft Dataverse/m);
    const show = await runCli(['policy', 'show', 'dataverse', '--json']);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout).rules).toHaveLength(5);
  });

  it('explains a bad policy file in one line naming the file and the path, exit 2, no stack', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, id: 'x', name: 'x', rules: [{ id: 'r', type: 'require-protocol', protocol: 'TLS 1.2', severity: 'fail', message: 'm' }] }));
    const r = await runCli(['policy', 'check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('/rules/0/protocol');
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});

describe('writing the report', () => {
  it('names the output file in one line when it cannot be written, exit 2, nothing left behind', async () => {
    const target = join(dir, 'no-such-dir', 'report.json');
    const r = await runCli(['nmap', 'fixtures/nmap/sample.xml', '--format', 'json', '-o', target]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tlsaudit: Cannot write the report to .*no-such-dir\/report\.json: ENOENT/);
  });

  it('writes -o atomically: the file appears complete, with no temporary file beside it', async () => {
    const target = join(dir, 'report.md');
    const r = await runCli(['nmap', 'fixtures/nmap/sample.xml', '--format', 'markdown', '-o', target]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(readFileSync(target, 'utf8')).toMatch(/^# TLS audit report/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('shows control characters from the input on stderr instead of sending them to the terminal', async () => {
    const r = await runCli(['nmap', 'fixtures/nmap/sample.xml', 'no-such-\x1b[2J-file.xml']);
    expect(r.stderr).toContain('no-such-\\x1B[2J-file.xml');
    expect(r.stderr).not.toContain('\x1b');
  });
});
