/**
 * The RDP upgrade (X.224 Connection Request with an RDP Negotiation Request for TLS, MS-RDPBCGR
 * 2.2.1.1) against xrdp from Debian, started on loopback with an xrdp.ini of its own. nmap 7.93's
 * ssl-enum-ciphers sends no X.224 request and reads nothing from xrdp, so sslscan's --rdp is the
 * second opinion: run live on the same server, imported, and compared suite by suite.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/adapters/probe/index.js';
import { importOne } from '../../../src/import/index.js';
import { makeTestCerts, type TestCerts } from '../../helpers/openssl-server.js';
import { canConnect, spawnListening, type SpawnedServer } from '../../helpers/stacks/stack-process.js';
import { SSLSCAN } from '../import/tools.js';

const run = promisify(execFile);
const XRDP = process.env.XRDP ?? '/usr/sbin/xrdp';

/** The TLS 1.2 suites xrdp is told to allow (OpenSSL names, as xrdp.ini takes them) and their IANA names. */
const TLS_CIPHERS = 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256';
const TLS12_SUITES = ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'];
const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];


/**
 * xrdp binds without SO_REUSEADDR, so a port that an earlier connection left in TIME_WAIT fails (and
 * freePort, whose Node listener does set it, may hand out such a port); ports below the ephemeral range
 * (32768 and up) are only ever listeners, and a few are tried in turn.
 */
async function startXrdp(dir: string, certs: TestCerts): Promise<{ server: SpawnedServer; port: number }> {
  const template = await readFile('/etc/xrdp/xrdp.ini', 'utf8');
  for (const port of [13389, 13390, 13391, 13392]) {
    if (await canConnect(port)) continue;
    const ini = template
      .replace(/^port=3389$/m, `port=tcp://127.0.0.1:${port}`)
      .replace(/^fork=true$/m, 'fork=false')
      .replace(/^certificate=.*$/m, `certificate=${certs.rsa.cert}`)
      .replace(/^key_file=.*$/m, `key_file=${certs.rsa.key}`)
      .replace(/^ssl_protocols=.*$/m, 'ssl_protocols=TLSv1.2, TLSv1.3')
      .replace(/^#?tls_ciphers=.*$/m, `tls_ciphers=${TLS_CIPHERS}`)
      .replace(/^LogFile=.*$/m, `LogFile=${join(dir, 'xrdp.log')}`)
      .replace(/^EnableSyslog=.*$/m, 'EnableSyslog=false');
    const file = join(dir, `xrdp-${port}.ini`);
    await writeFile(file, ini);
    try {
      // -n: stay in the foreground (the test owns the process). A failed bind is only in xrdp's log.
      return { server: await spawnListening(XRDP, ['-n', '-c', file], port, { readyMs: 10_000 }), port };
    } catch {
      // Not listening on this port: try the next.
    }
  }
  throw new Error(`xrdp did not listen on any of its ports (see ${join(dir, 'xrdp.log')})`);
}

describe('RDP upgrade against xrdp', () => {
  let certs: TestCerts;
  let dir: string;
  let xrdp: { server: SpawnedServer; port: number } | undefined;

  beforeAll(async () => {
    certs = await makeTestCerts();
    dir = await mkdtemp(join(tmpdir(), 'tlsaudit-xrdp-'));
    xrdp = await startXrdp(dir, certs);
  });
  afterAll(async () => {
    if (xrdp) await xrdp.server.stop();
    await certs?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('probe --starttls rdp reads the suites xrdp is configured with, and sslscan --rdp sees the same', async () => {
    const o = await probe({ host: '127.0.0.1', port: xrdp!.port }, { starttls: 'rdp' });
    expect(o.error).toBeUndefined();
    expect(o.starttls).toBe('rdp');
    const suites = Object.fromEntries(o.protocols.map((p) => [p.version, p.ciphers.map((c) => c.name).sort()]));
    expect(suites).toEqual({ 'TLSv1.2': TLS12_SUITES, 'TLSv1.3': TLS13_SUITES });
    expect(o.certificate?.subject).toContain('CN=localhost');

    const xml = join(dir, 'sslscan.xml');
    await run(SSLSCAN, ['--rdp', '--no-colour', `--xml=${xml}`, `127.0.0.1:${xrdp!.port}`]);
    const imported = await importOne({ text: await readFile(xml, 'utf8'), origin: xml }, 'sslscan');
    const [seen] = imported.observations;
    expect(Object.fromEntries(seen!.protocols.map((p) => [p.version, p.ciphers.map((c) => c.name).sort()]))).toEqual(suites);
  }, 120_000);

  it('a bare hello gets an X.224 answer, and the error names --starttls rdp', async () => {
    const o = await probe({ host: '127.0.0.1', port: xrdp!.port }, { starttls: 'none' });
    expect(o.error).toMatch(/the server answered in RDP \(an X\.224 [A-Za-z ]+\), not TLS: try --starttls rdp$/);
  }, 60_000);
});
