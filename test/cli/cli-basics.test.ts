import { mkdtempSync, writeFileSync } from 'node:fs';
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
    expect(JSON.parse(show.stdout).rules).toHaveLength(4);
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
