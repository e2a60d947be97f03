/**
 * Makes a large nmap -oX document by repeating the hosts of a real recorded scan under new addresses
 * (198.18.0.0/15, the range RFC 2544 sets aside for benchmarks) and names (hN.example.com):
 *
 *   node --import tsx bench/make-nmap-scan.ts [OUT] [MEGABYTES]     (default bench/out/nmap-scan.xml, 40)
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SOURCE_SCAN = `${ROOT}fixtures/nmap/sample.xml`;

export interface MadeScan {
  path: string;
  bytes: number;
  hosts: number;
  /** Open TCP ports, each of which becomes a target. */
  ports: number;
  tlsPorts: number;
}

function address(n: number): string {
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

export async function makeNmapScan(path: string, megabytes = 40, source = SOURCE_SCAN): Promise<MadeScan> {
  const xml = readFileSync(source, 'utf8');
  const first = xml.indexOf('<host ');
  const last = xml.lastIndexOf('</host>') + '</host>'.length;
  const head = xml.slice(0, first);
  const tail = xml.slice(last);
  const hosts = xml.slice(first, last).match(/<host [\s\S]*?<\/host>/g) ?? [];
  if (hosts.length === 0) throw new Error(`${source} has no hosts`);
  const openPorts = (h: string) => (h.match(/<state state="open"/g) ?? []).length;
  const tls = (h: string) => (h.match(/<script id="ssl-enum-ciphers"/g) ?? []).length;

  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const target = megabytes * 1024 * 1024;
  let bytes = 0;
  let n = 0;
  let ports = 0;
  let tlsPorts = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(head);
  while (bytes < target) {
    for (const h of hosts) {
      if (n >= 131072) throw new Error('out of benchmark addresses (198.18.0.0/15)');
      const named = h
        .replace(/addr="[^"]*" addrtype="ipv4"/, `addr="${address(n)}" addrtype="ipv4"`)
        .replace(/<hostname name="[^"]*" type="user"\/>/, `<hostname name="h${n}.example.com" type="user"/>`);
      await write(named + '\n');
      ports += openPorts(h);
      tlsPorts += tls(h);
      n++;
    }
  }
  await write(tail);
  out.end();
  await once(out, 'close');
  return { path, bytes, hosts: n, ports, tlsPorts };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const made = await makeNmapScan(process.argv[2] ?? `${ROOT}bench/out/nmap-scan.xml`, Number(process.argv[3] ?? 40));
  console.log(JSON.stringify(made));
}
