import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import type { Report } from '../../src/model/report.js';
import { parseTargetText } from '../../src/targets/index.js';
import { targetsOfLine } from '../../src/cli/target-input.js';
import { makeTestCerts, type TestCerts } from '../helpers/openssl-server.js';
import { BIN, ROOT } from '../helpers/run-cli.js';

const run = promisify(execFile);
const EXAMPLES = `${ROOT}docs/examples/`;

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes and Actions documents are checked field by field below. */
const k8s = parseAllDocuments(readFileSync(`${EXAMPLES}tlsaudit-indexed-job.yaml`, 'utf8')).map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJS() as any;
});
const workflow = parse(readFileSync(`${EXAMPLES}tlsaudit-sweep.yml`, 'utf8')) as any;
const sweepJob = k8s.find((d) => d.kind === 'Job' && d.spec.completionMode === 'Indexed');
const mergeJob = k8s.find((d) => d.kind === 'Job' && d !== sweepJob);
const envOf = (container: any) => Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]));

describe('the Kubernetes Indexed Job example', () => {
  it('is a ConfigMap of valid targets, a volume, an Indexed Job of N shards and a merge Job', () => {
    expect(k8s.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual(['v1 ConfigMap', 'v1 PersistentVolumeClaim', 'batch/v1 Job', 'batch/v1 Job']);
    const shards = Number(envOf(sweepJob.spec.template.spec.containers[0]).SHARDS);
    expect(sweepJob.spec.completions).toBe(shards);
    expect(sweepJob.spec.parallelism).toBe(shards);
    const list = k8s[0].data['targets.txt'] as string;
    for (const line of list.split('\n')) for (const t of targetsOfLine(line)) expect(() => parseTargetText(t)).not.toThrow();
    const mounts = (job: any) => job.spec.template.spec.containers[0].volumeMounts.map((m: any) => m.mountPath);
    expect(mounts(sweepJob)).toContain(envOf(sweepJob.spec.template.spec.containers[0]).DATA);
    expect(mounts(mergeJob)).toContain(envOf(mergeJob.spec.template.spec.containers[0]).DATA);
  });
});

describe('the GitHub Actions matrix example', () => {
  it('runs one job per shard 1..N and a merge job after them', () => {
    const shards = Number(workflow.jobs.shard.env.SHARDS);
    expect(workflow.jobs.shard.strategy.matrix.shard).toEqual(Array.from({ length: shards }, (_, i) => i + 1));
    const step = workflow.jobs.shard.steps.find((s: any) => String(s.run ?? '').includes('--shard'));
    expect(step.run).toContain('--shard "${{ matrix.shard }}/$SHARDS"');
    expect(workflow.jobs.merge.needs).toBe('shard');
    const download = workflow.jobs.merge.steps.find((s: any) => String(s.uses ?? '').startsWith('actions/download-artifact'));
    expect(download.with.pattern).toBe('shard-*');
  });
});

describe('the Indexed Job scripts, run here against loopback servers', () => {
  let certs: TestCerts;
  let dir: string;
  const servers: Server[] = [];

  beforeAll(async () => {
    certs = await makeTestCerts();
    dir = await mkdtemp(join(tmpdir(), 'tlsaudit-k8s-'));
    const key = readFileSync(certs.rsa.key);
    const cert = readFileSync(certs.rsa.cert);
    for (const ciphers of ['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305']) {
      const server = createServer({ key, cert, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers }, (s) => s.end());
      server.on('tlsClientError', () => {});
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await certs?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('every shard pod, then the merge pod, give the audit an unsharded run gives', async () => {
    const targets = join(dir, 'targets.txt');
    const ports = servers.map((s) => (s.address() as AddressInfo).port);
    await writeFile(targets, `# loopback fleet\n${ports.map((p) => `127.0.0.1:${p}`).join('\n')}\nlocalhost:${ports[0]}=127.0.0.1\n`);
    const bin = join(dir, 'bin');
    await run('mkdir', ['-p', bin, join(dir, 'data')]);
    // The image's `tlsaudit` on PATH, here the built CLI.
    await writeFile(join(bin, 'tlsaudit'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    await chmod(join(bin, 'tlsaudit'), 0o755);
    const sweepContainer = sweepJob.spec.template.spec.containers[0];
    const shards = Number(envOf(sweepContainer).SHARDS);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, TARGETS: targets, DATA: join(dir, 'data'), SHARDS: String(shards) };
    for (let index = 0; index < shards; index++) {
      await run(sweepContainer.command[0], [...sweepContainer.command.slice(1), sweepContainer.args[0]], { env: { ...env, JOB_COMPLETION_INDEX: String(index) } });
    }
    const files = await readdir(join(dir, 'data'));
    expect(files.filter((f) => /^shard-\d+\.json$/.test(f))).toHaveLength(shards);
    expect(files.filter((f) => /^shard-\d+\.jsonl$/.test(f))).toHaveLength(shards);
    const mergeContainer = mergeJob.spec.template.spec.containers[0];
    await run(mergeContainer.command[0], [...mergeContainer.command.slice(1), mergeContainer.args[0]], { env });
    const audit = JSON.parse(await readFile(join(dir, 'data', 'audit.json'), 'utf8')) as Report;
    expect(await readFile(join(dir, 'data', 'audit.html'), 'utf8')).toContain('<html');

    const whole = join(dir, 'whole.json');
    await run(process.execPath, [BIN, 'probe', '-iL', targets, '--format', 'json', '-o', whole]).catch((e: { code: number }) => expect(e.code).toBe(1));
    const { stdout } = await run(process.execPath, [BIN, 'merge', whole, '--format', 'json']).catch((e: { stdout: string }) => e);
    // Times go; the chains of one merged server (asked as 127.0.0.1 and as localhost) are ordered by when
    // each was seen, which differs from run to run, so they are compared as a set.
    const strip = (r: Report) => {
      const targets = JSON.parse(JSON.stringify(r.targets, (k, v: unknown) => (k === 'observedAt' || k === 'checkedAt' ? undefined : typeof v === 'string' ? v.replace(/ in \d+\.\d+ s$/, '') : v))) as Report['targets'];
      for (const t of targets) t.certificates?.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      return targets;
    };
    expect(strip(audit)).toEqual(strip(JSON.parse(stdout) as Report));
    // merge joins on address and port: localhost=127.0.0.1 and 127.0.0.1 on the same port are one server.
    expect(audit.targets).toHaveLength(3);
  });
});
