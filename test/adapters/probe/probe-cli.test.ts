import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../../src/model/report.js';
import { closedPort } from '../../helpers/misbehaving-servers.js';
import { makeTestCerts, startOpenSslServer, type OpenSslServer, type TestCerts } from '../../helpers/openssl-server.js';
import { runCli } from '../../helpers/run-cli.js';

const ENTRY = fileURLToPath(new URL('./cli-entry.ts', import.meta.url));

/** The CLI from source, with no SSL Labs settings from the environment. */
const cli = (args: string[]) => runCli(args, { entry: ENTRY, env: { SSLLABS_EMAIL: undefined, SSLLABS_API_URL: undefined } });

describe('tlsaudit probe and scan', () => {
  let certs: TestCerts;
  let good: OpenSslServer;
  let old: OpenSslServer;
  let refused: number;

  beforeAll(async () => {
    certs = await makeTestCerts();
    [good, old] = await Promise.all([
      startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }),
      startOpenSslServer({ cert: certs.rsa, protocols: ['TLSv1', 'TLSv1.1'] }),
    ]);
    refused = await closedPort();
  });
  afterAll(async () => {
    await Promise.all([good?.stop(), old?.stop()]);
    await certs?.cleanup();
  });

  it('a compliant server passes (exit 0), a TLS 1.0/1.1-only one fails (exit 1)', async () => {
    const ok = await cli(['probe', `127.0.0.1:${good.port}`, '--format', 'json']);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as Report;
    expect(report.targets[0]).toMatchObject({ host: '127.0.0.1', port: good.port, sources: ['probe'], verdict: { status: 'pass' } });
    const bad = await cli(['probe', `127.0.0.1:${old.port}`, '--format', 'json']);
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as Report).targets[0]!.verdict.status).toBe('fail');
  });

  it('an unreachable target is an error (exit 3) while the other target is assessed', async () => {
    const r = await cli(['probe', `127.0.0.1:${good.port}`, `127.0.0.1:${refused}`, '--format', 'json', '--timeout', '2000']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.targets.map((t) => t.verdict.status)).toEqual(['pass', 'error']);
    expect(report.targets[1]!.error).toMatch(/refused/);
  });

  it('a malformed target is a usage error on one line (exit 2)', async () => {
    const r = await cli(['probe', 'example.org:99999']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/"example\.org:99999" is not a valid target/);
  });

  it('scan without SSL Labs configured probes and records why', async () => {
    const r = await cli(['scan', `127.0.0.1:${good.port}`, '--format', 'json']);
    expect(r.code).toBe(0);
    const t = (JSON.parse(r.stdout) as Report).targets[0]!;
    expect(t.sources).toEqual(['probe']);
    expect(t.runs[0]!.reason).toMatch(/not addresses/);
  });

  it('help texts carry examples', async () => {
    for (const c of ['probe', 'scan']) {
      const r = await cli([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:\n  (SSLLABS_EMAIL=\S+ )?tlsaudit /);
      expect(r.stdout).toMatch(/--starttls/);
      // One default per option, in words a user reads: not commander's rendering of an empty list.
      expect(r.stdout).not.toMatch(/\(default: \[\]\)/);
      expect(r.stdout).toMatch(/--policy <id\|file> [^(]*\(default:\s+dataverse\)/);
    }
  });
});
