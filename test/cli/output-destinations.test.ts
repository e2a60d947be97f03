/**
 * Where `-o` and stdout write, as root in CI would run it: devices, FIFOs, sockets, /proc/self/fd/1 and
 * symlinks are written through or followed, never replaced; a directory that cannot take the report is
 * refused before any work; write errors exit non-zero with one line; a reader that stops early (`| head`)
 * does not change the exit status.
 */
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, lstatSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutput, outputTarget } from '../../src/cli/output.js';
import { makeNmapScan } from '../../bench/make-nmap-scan.js';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-out-'));
const SAMPLE = 'fixtures/nmap/sample.xml';

describe('how -o decides to write', () => {
  it('writes devices and /dev/stdout through, and replaces only regular files and new paths', () => {
    expect(outputTarget('/dev/null')).toMatchObject({ kind: 'through', path: '/dev/null' });
    expect(outputTarget('/dev/stdout')).toEqual({ kind: 'descriptor', fd: 1 });
    expect(outputTarget('/proc/self/fd/2')).toEqual({ kind: 'descriptor', fd: 2 });
    expect(outputTarget('/dev/full')).toMatchObject({ kind: 'through' });
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    expect(outputTarget(file)).toEqual({ kind: 'replace', path: file });
    expect(outputTarget(join(dir, 'new.txt'))).toEqual({ kind: 'replace', path: join(dir, 'new.txt') });
  });

  it('refuses a directory, and a new file in a missing or unwritable place, before anything is written', () => {
    expect(() => checkOutput(dir)).toThrow(/is a directory/);
    expect(() => checkOutput(join(dir, 'missing', 'dir', 'r.html'))).toThrow(/ENOENT: the directory .*missing\/dir does not exist/);
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(() => checkOutput(join(file, 'r.html'))).toThrow(/ENOTDIR/);
    expect(() => checkOutput(join(dir, 'ok.html'))).not.toThrow();
    expect(() => checkOutput('-')).not.toThrow();
  });
});

describe('-o through the CLI', () => {
  it('writes into a FIFO and leaves it a FIFO', async () => {
    const fifo = join(dir, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = createReadStream(fifo, 'utf8');
    let text = '';
    reader.on('data', (d) => (text += String(d)));
    const closed = once(reader, 'close');
    const r = await runCli(['nmap', SAMPLE, '--format', 'json', '-o', fifo]);
    await closed;
    // The one line that says where the report went, and nothing else.
    expect(r.stderr).toBe(`7 targets: 3 pass, 2 warn, 2 fail, 0 error; 1 skipped -> ${fifo}\n`);
    expect(r.code).toBe(1);
    expect(JSON.parse(text).schemaVersion).toBe(1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('writes into a Unix socket that listens there', async () => {
    const path = join(dir, 'report.sock');
    let text = '';
    const server = createNetServer((s) => s.setEncoding('utf8').on('data', (d: string) => (text += d)));
    server.listen(path);
    await once(server, 'listening');
    try {
      const r = await runCli(['nmap', SAMPLE, '--format', 'csv', '-o', path]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`7 targets: 3 pass, 2 warn, 2 fail, 0 error; 1 skipped -> ${path}\n`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(text).toMatch(/^host,address,port/);
      expect(lstatSync(path).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });

  it('-o /proc/self/fd/1 prints the report on stdout', async () => {
    const r = await runCli(['nmap', SAMPLE, '--format', 'csv', '-o', '/proc/self/fd/1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^host,address,port/);
  });

  it('follows a symlink and replaces its target, keeping the link', async () => {
    const real = join(dir, 'real.csv');
    const link = join(dir, 'link.csv');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    const r = await runCli(['nmap', SAMPLE, '--format', 'csv', '-o', link]);
    expect(r.code).toBe(1);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toMatch(/^host,address,port/);
  });

  it('creates the file a dangling symlink points to, keeping the link', async () => {
    const link = join(dir, 'dangling.md');
    symlinkSync('made-by-link.md', link);
    const r = await runCli(['nmap', SAMPLE, '--format', 'markdown', '-o', link]);
    expect(r.code).toBe(1);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(statSync(join(dir, 'made-by-link.md')).isFile()).toBe(true);
  });

  it('checks -o before the scan: a probe to a missing directory connects nowhere and exits 2', async () => {
    let connections = 0;
    const server = createNetServer((s) => {
      connections++;
      s.destroy();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const r = await runCli(['probe', `127.0.0.1:${port}`, '-o', join(dir, 'missing', 'dir', 'r.html')]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^tlsaudit: Cannot write the report to .*missing\/dir\/r\.html: ENOENT/);
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });
});

/** Runs the CLI with stdout redirected to a file or device opened by the shell. */
function runTo(args: readonly string[], stdoutPath: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `exec "$0" "$@" > ${stdoutPath}`, process.execPath, BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('write errors', () => {
  for (const args of [
    ['policy', 'list'],
    ['policy', 'list', '--json'],
    ['policy', 'show', 'dataverse'],
    ['nmap', SAMPLE],
    ['nmap', SAMPLE, '--format', 'json'],
    ['explain', 'fixtures/reports/nmap-internal.json'],
  ]) {
    it(`${args.join(' ')} > /dev/full exits 2 with one line`, async () => {
      const r = await runTo(args, '/dev/full');
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^tlsaudit: Cannot write the report to standard output: ENOSPC/);
    });
  }

  it('-o /dev/full during a streamed JSON report: exit 2, the error printed once', async () => {
    const r = await runCli(['nmap', SAMPLE, '--format', 'json', '-o', '/dev/full']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['tlsaudit: Cannot write the report to /dev/full: ENOSPC: no space left on device, write.']);
  });
});

describe('a reader that stops early', () => {
  const big = makeNmapScan(join(dir, 'big.xml'), 1);
  afterAll(async () => {
    await big;
  });

  it('does not change the exit status: the verdicts still decide it', async () => {
    const { path } = await big;
    const child = spawn(process.execPath, [BIN, 'nmap', path, '--format', 'json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // Like `| head -c 100`: read a little, then close the pipe while the report is still being written.
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = (await once(child, 'close')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });
});
