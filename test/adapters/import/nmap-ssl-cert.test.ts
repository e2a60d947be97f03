/**
 * nmap's ssl-cert output is the port's certificate evidence, so certificate rules can judge an nmap-only
 * report. The recorded scans carry it (fixtures/import/); a live scan of a server with an RSA 1024 key
 * shows Mozilla's key-size rule firing on it, and not judging at all when ssl-cert did not run.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNmapXml } from '../../../src/adapters/nmap/index.js';
import { compilePolicy, evaluate, loadPolicy } from '../../../src/policy/index.js';
import { runNmap } from '../../helpers/nmap.js';
import { OPENSSL, startOpenSslServer, type OpenSslServer } from '../../helpers/openssl-server.js';

const execFileAsync = promisify(execFile);

describe('ssl-cert in a recorded scan', () => {
  it('gives the leaf with its key, names, dates, signature and the SHA-256 fingerprint of its PEM', async () => {
    const xml = await readFile('fixtures/import/ecdsa-modern/nmap.xml', 'utf8');
    const [t] = parseNmapXml(xml, 'nmap.xml').observations;
    const cert = t!.certificates![0]!;
    expect(cert).toMatchObject({ source: 'nmap', origin: 'nmap.xml', checkedAt: t!.runs[0]!.observedAt, expired: false });
    expect(cert.chain).toHaveLength(1);
    expect(cert.chain[0]).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=localhost',
      subjectAltNames: ['DNS:localhost', 'IP Address:127.0.0.1'],
      keyType: 'EC',
      curve: 'prime256v1',
      keyBits: 256,
      signatureAlgorithm: 'ecdsa-with-SHA256',
      selfSigned: true,
    });
    expect(cert.chain[0]!.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(t!.certificate).toMatchObject({ keyType: 'EC', keyBits: 256 });
  });
});

describe('a live scan of a server with an RSA 1024 key', () => {
  let dir: string;
  let server: OpenSslServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tlsaudit-rsa1024-'));
    const cert = { cert: join(dir, 'c.pem'), key: join(dir, 'k.pem') };
    await execFileAsync(OPENSSL, ['req', '-x509', '-nodes', '-days', '7', '-subj', '/CN=localhost', '-newkey', 'rsa:1024', '-keyout', cert.key, '-out', cert.cert]);
    server = await startOpenSslServer({ cert, protocols: ['TLSv1.2'], ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0' });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("fails Mozilla's RSA key size rule with ssl-cert, and leaves it unjudged without", async () => {
    const policy = compilePolicy(loadPolicy('mozilla-intermediate'));
    const withCert = await runNmap({ ports: [server.port], script: false, extraArgs: ['--script', '+ssl-enum-ciphers,+ssl-cert'] });
    const [t] = parseNmapXml(withCert, 'live.xml').observations;
    expect(t!.certificate).toMatchObject({ keyType: 'RSA', keyBits: 1024 });
    const verdict = evaluate(policy, t!);
    expect(verdict.status).toBe('fail');
    expect(verdict.findings.find((f) => f.rule === 'rsa-key-size')).toMatchObject({ severity: 'fail', evidence: { sources: ['nmap'] } });

    const withoutCert = await runNmap({ ports: [server.port] });
    const [bare] = parseNmapXml(withoutCert, 'live.xml').observations;
    expect(bare!.certificate).toBeUndefined();
    expect(evaluate(policy, bare!).findings.map((f) => f.rule)).not.toContain('rsa-key-size');
  });
});
