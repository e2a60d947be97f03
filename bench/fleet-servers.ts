/**
 * The loopback fleet for bench/fleet.ts, in a process of its own so that its CPU and memory are not
 * the probe's: node:tls servers on `addresses` x `ports` (127.0.0.0/8 only), each with the same
 * 48-suite-ish OpenSSL default configuration. Counts accepted TCP connections and its own CPU time; answers "count" and "reset" over IPC.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:tls';

interface Plan {
  addresses: string[];
  ports: number[];
  cert: string;
  key: string;
}

const plan = JSON.parse(process.argv[2]!) as Plan;
for (const a of plan.addresses) if (!a.startsWith('127.')) throw new Error(`loopback only, not ${a}`);
const key = readFileSync(plan.key);
const cert = readFileSync(plan.cert);
let connections = 0;
let cpuAtReset = process.cpuUsage();
/** CPU seconds the servers used since the last reset (they share the machine's cores with the tool). */
const cpuSince = () => {
  const used = process.cpuUsage(cpuAtReset);
  return (used.user + used.system) / 1e6;
};
const listening: Promise<void>[] = [];
for (const address of plan.addresses) {
  for (const port of plan.ports) {
    // TLS 1.0-1.3 and every suite OpenSSL enables at level 0: a server with plenty for the probe to find.
    const server = createServer({ key, cert, minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' }, (s) => s.end());
    server.on('connection', () => connections++);
    server.on('tlsClientError', () => {});
    listening.push(new Promise((resolve, reject) => server.once('error', reject).listen(port, address, () => resolve())));
  }
}
await Promise.all(listening);
process.on('message', (m: string) => {
  if (m === 'count') process.send!({ connections, cpuS: cpuSince() });
  if (m === 'reset') {
    connections = 0;
    cpuAtReset = process.cpuUsage();
    process.send!({ connections, cpuS: 0 });
  }
});
process.send!({ ready: plan.addresses.length * plan.ports.length });
