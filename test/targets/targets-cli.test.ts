import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../helpers/openssl-server.js';
import { startStartTlsSmtpServer, type StartTlsSmtpServer } from '../helpers/starttls-smtp-server.js';
import { runCli } from '../helpers/run-cli.js';

const ENTRY = fileURLToPath(new URL('../adapters/probe/cli-entry.ts', import.meta.url));
const cli = (args: string[], stdin?: string) =>
  runCli(args, { entry: ENTRY, env: { SSLLABS_EMAIL: undefined, SSLLABS_API_URL: undefined }, ...(stdin !== undefined && { stdin }) });
const execFileAsync = promisify(execFile);

/** A loopback address of our own (127.0.0.0/8 is all local), so well-known ports do not collide with other tests. */
const OWN = `127.${20 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;

describe('targets from lists, ranges, URLs, NAME=ADDRESS and nmap scans', () => {
  let certs: TestCerts;
  let tls: OpenSslServer;
  let https: OpenSslServer;
  let smtp: StartTlsSmtpServer;
  let dir: string;

  beforeAll(async () => {
    certs = await makeTestCerts();
    dir = await mkdtemp(join(tmpdir(), 'tlsaudit-targets-'));
    [tls, https, smtp] = await Promise.all([
      startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }),
      startOpenSslServer({ cert: certs.rsa, address: OWN, port: 8443, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }),
      startStartTlsSmtpServer({ cert: certs.rsa, address: OWN, port: 25, tls: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([tls?.stop(), https?.stop(), smtp?.stop()]);
    await certs?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads -iL lists (comments, blanks, duplicates, stdin), probes NAME=ADDRESS with that SNI and records it', async () => {
    const list = join(dir, 'hosts.txt');
    await writeFile(list, `# our servers\n\n127.0.0.1:${tls.port}   # the first\nlocalhost:${tls.port}=127.0.0.1\n127.0.0.1:${tls.port}\n`);
    const r = await cli(['probe', '-iL', list, '-iL', '-', '--format', 'json'], `https://127.0.0.1:${tls.port}/path\n`);
    expect(r.stderr).toMatch(/2 duplicate target\(s\) collapsed into one each: 127.0.0.1:\d+, 127.0.0.1:\d+\./);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.targets.map((t) => [t.host, t.address, t.sni])).toEqual([
      ['127.0.0.1', '127.0.0.1', undefined],
      ['localhost', '127.0.0.1', 'localhost'],
    ]);
    expect(report.notices).toEqual(expect.arrayContaining([expect.stringMatching(/duplicate/)]));
  });

  it('walks a CIDR block with a port, minus --exclude, and tells refused addresses apart (exit 3)', async () => {
    const base = OWN.split('.').slice(0, 3).join('.');
    const last = Number(OWN.split('.')[3]);
    const block = `${base}.${last & ~3}/30`;
    const other = `${base}.${(last & ~3) + ((last + 1) % 4)}`;
    const r = await cli(['probe', `${block}:8443`, '--exclude', other, '--timeout', '3s', '--format', 'json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.targets).toHaveLength(3);
    expect(report.targets.map((t) => t.host)).not.toContain(other);
    const live = report.targets.find((t) => t.host === OWN);
    expect(live?.verdict.status).toBe('pass');
    expect(report.targets.filter((t) => t.verdict.status === 'error')).toHaveLength(2);
    expect(r.stderr).toMatch(/1 target\(s\) excluded by --exclude/);
  });

  it('takes the TLS and STARTTLS ports of an nmap scan with --from-nmap', async () => {
    const xml = join(dir, 'found.xml');
    const { stdout } = await execFileAsync('nmap', ['-Pn', '-n', '-p', '22,25,8443', '-oX', '-', OWN]);
    await writeFile(xml, stdout);
    const r = await cli(['probe', '--from-nmap', xml, '--format', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.targets.map((t) => [t.host, t.port, t.starttls])).toEqual([
      [OWN, 25, 'smtp'],
      [OWN, 8443, undefined],
    ]);
    expect(report.targets.every((t) => t.verdict.status === 'pass')).toBe(true);
    expect(r.code).toBe(0);
  });

  it('refuses a range that is too large, a bad line and an unreadable list in one line each (exit 2)', async () => {
    const big = await cli(['probe', '10.0.0.0/8']);
    expect(big.code).toBe(2);
    expect(big.stderr.trim().split('\n')).toHaveLength(1);
    expect(big.stderr).toMatch(/at most \/16 \(65,536\)/);
    const list = join(dir, 'bad.txt');
    await writeFile(list, 'ok.example.org\nnot a:valid:target\n');
    const bad = await cli(['probe', '-iL', list]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad.txt:2: "a:valid:target" is not a valid target/);
    const missing = await cli(['probe', '-iL', join(dir, 'nope.txt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read the target list .*nope.txt: no such file/);
    const none = await cli(['probe']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Give at least one target/);
  });

  it('takes --timeout with units and refuses a bare number under 100 with a hint', async () => {
    const short = await cli(['probe', `127.0.0.1:${tls.port}`, '--timeout', '5']);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/--timeout 5 would be 5 milliseconds; did you mean 5s\?/);
    const units = await cli(['probe', `127.0.0.1:${tls.port}`, '--timeout', '4s', '--format', 'json']);
    expect(units.code).toBe(0);
    const garbage = await cli(['probe', `127.0.0.1:${tls.port}`, '--timeout', 'soon']);
    expect(garbage.stderr).toMatch(/--timeout "soon" is not a duration/);
  });

  it('ssllabs takes -iL and refuses targets SSL Labs cannot assess, naming them', async () => {
    const list = join(dir, 'web.txt');
    await writeFile(list, 'www.example.org\nsmtp://mail.example.org\n');
    const r = await cli(['ssllabs', '-iL', list, '--email', 'a@example.org', '--api-url', 'http://127.0.0.1:9/api/v4/']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SSL Labs assesses HTTPS on port 443 by host name only, not mail.example.org:25 \(smtp\)/);
  });

  it('reads the captured nmap -sV fixture: the ssl-tunnelled port is TLS, unidentified ones are not', async () => {
    const { tlsPortsOfHost } = await import('../../src/adapters/nmap/read-nmap-tls-ports.js');
    const xml = await readFile(fileURLToPath(new URL('../../fixtures/nmap/service-scan.xml', import.meta.url)), 'utf8');
    const host = /<host[\s>][\s\S]*?<\/host>/.exec(xml)![0];
    expect(tlsPortsOfHost(host)).toEqual([{ host: '127.0.0.1', address: '127.0.0.1', port: 33193, service: 'http', starttls: 'none' }]);
    // -sV named a STARTTLS service on a port of its own: the upgrade comes from the service name.
    const smtpXml = await readFile(fileURLToPath(new URL('../../fixtures/nmap/smtp-starttls.xml', import.meta.url)), 'utf8');
    const smtpHost = /<host[\s>][\s\S]*?<\/host>/.exec(smtpXml)![0];
    expect(tlsPortsOfHost(smtpHost)).toEqual([{ host: '127.0.0.1', address: '127.0.0.1', port: 42599, service: 'smtp', starttls: 'smtp' }]);
  });
});
