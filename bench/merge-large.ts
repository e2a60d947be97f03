/**
 * Large merge benchmark: `tlsaudit merge --format json` of a generated report of N targets (default
 * 1,000,000: a real recorded target of fixtures/reports/nmap-internal.json repeated under new names and
 * addresses in 10.0.0.0/8), written straight to disk so no process ever holds its text. Wall time and
 * peak RSS of the CLI from /usr/bin/time -v. Before reports were read as streams this failed with
 * "Invalid string length" (31 s, 2.6 GB at 1,000,000 targets).
 *
 *   npm run bench -- merge        or alone:   node --import tsx bench/merge-large.ts [TARGETS]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Target } from '../src/model/target.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export async function makeLargeReport(file: string, n: number): Promise<number> {
  const base = JSON.parse(readFileSync(`${ROOT}fixtures/reports/nmap-internal.json`, 'utf8')) as { targets: Target[]; summary: unknown };
  const sample = base.targets.find((t) => t.protocols.length > 0)!;
  const { targets: _t, summary, ...header } = base;
  const out = createWriteStream(file);
  out.write(`${JSON.stringify(header).slice(0, -1)},"targets":[`);
  for (let i = 0; i < n; i++) {
    const t = { ...sample, host: `h${i}.example`, address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
    if (!out.write(`${i === 0 ? '' : ','}${JSON.stringify(t)}`)) await once(out, 'drain');
  }
  out.end(`],"summary":${JSON.stringify(summary)}}`);
  await once(out, 'close');
  return statSync(file).size;
}

export async function runMergeBench(n = 1_000_000): Promise<void> {
  mkdirSync(`${ROOT}bench/out`, { recursive: true });
  const input = `${ROOT}bench/out/large-report.json`;
  const bytes = await makeLargeReport(input, n);
  console.log(`report: ${n} targets, ${(bytes / 1e6).toFixed(0)} MB`);
  const child = spawn('/usr/bin/time', ['-v', process.execPath, `${ROOT}bin/tlsaudit`, 'merge', input, '--format', 'json', '-o', `${ROOT}bench/out/large-merged.json`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number];
  const wall = /Elapsed \(wall clock\) time.*: (.*)/.exec(stderr)?.[1];
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024;
  console.log(`tlsaudit merge: exit ${code}, wall ${wall}, peak RSS ${rss.toFixed(0)} MB`);
  if (code !== 0 && code !== 1) console.log(stderr.split('\n').filter((l) => l.startsWith('tlsaudit')).join('\n'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runMergeBench(Number(process.argv[2] ?? 1_000_000));
}
