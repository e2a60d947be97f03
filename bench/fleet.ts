/**
 * A fleet sweep against nmap -iL with ssl-enum-ciphers, in the same run, on loopback only:
 *  - range: the 65,536 addresses of 127.1.0.0/16, port 443, closed everywhere but FLEET_RANGE_LIVE
 *    listening servers spread over the block (default 300);
 *  - live: FLEET_LIVE_ADDRESSES x FLEET_LIVE_PORTS live servers on 127.2.0.0/24 (default 10 x 100).
 * Both tools get the same targets (tlsaudit a CIDR or -iL list, nmap the same block or -iL addresses
 * with -p) and comparable parallelism (tlsaudit --concurrency FLEET_CONCURRENCY, nmap -T4). Wall time,
 * CPU and peak RSS come from /usr/bin/time; connections and the servers' own CPU time are counted by
 * the servers (closed ports accept none). The servers run in a process of their own
 * (bench/fleet-servers.ts), on the same two cores: their CPU bounds how fast any tool can go.
 *
 * Run alone: node --import tsx bench/fleet.ts [range|live]
 */
import { execFile, fork } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Report } from '../src/model/report.js';
import { makeTestCerts } from '../test/helpers/openssl-server.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

interface Measured {
  wallS: number;
  cpuS: number;
  peakRssMb: number;
  connections: number;
  /** CPU seconds the servers spent answering this tool. */
  serverCpuS: number;
  assessed: number;
}

async function timed(command: string, args: string[], servers: ReturnType<typeof fork>): Promise<Omit<Measured, 'assessed'>> {
  await ask(servers, 'reset');
  // /usr/bin/time -f: elapsed s, max RSS KiB, user s, system s (on stderr, last line).
  const { stderr } = await run('/usr/bin/time', ['-f', '%e %M %U %S', command, ...args], { cwd: ROOT, maxBuffer: 1 << 30 }).catch((e: { stderr: string }) => e);
  const last = stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  const [wallS = NaN, rssKb = NaN, user = 0, sys = 0] = last;
  const counted = await ask(servers, 'count');
  return { wallS, cpuS: user + sys, peakRssMb: rssKb / 1024, connections: counted.connections, serverCpuS: counted.cpuS };
}

function ask(servers: ReturnType<typeof fork>, message: 'count' | 'reset'): Promise<{ connections: number; cpuS: number }> {
  return new Promise((resolve) => {
    servers.once('message', (m: { connections: number; cpuS: number }) => resolve(m));
    servers.send(message);
  });
}

async function startServers(addresses: string[], ports: number[], cert: string, key: string): Promise<ReturnType<typeof fork>> {
  const child = fork(fileURLToPath(new URL('./fleet-servers.ts', import.meta.url)), [JSON.stringify({ addresses, ports, cert, key })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`fleet servers exited (${code})`)));
  });
  return child;
}

function row(name: string, tool: string, m: Measured): string {
  return `| ${name} | ${tool} | ${m.assessed} | ${m.wallS.toFixed(1)} | ${m.cpuS.toFixed(1)} | ${m.serverCpuS.toFixed(1)} | ${m.peakRssMb.toFixed(0)} | ${m.connections} |`;
}

async function sweep(
  name: string,
  dir: string,
  servers: ReturnType<typeof fork>,
  probeArgs: string[],
  nmapArgs: string[],
): Promise<string[]> {
  const concurrency = String(env('FLEET_CONCURRENCY', 64));
  const file = name.replace(/[^\w.-]+/g, '_');
  const out = join(dir, `${file}.json`);
  const probe = await timed(process.execPath, ['bin/tlsaudit', 'probe', ...probeArgs, '--concurrency', concurrency, '--timeout', '5s', '--format', 'json', '-o', out], servers);
  const report = JSON.parse(await readFile(out, 'utf8')) as Report;
  const probeAssessed = report.targets.filter((t) => !t.error).length;
  const xml = join(dir, `${file}.xml`);
  const nmap = await timed('nmap', ['-Pn', '-n', '-T4', '--script', 'ssl-enum-ciphers', ...nmapArgs, '-oX', xml], servers);
  const nmapAssessed = ((await readFile(xml, 'utf8')).match(/<script id="ssl-enum-ciphers"/g) ?? []).length;
  const lines = [row(name, 'tlsaudit probe', { ...probe, assessed: probeAssessed }), row(name, 'nmap -T4', { ...nmap, assessed: nmapAssessed })];
  lines.push(`| ${name} | **nmap / tlsaudit** | | **${(nmap.wallS / probe.wallS).toFixed(2)}x** | **${(nmap.cpuS / probe.cpuS).toFixed(2)}x** | ${(nmap.serverCpuS / probe.serverCpuS).toFixed(2)}x | | ${(nmap.connections / probe.connections).toFixed(2)}x |`);
  return lines;
}

export async function runFleetBench(which: string[] = []): Promise<void> {
  const certs = await makeTestCerts();
  const dir = await mkdtemp(join(tmpdir(), 'tlsaudit-fleet-'));
  const lines = ['| sweep | tool | TLS services assessed | wall s | tool CPU s | servers\' CPU s | peak RSS MB | connections |', '|---|---|---:|---:|---:|---:|---:|---:|'];
  try {
    if (which.length === 0 || which.includes('range')) {
      const live = env('FLEET_RANGE_LIVE', 300);
      const step = Math.floor(65536 / live);
      const addresses = Array.from({ length: live }, (_, i) => `127.1.${Math.floor((i * step) / 256)}.${(i * step) % 256 || 1}`);
      const servers = await startServers(addresses, [443], certs.rsa.cert, certs.rsa.key);
      try {
        lines.push(...(await sweep('127.1.0.0/16:443', dir, servers, ['127.1.0.0/16'], ['-p', '443', '127.1.0.0/16'])));
      } finally {
        servers.kill();
      }
    }
    if (which.length === 0 || which.includes('live')) {
      const addresses = Array.from({ length: env('FLEET_LIVE_ADDRESSES', 10) }, (_, i) => `127.2.0.${i + 1}`);
      const ports = Array.from({ length: env('FLEET_LIVE_PORTS', 100) }, (_, i) => 20000 + i);
      const servers = await startServers(addresses, ports, certs.rsa.cert, certs.rsa.key);
      try {
        const list = join(dir, 'live.txt');
        await writeFile(list, addresses.flatMap((a) => ports.map((p) => `${a}:${p}`)).join('\n') + '\n');
        const hosts = join(dir, 'hosts.txt');
        await writeFile(hosts, addresses.join('\n') + '\n');
        lines.push(...(await sweep(`${addresses.length * ports.length} live`, dir, servers, ['-iL', list], ['-p', `${ports[0]}-${ports.at(-1)}`, '-iL', hosts])));
      } finally {
        servers.kill();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    await certs.cleanup();
  }
  console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, ${new Date().toISOString()}`);
  console.log(lines.join('\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) await runFleetBench(process.argv.slice(2));
