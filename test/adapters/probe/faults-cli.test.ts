import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../src/model/report.js';
import { schemaValidator } from '../../../src/schema/json-validator.js';
import { startFaultRelay, type FaultRelay } from '../../helpers/fault-relay.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../../helpers/openssl-server.js';
import { ROOT, type CliResult } from '../../helpers/run-cli.js';

const ENTRY = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));
const ENV = { ...process.env, NO_COLOR: '1', SSLLABS_EMAIL: '', SSLLABS_API_URL: '' };

/** Runs the CLI from source; `onStart` gets the child (to signal it). `shell` wraps it in `sh -c` (for ulimit). */
function cli(args: string[], options: { onStart?: (kill: (signal: NodeJS.Signals) => void) => void; shellPrefix?: string } = {}): Promise<CliResult> {
  const node = [process.execPath, '--import', 'tsx', ENTRY, ...args];
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const child = options.shellPrefix
    ? spawn('sh', ['-c', `${options.shellPrefix} && exec ${node.map(quote).join(' ')}`], { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(node[0]!, node.slice(1), { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  options.onStart?.((signal) => child.kill(signal));
  return outcome(child);
}

/** What a child process printed, and its exit status, once it has ended. */
function outcome(child: ChildProcessByStdio<null, Readable, Readable>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tlsaudit probe under faults, from the command line', () => {
  let certs: TestCerts;
  let server: OpenSslServer;
  const relays: FaultRelay[] = [];
  const tlsServers: TlsServer[] = [];

  beforeAll(async () => {
    certs = await makeTestCerts();
    server = await startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1.2', 'TLSv1.3'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA' });
  });
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.close()));
    await Promise.all(tlsServers.map((s) => new Promise((resolve) => s.close(resolve))));
    await server?.stop();
    await certs?.cleanup();
  });

  it('Ctrl-C: the target half-way is an error with what it saw, the unstarted one is "not started", exit 3', async () => {
    let interrupt: (signal: NodeJS.Signals) => void = () => undefined;
    // The first connections are answered; at the ninth the run gets SIGINT and every later hello meets silence,
    // so the enumeration cannot have finished by itself.
    const first = await startFaultRelay(server.port, (o) => {
      if (o.connection === 9) interrupt('SIGINT');
      return o.connection < 9 ? 'pass' : 'silence';
    });
    const second = await startFaultRelay(server.port, () => 'pass');
    relays.push(first, second);
    const r = await cli(['probe', '--format', 'json', '--concurrency', '1', '--timeout', '30000', `127.0.0.1:${first.port}`, `127.0.0.1:${second.port}`], {
      onStart: (kill) => (interrupt = kill),
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/interrupted: finishing the report/);
    const report = JSON.parse(r.stdout) as Report;
    expect(schemaValidator('report')(report)).toBe(true);
    expect(report.targets.map((t) => t.port)).toEqual([first.port, second.port]);
    const [half, unstarted] = report.targets as [Report['targets'][0], Report['targets'][0]];
    expect(half.verdict.status).toBe('error');
    expect(half.error).toMatch(/interrupted before the enumeration finished/);
    expect(half.verdict.findings[0]!.message).toMatch(/interrupted before the enumeration finished/);
    expect(half.protocols.length).toBeGreaterThan(0);
    expect(unstarted.verdict.status).toBe('error');
    expect(unstarted.error).toMatch(/not started/);
    expect(second.connections).toBe(0);
    expect(report.summary).toEqual({ pass: 0, warn: 0, fail: 0, error: 2 });
    expect(report.notices?.join(' ')).toMatch(/Interrupted: 2 target\(s\) not assessed/);
  }, 60_000);

  /** Many small node:tls servers, one port each: TLS 1.2 and 1.3, one TLS 1.2 suite (Dataverse: pass). */
  let ports: number[] | undefined;
  async function manyServers(): Promise<number[]> {
    if (ports) return ports;
    const [cert, key] = await Promise.all([readFile(certs.rsa.cert), readFile(certs.rsa.key)]);
    ports = [];
    for (let i = 0; i < 64; i++) {
      const s = createTlsServer({ cert, key, minVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }, (socket) => socket.end());
      s.on('tlsClientError', () => undefined);
      tlsServers.push(s);
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
      ports.push((s.address() as AddressInfo).port);
    }
    return ports;
  }

  it('out of file descriptors (ulimit -n 64, 64 targets at once through the library): waited out, never blamed on the server', async () => {
    const targets = (await manyServers()).map((p) => `127.0.0.1:${p}`);
    const script = `
      import { probe } from './src/adapters/probe/index.ts';
      const targets = ${JSON.stringify(targets)};
      const all = await Promise.all(targets.map((t) => probe(t, { timeout: 20000 })));
      process.stdout.write(JSON.stringify(all.map((o) => ({ error: o.error ?? null, protocols: o.protocols.map((p) => p.version), notes: o.runs[0].notes ?? [] }))));
    `;
    const r = await outcome(
      spawn('sh', ['-c', `ulimit -n 64 && exec '${process.execPath}' --import tsx --input-type=module -e "$SCRIPT"`], {
        cwd: ROOT,
        env: { ...ENV, SCRIPT: script },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    expect(r.stderr).toBe('');
    const results = JSON.parse(r.stdout) as Array<{ error: string | null; protocols: string[]; notes: string[] }>;
    expect(results).toHaveLength(64);
    for (const o of results) {
      expect(o.error).toBeNull();
      expect(o.protocols).toEqual(['TLSv1.2', 'TLSv1.3']);
    }
    // 64 targets with five sockets each cannot all be open under 64 descriptors: some had to wait.
    expect(results.some((o) => o.notes.some((n) => /waited \d+ times for this machine's resources/.test(n)))).toBe(true);
  }, 120_000);

  it('ulimit -n 256 with --concurrency 1000: concurrency fits the open-file limit and every working server is assessed', async () => {
    const ports = await manyServers();
    const r = await cli(['probe', '--format', 'json', '--concurrency', '1000', ...ports.map((p) => `127.0.0.1:${p}`)], { shellPrefix: 'ulimit -n 256' });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.targets).toHaveLength(64);
    for (const t of report.targets) {
      expect(t.error).toBeUndefined();
      expect(t.verdict.status).toBe('pass');
    }
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/concurrency lowered from 1000 to \d+: the open-file limit is 256/);
  }, 120_000);

  it('scan fits its concurrency to the open-file limit too', async () => {
    const ports = (await manyServers()).slice(0, 8);
    const r = await cli(['scan', '--format', 'json', '--concurrency', '1000', ...ports.map((p) => `127.0.0.1:${p}`)], { shellPrefix: 'ulimit -n 256' });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.targets.map((t) => t.verdict.status)).toEqual(ports.map(() => 'pass'));
    expect(r.stderr).toMatch(/concurrency lowered from 1000 to \d+: the open-file limit is 256/);
  }, 60_000);
});
