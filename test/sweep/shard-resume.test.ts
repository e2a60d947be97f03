import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { ResumeLog } from '../../src/sweep/resume-log.js';
import { makeTestCerts, type TestCerts } from '../helpers/openssl-server.js';
import { closedPort } from '../helpers/misbehaving-servers.js';
import { runCli } from '../helpers/run-cli.js';

const ENTRY = fileURLToPath(new URL('../adapters/probe/cli-entry.ts', import.meta.url));
const cli = (args: string[]) => runCli(args, { entry: ENTRY, env: { SSLLABS_EMAIL: undefined, SSLLABS_API_URL: undefined } });

/** A report without what differs between two runs of the same sweep: times and durations. */
function comparable(report: Report): unknown {
  return JSON.parse(
    JSON.stringify(report, (key, value: unknown) => {
      if (key === 'observedAt' || key === 'generatedAt' || key === 'checkedAt') return undefined;
      if (typeof value === 'string') return value.replace(/ in \d+\.\d+ s$/, ' in N s');
      return value;
    }),
  );
}

/** node:tls servers with different settings, so each target's verdict is its own. */
const SETTINGS = [
  { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' },
  { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' },
  { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384' },
  { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' },
  { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' },
  { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256' },
] as const;

describe('--shard and --resume', () => {
  let certs: TestCerts;
  let dir: string;
  const servers: Server[] = [];
  let list: string;
  let whole: Report;

  beforeAll(async () => {
    certs = await makeTestCerts();
    dir = await mkdtemp(join(tmpdir(), 'tlsaudit-sweep-'));
    const key = readFileSync(certs.rsa.key);
    const cert = readFileSync(certs.rsa.cert);
    const ports: number[] = [];
    for (const s of SETTINGS) {
      const server = createServer({ key, cert, ...s }, (socket) => socket.end());
      server.on('tlsClientError', () => {});
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      ports.push((server.address() as AddressInfo).port);
    }
    ports.push(await closedPort());
    list = join(dir, 'fleet.txt');
    // Names and addresses mixed, so the key (not the spelling) decides the shard.
    await writeFile(list, ports.map((p, i) => (i % 2 ? `127.0.0.1:${p}` : `localhost:${p}=127.0.0.1`)).join('\n') + '\n');
    const r = await cli(['probe', '-iL', list, '--format', 'json', '--timeout', '15s']);
    // One server offers only a suite the policy does not approve: exit 1 (a failure outranks the error).
    expect(r.code).toBe(1);
    whole = JSON.parse(r.stdout) as Report;
    expect(whole.targets).toHaveLength(7);
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await certs?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('three shards, merged, equal the unsharded run apart from times', async () => {
    const files: string[] = [];
    for (let k = 1; k <= 3; k++) {
      const out = join(dir, `shard${k}.json`);
      const r = await cli(['probe', '-iL', list, '--shard', `${k}/3`, '--format', 'json', '-o', out, '--timeout', '15s']);
      expect(r.stderr).toMatch(new RegExp(`Shard ${k}/3: \\d+ target\\(s\\) here, \\d+ left to the other shards`));
      files.push(out);
    }
    const shards = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as Report));
    expect(shards.map((s) => s.targets.length).reduce((a, b) => a + b)).toBe(7);
    const wholeFile = join(dir, 'whole.json');
    await writeFile(wholeFile, JSON.stringify(whole));
    const merged = await cli(['merge', ...files, '--format', 'json']);
    const mergedWhole = await cli(['merge', wholeFile, '--format', 'json']);
    expect(merged.code).toBe(1);
    expect(comparable(JSON.parse(merged.stdout) as Report)).toEqual(comparable(JSON.parse(mergedWhole.stdout) as Report));
  });

  it('a run killed half-way goes on with the same --resume file; the report equals an uninterrupted one', async () => {
    const resume = join(dir, 'sweep.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'probe', '-iL', list, '--resume', resume, '--concurrency', '1', '--format', 'json', '--timeout', '15s'], {
      stdio: 'ignore',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Killed (no chance to clean up) once some targets are recorded and before all are.
    for (;;) {
      const text = await readFile(resume, 'utf8').catch(() => '');
      if (text.split('\n').filter(Boolean).length >= 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const recorded = (await readFile(resume, 'utf8')).split('\n').filter(Boolean);
    expect(recorded.length).toBeGreaterThanOrEqual(2);
    expect(recorded.length).toBeLessThan(7);
    // A half-written last line, as a kill in mid-write leaves, is dropped and its target probed again.
    await writeFile(resume, `${recorded.join('\n')}\n{"key":"127.0.0.1 1`, { flag: 'w' });

    const r = await cli(['probe', '-iL', list, '--resume', resume, '--format', 'json', '--timeout', '15s']);
    expect(r.code).toBe(1);
    const resumed = JSON.parse(r.stdout) as Report;
    expect(comparable(resumed)).toEqual(comparable(whole));
    // The finished targets were not probed again: their observations are the first run's, to the millisecond.
    const first = JSON.parse(recorded[0]!) as { observations: { host: string; port: number; runs: { observedAt: string }[] }[] };
    const again = resumed.targets.find((t) => t.port === first.observations[0]!.port)!;
    expect(again.runs?.[0]?.observedAt).toBe(first.observations[0]!.runs[0]!.observedAt);
    const log = ResumeLog.open(resume);
    expect(log.finished).toBe(7);
    log.close();
  });

  it('refuses a file that is not a resume file, naming its line', async () => {
    const other = join(dir, 'not-resume.jsonl');
    await writeFile(other, '{"key":"a","observations":[]}\nhello\n');
    const r = await cli(['probe', '127.0.0.1:1', '--resume', other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not-resume.jsonl:2 is not a JSON line of a tlsaudit resume file/);
  });
});
