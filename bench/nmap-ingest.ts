/**
 * nmap ingest benchmark: `tlsaudit nmap --format json` on a scan of at least 40 MB made by repeating the
 * bundled real scan (fixtures/nmap/sample.xml) under new addresses, against a reference reader in
 * another stack (bench/nmap_ingest_reference.py: Python's xml.etree, streaming, extracting the same
 * suites). Wall time and peak RSS of each process, best of 3; the reader alone in-process for the split.
 *
 *   npm run bench -- nmap          or alone:   node --import tsx bench/nmap-ingest.ts [MEGABYTES]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readNmapXmlFile } from '../src/adapters/nmap/index.js';
import { makeNmapScan, type MadeScan } from './make-nmap-scan.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TIME = '/usr/bin/time';

export interface Measurement {
  label: string;
  /** Best wall time of the runs, seconds. */
  seconds: number;
  /** Peak resident set size of that kind of run (the largest seen), MB. */
  peakMB: number | undefined;
  runs: number[];
}

export interface NmapIngestResult {
  scan: MadeScan;
  tlsaudit: Measurement;
  reference: Measurement;
  /** In-process: readNmapXmlFile alone, no evaluation or rendering (worker threads as it chooses). */
  readerSeconds: number;
  /** The same on the main thread only (workers: 0). */
  readerMainThreadSeconds: number;
  /** tlsaudit time / reference time: below 1 means tlsaudit is faster. */
  ratio: number;
  /** Suites extracted by each, which must agree. */
  suites: { tlsaudit: number; reference: number };
}

/** The CLI as a user runs it: the built one when dist/ exists, else through tsx. */
function tlsauditCommand(): { cmd: string; args: string[]; label: string } {
  if (existsSync(`${ROOT}dist/cli/commands/nmap.js`)) return { cmd: process.execPath, args: [`${ROOT}bin/tlsaudit`], label: 'node bin/tlsaudit (dist)' };
  return { cmd: process.execPath, args: ['--import', 'tsx', `${ROOT}bench/cli-entry.ts`], label: 'node --import tsx (no dist/)' };
}

interface RunResult {
  seconds: number;
  peakMB: number | undefined;
  stdout?: string;
}

