/**
 * The real nmap against local servers with known configurations: what nmap finds, read through the
 * adapter, must be exactly what the servers were configured with, and the Dataverse verdicts must follow.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNmapXml, readNmapXml } from '../../../src/adapters/nmap/index.js';
import type { TargetObservation } from '../../../src/model/index.js';
import { loadPolicy } from '../../../src/policy/index.js';
import { buildReport, validateReport } from '../../../src/report/index.js';
import { NMAP, nmapArgs, runNmap } from '../../helpers/nmap.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../../helpers/openssl-server.js';
import { startStartTlsSmtpServer, type StartTlsSmtpServer } from '../../helpers/starttls-smtp-server.js';
import { spawn } from 'node:child_process';
import { SCENARIOS, SMTP_TLS } from './scenarios.js';

let certs: TestCerts;
const servers: OpenSslServer[] = [];
let plain: Server;
const plainSockets = new Set<Socket>();
let plainPort: number;
let closedPort: number;
let smtp: StartTlsSmtpServer | undefined;
let smtpXml: string;
let scanXml: string;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/**
 * ssl-enum-ciphers only speaks STARTTLS where nmap believes the service is SMTP: on port 25 by its
 * services table, no -sV needed. A random 127/8 address keeps parallel runs from colliding on it;
 * without the right to bind port 25, -sV on a random port does the same, more slowly.
 */
async function startSmtp(): Promise<{ server: StartTlsSmtpServer; xml: string }> {
  const address = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  try {
    const server = await startStartTlsSmtpServer({ cert: certs.rsa, tls: SMTP_TLS, address, port: 25 });
    return { server, xml: await runNmap({ ports: [25], targets: [address], forceScript: false }) };
  } catch (error) {
    if (!['EACCES', 'EADDRINUSE'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    const server = await startStartTlsSmtpServer({ cert: certs.rsa, tls: SMTP_TLS });
    return { server, xml: await runNmap({ ports: [server.port], serviceDetection: true }) };
  }
}

beforeAll(async () => {
  certs = await makeTestCerts();
  plain = createServer((socket) => {
    plainSockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => plainSockets.delete(socket));
    socket.end('plain text, no TLS\r\n');
  });
  const closer = createServer();
  [plainPort, closedPort] = await Promise.all([listen(plain), listen(closer)]);
  await new Promise((r) => closer.close(r));
  servers.push(...(await Promise.all(SCENARIOS.map((s) => startOpenSslServer(s.server(certs))))));
  const ports = [...servers.map((s) => s.port), plainPort, closedPort];
  const [scan, mail] = await Promise.all([runNmap({ ports }), startSmtp()]);
  scanXml = scan;
  smtp = mail.server;
  smtpXml = mail.xml;
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await smtp?.stop();
  for (const socket of plainSockets) socket.destroy();
  await new Promise((r) => plain?.close(r));
  await certs?.cleanup();
});

function byPort(observations: TargetObservation[], port: number): TargetObservation {
  const o = observations.find((x) => x.port === port);
  if (!o) throw new Error(`no observation for port ${port}`);
  return o;
}

describe('real nmap against openssl s_server configurations', () => {
  it('finds exactly the configured protocols and suites on each server', () => {
    const { observations } = parseNmapXml(scanXml, 'nmap');
    SCENARIOS.forEach((scenario, i) => {
      const o = byPort(observations, servers[i]!.port);
      const found = Object.fromEntries(o.protocols.map((p) => [p.version, p.ciphers.map((c) => c.name).sort()]));
      const expected = Object.fromEntries(Object.entries(scenario.expected.protocols).map(([v, s]) => [v, [...s].sort()]));
      expect({ scenario: scenario.name, found }).toEqual({ scenario: scenario.name, found: expected });
    });
  });

  it('gives each server its Dataverse verdict, in a report that validates against the schema', () => {
    const { observations } = parseNmapXml(scanXml, 'nmap');
    const report = buildReport(observations, [loadPolicy('dataverse')], { strict: false });
    const status = (port: number) => report.targets.find((t) => t.port === port)!.verdict.status;
    expect(SCENARIOS.map((s, i) => [s.name, status(servers[i]!.port)])).toEqual(SCENARIOS.map((s) => [s.name, s.expected.status]));
    expect(report.targets.some((t) => t.port === plainPort)).toBe(false);
    expect(() => validateReport(JSON.parse(JSON.stringify(report)), 'report')).not.toThrow();
  });

  it('lists the open port without TLS (a port nmap does not treat as TLS) as skipped and leaves the closed port out', () => {
    const { observations, summary } = parseNmapXml(scanXml, 'nmap');
    expect(observations.some((o) => o.port === plainPort || o.port === closedPort)).toBe(false);
    expect(summary.skipped.map((s) => s.port)).toEqual([plainPort]);
    expect(observations).toHaveLength(SCENARIOS.length);
  });

  it('--strict turns the TLS 1.0 server from warn into fail', () => {
    const { observations } = parseNmapXml(scanXml, 'nmap');
    const i = SCENARIOS.findIndex((s) => s.name === 'approved-plus-tls10');
    const target = byPort(observations, servers[i]!.port);
    expect(buildReport([target], [loadPolicy('dataverse')], { strict: true }).targets[0]!.verdict.status).toBe('fail');
  });

  it('reads SMTP STARTTLS: smtp service, starttls smtp, the suites node:tls was given', () => {
    const { observations } = parseNmapXml(smtpXml, 'nmap');
    expect(observations).toHaveLength(1);
    const o = observations[0]!;
    expect(o).toMatchObject({ service: 'smtp', starttls: 'smtp' });
    expect(o.protocols.map((p) => [p.version, p.ciphers.map((c) => c.name).sort()])).toEqual([
      ['TLSv1.2', ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_256_CBC_SHA256']],
    ]);
    expect(buildReport(observations, [loadPolicy('dataverse')], { strict: false }).targets[0]!.verdict.status).toBe('warn');
  });

  it('streams from a running nmap: observations arrive through its stdout pipe', async () => {
    const i = SCENARIOS.findIndex((s) => s.name === 'tls12-approved');
    const child = spawn(NMAP, nmapArgs({ ports: [servers[i]!.port] }), { stdio: ['ignore', 'pipe', 'ignore'] });
    const out: TargetObservation[] = [];
    for await (const o of readNmapXml(child.stdout, 'stdin')) out.push(o);
    expect(out.map((o) => [o.port, o.protocols.map((p) => p.version)])).toEqual([[servers[i]!.port, ['TLSv1.2']]]);
  });
});
