/**
 * OpenSSL 3 with TLS 1.0/1.1 inside its protocol range but its default security level (1) can sign no
 * TLS 1.0/1.1 handshake, so it answers every such hello with alert internal_error: `openssl s_client
 * -tls1` fails the same way. The probe must call those protocols not offered, not leave them as gaps
 * that turn a healthy server into an error; alerts about the hello itself (decode_error) stay gaps.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/adapters/probe/index.js';
import { compilePolicy, evaluate, loadPolicy } from '../../../src/policy/index.js';
import { OPENSSL, makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../../helpers/openssl-server.js';

const run = promisify(execFile);

describe('a protocol whose every hello meets internal_error', () => {
  let certs: TestCerts;
  let server: OpenSslServer;

  beforeAll(async () => {
    certs = await makeTestCerts();
    server = await startOpenSslServer({ cert: certs.rsa, extraArgs: ['-min_protocol', 'TLSv1'] });
  });
  afterAll(async () => {
    await server?.stop();
    await certs?.cleanup();
  });

  it('is what openssl s_client sees too: no TLS 1.0 handshake completes', async () => {
    const r = await run(OPENSSL, ['s_client', '-connect', `127.0.0.1:${server.port}`, '-tls1', '-servername', 'localhost'], { timeout: 10_000 }).catch((e: { stdout: string; stderr: string }) => e);
    expect(`${r.stdout}${r.stderr}`).toMatch(/alert internal error/);
  });

  it('counts as not offered after the windows and one hello of widely implemented suites', async () => {
    const o = await probe({ host: '127.0.0.1', port: server.port }, { sni: 'localhost', timeout: 5000 });
    expect(o.error).toBeUndefined();
    expect(o.incomplete).toBeUndefined();
    expect(o.protocols.map((p) => p.version)).toEqual(['TLSv1.2', 'TLSv1.3']);
    const notes = o.runs.flatMap((r) => r.notes ?? []).join('\n');
    expect(notes).toMatch(/TLSv1\.0: alert internal_error to every hello, also to one of only widely implemented suites/);
    expect(notes).toMatch(/TLSv1\.0: alert internal_error to a hello of \d+ suites; retrying with 128/);
    expect(evaluate(compilePolicy(loadPolicy('dataverse')), o).status).not.toBe('error');
  });
});