/** Runs a command with stdout to /dev/null (or captured), timing it with /usr/bin/time -v when present. */
function measure(cmd: string, args: string[], capture = false): Promise<RunResult> {
  const useTime = existsSync(TIME);
  const argv = useTime ? ['-v', cmd, ...args] : args;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(useTime ? TIME : cmd, argv, { stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'] });
    let stderr = '';
    const out: Buffer[] = [];
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    let peakKB = 0;
    // Without GNU time, sample the child's high-water mark from /proc until it exits.
    const poll = useTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) peakKB = Math.max(peakKB, Number(m[1]));
          } catch {
            // the process is gone
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      const seconds = (performance.now() - started) / 1000;
      if (useTime) {
        const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
        if (rss) peakKB = Number(rss[1]);
        // tlsaudit exits 1 on this scan (it has failing targets); only a crash or a usage error counts.
        if (!rss || (code !== 0 && code !== 1)) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`));
        const wallSeconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : seconds;
        return resolve({ seconds: wallSeconds, peakMB: peakKB / 1024, ...(capture && { stdout: Buffer.concat(out).toString('utf8') }) });
      }
      if (code !== 0 && code !== 1) return reject(new Error(`${cmd} exited ${code}:\n${stderr.slice(-2000)}`));
      resolve({ seconds, peakMB: peakKB > 0 ? peakKB / 1024 : undefined, ...(capture && { stdout: Buffer.concat(out).toString('utf8') }) });
    });
  });
}

function countSuites(json: string, shape: 'tlsaudit' | 'reference'): number {
  const doc = JSON.parse(json) as { targets: Array<{ protocols?: Array<{ ciphers: unknown[] }> }> };
  void shape;
  return doc.targets.reduce((n, t) => n + (t.protocols ?? []).reduce((m, p) => m + p.ciphers.length, 0), 0);
}

export async function runNmapIngestBench(megabytes = 40, runs = 3): Promise<NmapIngestResult> {
  const scan = await makeNmapScan(`${ROOT}bench/out/nmap-scan.xml`, megabytes);
  console.log(
    `scan: ${(scan.bytes / 1048576).toFixed(1)} MB, ${scan.hosts} hosts, ${scan.ports} open ports (${scan.tlsPorts} with ssl-enum-ciphers), from fixtures/nmap/sample.xml`,
  );
  const tls = tlsauditCommand();
  const tlsArgs = [...tls.args, 'nmap', '--format', 'json', scan.path];
  const refArgs = [`${ROOT}bench/nmap_ingest_reference.py`, scan.path];

  // One untimed run of each, captured, to check both read the same suites (and to warm the page cache).
  const [a, b] = [await measure(tls.cmd, tlsArgs, true), await measure('python3', refArgs, true)];
  const suites = { tlsaudit: countSuites(a.stdout!, 'tlsaudit'), reference: countSuites(b.stdout!, 'reference') };
  if (suites.tlsaudit !== suites.reference) throw new Error(`tlsaudit read ${suites.tlsaudit} suites, the reference ${suites.reference}`);

  const tlsRuns: RunResult[] = [];
  const refRuns: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    tlsRuns.push(await measure(tls.cmd, tlsArgs));
    refRuns.push(await measure('python3', refArgs));
  }
  const summarise = (label: string, rs: RunResult[]): Measurement => ({
    label,
    seconds: Math.min(...rs.map((r) => r.seconds)),
    peakMB: rs.some((r) => r.peakMB !== undefined) ? Math.max(...rs.map((r) => r.peakMB ?? 0)) : undefined,
    runs: rs.map((r) => r.seconds),
  });
  const tlsaudit = summarise(`${tls.label} nmap --format json`, tlsRuns);
  const reference = summarise('python3 bench/nmap_ingest_reference.py (xml.etree iterparse)', refRuns);

  const timeReader = async (options: { workers?: number }) => {
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      for await (const _ of readNmapXmlFile(scan.path, undefined, options)) void _;
      best = Math.min(best, (performance.now() - started) / 1000);
    }
    return best;
  };
  const readerSeconds = await timeReader({});
  const readerMainThreadSeconds = await timeReader({ workers: 0 });

  const ratio = tlsaudit.seconds / reference.seconds;
  const mb = (m: Measurement) => (m.peakMB === undefined ? 'n/a' : `${m.peakMB.toFixed(0)} MB`);
  console.log(`suites read: ${suites.tlsaudit} by each`);
  console.log(`tlsaudit   ${tlsaudit.seconds.toFixed(2)} s  peak ${mb(tlsaudit)}  (runs ${tlsaudit.runs.map((s) => s.toFixed(2)).join(', ')})  ${tlsaudit.label}`);
  console.log(`reference  ${reference.seconds.toFixed(2)} s  peak ${mb(reference)}  (runs ${reference.runs.map((s) => s.toFixed(2)).join(', ')})  ${reference.label}`);
  const rate = (seconds: number) => `${seconds.toFixed(2)} s, ${(scan.bytes / 1048576 / seconds).toFixed(1)} MB/s`;
  console.log(`reader alone (in-process readNmapXmlFile): ${rate(readerSeconds)}; on the main thread only: ${rate(readerMainThreadSeconds)}`);
  console.log(`tlsaudit / reference: ${ratio.toFixed(2)} (target < 1); peak memory target < 300 MB`);
  return { scan, tlsaudit, reference, readerSeconds, readerMainThreadSeconds, ratio, suites };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
  await runNmapIngestBench(Number(process.argv[2] ?? 40));
}
