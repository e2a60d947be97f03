/**
 * The native probe against nmap's ssl-enum-ciphers on the same local openssl s_server configurations,
 * in the same run: wall time (best of 3) and TCP connections, counted by a small proxy on loopback that
 * sits in front of each server and counts the connections it accepts, for both tools alike.
 * Also the floor: one connection per accepted suite per protocol plus one per protocol tried.
 *
 * Run alone: node --import tsx bench/probe.ts
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PROBE_PROTOCOLS, probeWithStats } from '../src/adapters/probe/index.js';
import type { TargetObservation } from '../src/model/target.js';
import { NMAP, nmapArgs } from '../test/helpers/nmap.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServerOptions, type TestCerts } from '../test/helpers/openssl-server.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Config {
  name: string;
  server: (certs: TestCerts) => OpenSslServerOptions;
}

const CONFIGS: Config[] = [
  { name: 'TLS 1.2, one approved suite', server: (c) => ({ cert: c.rsa, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }) },
  { name: 'plain RSA only, server order', server: (c) => ({ cert: c.rsa, protocols: ['TLSv1.2'], ciphers: 'kRSA', serverPreference: true }) },
  { name: 'TLS 1.0 + 1.1 only', server: (c) => ({ cert: c.rsa, protocols: ['TLSv1', 'TLSv1.1'] }) },
  { name: 'TLS 1.3 only', server: (c) => ({ cert: c.ecdsa, protocols: ['TLSv1.3'] }) },
  {
    name: 'approved + TLS 1.0, server order',
    server: (c) => ({ cert: c.rsa, protocols: ['TLSv1', 'TLSv1.2'], ciphers: 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA:AES128-SHA:DHE-RSA-AES128-GCM-SHA256', serverPreference: true }),
  },
  { name: 'every OpenSSL suite, TLS 1.0-1.3, server order', server: (c) => ({ cert: c.rsa, protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'], ciphers: 'ALL:@SECLEVEL=0', serverPreference: true }) },
];

/** A TCP relay on 127.0.0.1 that counts the connections it accepts. */
async function countingProxy(targetPort: number): Promise<{ port: number; count: () => number; reset: () => void; close: () => Promise<void> }> {
  let n = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    n++;
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    count: () => n,
    reset: () => (n = 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The CLI as a user runs it: the built one when dist/ exists, else through tsx. */
function cliCommand(): { cmd: string; args: string[]; label: string } {
  if (existsSync(`${ROOT}dist/cli/commands/probe.js`)) return { cmd: process.execPath, args: [`${ROOT}bin/tlsaudit`], label: 'node bin/tlsaudit (dist)' };
  return { cmd: process.execPath, args: ['--import', 'tsx', `${ROOT}bench/cli-entry.ts`], label: 'node --import tsx (no dist/)' };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export interface ProbeBenchRow {
  config: string;
  /** `tlsaudit probe` as a process, start-up included. */
  probeMs: number;
  /** probe() in this process: the probing alone. */
  libraryMs: number;
  nmapMs: number;
  probeConnections: number;
  nmapConnections: number;
  floor: number;
  suites: number;
}

export async function runProbeBench(repeats = 3): Promise<ProbeBenchRow[]> {
  const certs = await makeTestCerts();
  const cli = cliCommand();
  console.log(`probe: ${cli.label}; nmap: ${NMAP} --script +ssl-enum-ciphers; best of ${repeats}; connections counted by a loopback proxy`);
  const rows: ProbeBenchRow[] = [];
  try {
    for (const config of CONFIGS) {
      const server = await startOpenSslServer(config.server(certs));
      const proxy = await countingProxy(server.port);
      try {
        let best = { probeMs: Infinity, libraryMs: Infinity, nmapMs: Infinity, probeConnections: 0, nmapConnections: 0 };
        let observation: TargetObservation | undefined;
        for (let i = 0; i < repeats; i++) {
          proxy.reset();
          const p = await timed(() => run(cli.cmd, [...cli.args, 'probe', `127.0.0.1:${proxy.port}`, '--format', 'json'], { maxBuffer: 64 << 20 }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' })));
          const probeConnections = proxy.count();
          observation = (JSON.parse(p.value.stdout) as { targets: TargetObservation[] }).targets[0];
          proxy.reset();
          const n = await timed(() => run(NMAP, nmapArgs({ ports: [proxy.port] }), { maxBuffer: 64 << 20 }));
          const nmapConnections = proxy.count();
          const lib = await probeWithStats(`127.0.0.1:${server.port}`);
          if (lib.stats.durationMs < best.libraryMs) best = { ...best, libraryMs: lib.stats.durationMs };
          if (p.ms < best.probeMs) best = { ...best, probeMs: p.ms, probeConnections };
          if (n.ms < best.nmapMs) best = { ...best, nmapMs: n.ms, nmapConnections };
        }
        const suites = observation?.protocols.reduce((sum, pr) => sum + pr.ciphers.length, 0) ?? 0;
        const floor = suites + PROBE_PROTOCOLS.length;
        rows.push({ config: config.name, ...best, floor, suites });
      } finally {
        await proxy.close();
        await server.stop();
      }
    }
  } finally {
    await certs.cleanup();
  }
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(`${'configuration'.padEnd(48)} ${pad('suites', 6)} ${pad('probe ms', 9)} ${pad('lib ms', 7)} ${pad('nmap ms', 8)} ${pad('time', 6)} ${pad('probe conn', 10)} ${pad('nmap conn', 9)} ${pad('floor', 6)} ${pad('probe/floor', 11)}`);
  for (const r of rows) {
    console.log(
      `${r.config.padEnd(48)} ${pad(r.suites, 6)} ${pad(r.probeMs.toFixed(0), 9)} ${pad(r.libraryMs.toFixed(0), 7)} ${pad(r.nmapMs.toFixed(0), 8)} ${pad((r.probeMs / r.nmapMs).toFixed(2), 6)} ${pad(r.probeConnections, 10)} ${pad(r.nmapConnections, 9)} ${pad(r.floor, 6)} ${pad((r.probeConnections / r.floor).toFixed(2), 11)}`,
    );
  }
  const total = (k: keyof ProbeBenchRow) => rows.reduce((s, r) => s + (r[k] as number), 0);
  console.log(
    `total: probe ${total('probeMs').toFixed(0)} ms (in-process ${total('libraryMs').toFixed(0)} ms) vs nmap ${total('nmapMs').toFixed(0)} ms (ratio ${(total('probeMs') / total('nmapMs')).toFixed(2)}); connections probe ${total('probeConnections')} vs nmap ${total('nmapConnections')}, floor ${total('floor')}`,
  );
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
  await runProbeBench();
}
