/**
 * `npm run bench`: every benchmark, one after another (they share 2 cores, so never in parallel).
 * Each compares tlsaudit with a reference tool in the same run and prints ratios; docs/performance.md
 * holds the figures and the machine they were taken on.
 */
import { cpus } from 'node:os';

interface Bench {
  name: string;
  run: () => Promise<unknown>;
}

const benches: Bench[] = [
  { name: 'nmap ingest', run: async () => (await import('./nmap-ingest.js')).runNmapIngestBench() },
  { name: 'native probe', run: async () => (await import('./probe.js')).runProbeBench() },
  { name: 'large merge', run: async () => (await import('./merge-large.js')).runMergeBench() },
];

const only = process.argv.slice(2);
console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
for (const bench of benches) {
  if (only.length > 0 && !only.some((o) => bench.name.includes(o))) continue;
  console.log(`\n== ${bench.name} ==`);
  await bench.run();
}
