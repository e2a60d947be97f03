/**
 * The LMTP upgrade (STARTTLS after LHLO, RFC 2033 and RFC 3207) against Dovecot's LMTP server from
 * Debian's dovecot-lmtpd, in a master of its own. nmap 7.93 does not speak STARTTLS to LMTP (not on
 * port 24 either), so testssl.sh's --starttls lmtp is the second opinion, run live and imported. Dovecot
 * hangs up without an alert on a hello it refuses, which the probe has to settle as silence.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/adapters/probe/index.js';
import { importOne } from '../../../src/import/index.js';
import { makeTestCerts, type TestCerts } from '../../helpers/openssl-server.js';
import { startDovecot } from '../../helpers/stacks/mail-servers.js';
import type { StackServer } from '../../helpers/stacks/stack-process.js';
import { TESTSSL } from '../import/tools.js';

const run = promisify(execFile);
const suitesOf = (protocols: { version: string; ciphers: { name: string }[] }[]) =>
  Object.fromEntries(protocols.map((p) => [p.version, p.ciphers.map((c) => c.name).sort()]));

describe('LMTP upgrade against Dovecot', () => {
  let certs: TestCerts;
  let dir: string;
  let lmtp: StackServer;

  beforeAll(async () => {
    certs = await makeTestCerts();
    dir = await mkdtemp(join(tmpdir(), 'tlsaudit-lmtp-'));
    lmtp = await startDovecot(certs, { protocol: 'lmtp', cert: 'rsa', minProtocol: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256' });
  }, 60_000);
  afterAll(async () => {
    await lmtp?.stop();
    await certs?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('probe --starttls lmtp finds what testssl.sh --starttls lmtp finds', async () => {
    const o = await probe({ host: '127.0.0.1', port: lmtp.port }, { starttls: 'lmtp' });
    expect(o.error).toBeUndefined();
    expect(o.incomplete).toBeUndefined();
    expect(o.starttls).toBe('lmtp');
    expect(o.certificate?.subject).toContain('CN=localhost');
    const probed = suitesOf(o.protocols);
    expect(probed).toEqual({
      'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
      'TLSv1.3': ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'],
    });

    const json = join(dir, 'testssl.json');
    await run(TESTSSL, ['--starttls', 'lmtp', '-p', '-E', '--warnings', 'off', '--quiet', '--color', '0', '--jsonfile', json, `127.0.0.1:${lmtp.port}`], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { code?: unknown }) => {
        // testssl.sh's exit status counts findings; only its file matters.
        if (typeof error.code !== 'number') throw error;
      },
    );
    const imported = await importOne({ text: await readFile(json, 'utf8'), origin: json }, 'testssl-json');
    expect(suitesOf(imported.observations[0]!.protocols)).toEqual(probed);
  }, 300_000);

  it('without --starttls, the greeting (which does not say LMTP) gets the values to try, lmtp among them', async () => {
    const o = await probe({ host: '127.0.0.1', port: lmtp.port }, { starttls: 'none' });
    expect(o.error).toMatch(/the server answered in SMTP, LMTP or FTP, not TLS \("220 .*Dovecot.*"\): try --starttls smtp, --starttls lmtp or --starttls ftp$/);
  }, 60_000);
});
