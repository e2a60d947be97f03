/**
 * Re-records fixtures/nmap/*.xml with the real nmap against local servers on loopback:
 *
 *   node --import tsx test/adapters/nmap/record-fixtures.ts [singles] [multi-port] [smtp] [sample]
 *
 * Binds 127.0.0.10-13 on ports 25, 80, 443 and 8443 for the sample scan (run as root, those ports free).
 * fixtures/README.md says what each file is.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../../helpers/openssl-server.js';
import { startStartTlsSmtpServer, type StartTlsSmtpServer } from '../../helpers/starttls-smtp-server.js';
import { runNmap } from '../../helpers/nmap.js';
import { freePort } from '../../helpers/stacks/stack-process.js';
import { SCENARIOS, SMTP_TLS, type Scenario } from './scenarios.js';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/nmap');

function scenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s;
}

async function startHttp(address: string, port = 0): Promise<{ server: Server; port: number }> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', server: 'example' });
    res.end('plain HTTP, no TLS here\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}


async function write(name: string, xml: string): Promise<void> {
  await writeFile(join(OUT, name), xml);
  console.error(`wrote fixtures/nmap/${name} (${xml.length} bytes)`);
}

async function recordSingles(certs: TestCerts): Promise<void> {
  await Promise.all(
    SCENARIOS.map(async (s) => {
      const server = await startOpenSslServer(s.server(certs));
      try {
        await write(`${s.name}.xml`, await runNmap({ ports: [server.port] }));
      } finally {
        await server.stop();
      }
    }),
  );
}

async function recordMultiPort(certs: TestCerts): Promise<void> {
  const servers = await Promise.all(
    ['tls12-approved', 'plain-rsa', 'ecdsa-modern'].map((n) => startOpenSslServer(scenario(n).server(certs))),
  );
  const http = await startHttp('127.0.0.1');
  const closed = await freePort();
  try {
    const ports = [...servers.map((s) => s.port), http.port, closed];
    // "localhost" as the target makes nmap record it as the user-given name (hostname type="user").
    await write('multi-port.xml', await runNmap({ ports, targets: ['localhost'] }));
    await write('no-ssl-enum-ciphers.xml', await runNmap({ ports: [servers[0]!.port, http.port], script: false }));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await new Promise((r) => http.server.close(r));
  }
}

async function recordSmtp(certs: TestCerts): Promise<void> {
  const smtp = await startStartTlsSmtpServer({ cert: certs.rsa, tls: SMTP_TLS });
  try {
    await write('smtp-starttls.xml', await runNmap({ ports: [smtp.port], serviceDetection: true }));
  } finally {
    await smtp.stop();
  }
}

/** Documentation names (RFC 2606) given to the sample's loopback hosts; nmap ran with -n. */
export const SAMPLE_HOSTS = [
  { address: '127.0.0.10', name: 'www.example.com' },
  { address: '127.0.0.11', name: 'mail.example.com' },
  { address: '127.0.0.12', name: 'legacy.example.net' },
  { address: '127.0.0.13', name: 'api.example.org' },
] as const;

async function recordSample(certs: TestCerts): Promise<void> {
  const tls: OpenSslServer[] = [];
  const start = async (address: string, port: number, name: string) => {
    tls.push(await startOpenSslServer({ ...scenario(name).server(certs), address, port }));
  };
  let smtp: StartTlsSmtpServer | undefined;
  let http: Server | undefined;
  try {
    await start('127.0.0.10', 443, 'ecdsa-modern');
    http = (await startHttp('127.0.0.10', 80)).server;
    smtp = await startStartTlsSmtpServer({ cert: certs.rsa, tls: SMTP_TLS, address: '127.0.0.11', port: 25 });
    await start('127.0.0.11', 443, 'approved-plus-tls10');
    await start('127.0.0.12', 443, 'tls10-11');
    await start('127.0.0.12', 8443, 'plain-rsa');
    await start('127.0.0.13', 443, 'tls12-approved');
    await start('127.0.0.13', 8443, 'tls13-only');
    // Well-known ports: ssl-enum-ciphers' own port rule picks 443/8443 and STARTTLS on 25, no -sV needed.
    const raw = await runNmap({ ports: [25, 80, 443, 8443], targets: ['127.0.0.10-13'], forceScript: false });
    await write('sample.xml', nameSampleHosts(raw));
    await write('cut-off.xml', cutOff(raw));
  } finally {
    await Promise.all(tls.map((s) => s.stop()));
    await smtp?.stop();
    if (http) await new Promise((r) => http!.close(r));
  }
}

/** Gives each sample host its documentation name as if the user had typed it (nmap's type="user"). */
export function nameSampleHosts(xml: string): string {
  let out = xml;
  for (const { address, name } of SAMPLE_HOSTS) {
    const re = new RegExp(`(<address addr="${address.replaceAll('.', '\\.')}" addrtype="ipv4"/>\\s*<hostnames>)\\s*(</hostnames>)`);
    if (!re.test(out)) throw new Error(`sample host ${address} not found in the scan`);
    out = out.replace(re, `$1\n<hostname name="${name}" type="user"/>\n$2`);
  }
  return out;
}

/** The scan as a killed nmap leaves it: cut in the middle of the third host's script output. */
export function cutOff(xml: string): string {
  let at = -1;
  for (let i = 0; i < 3; i++) at = xml.indexOf('<host ', at + 1);
  const table = xml.indexOf('<table key="ciphers">', at);
  if (at < 0 || table < 0) throw new Error('the scan has fewer than three hosts with ciphers');
  return xml.slice(0, table + 40);
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const certs = await makeTestCerts();
  try {
    const parts = process.argv.slice(2);
    const want = (p: string) => parts.length === 0 || parts.includes(p);
    await Promise.all([
      want('singles') && recordSingles(certs),
      want('multi-port') && recordMultiPort(certs),
      want('smtp') && recordSmtp(certs),
    ]);
    if (want('sample')) await recordSample(certs);
  } finally {
    await certs.cleanup();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
