/**
 * Certificates from real `openssl s_server` processes on loopback, made at test time by a throwaway PKI
 * (`openssl ca` with any dates, keys and hashes), probed and judged by the built-in `certificates` policy.
 * Expected verdicts follow from how each certificate was made, not from running the code.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustStore, probe, type ProbeOptions } from '../../../src/adapters/probe/index.js';
import type { TargetObservation } from '../../../src/model/index.js';
import { compilePolicy, evaluate, loadPolicy } from '../../../src/policy/index.js';
import { remediate } from '../../../src/remediation/index.js';
import { schemaValidator } from '../../../src/schema/json-validator.js';
import { OPENSSL, startOpenSslServer, type OpenSslServer, type OpenSslServerOptions } from '../../helpers/openssl-server.js';
import { runCli } from '../../helpers/run-cli.js';
import { DAY, makeTestPki, pem, type Issued, type TestPki } from '../../helpers/test-pki.js';

const run = promisify(execFile);
const ENTRY = new URL('./cli-entry.ts', import.meta.url).pathname;
const WEAK = 'DEFAULT:@SECLEVEL=0';

let pki: TestPki;
const servers: Record<string, OpenSslServer> = {};

function serve(name: string, cert: Issued, options: Partial<OpenSslServerOptions> & { sendChain?: boolean } = {}): Promise<void> {
  const extra = [...(options.extraArgs ?? [])];
  if (options.sendChain !== false && cert.chain) extra.push('-cert_chain', cert.chain);
  return startOpenSslServer({ cert, ...options, extraArgs: extra }).then((s) => {
    servers[name] = s;
  });
}

beforeAll(async () => {
  pki = await makeTestPki();
  const now = Date.now();
  const localhost = { cn: 'localhost', sans: ['DNS:localhost'] };
  const good = await pki.issue({ name: 'good', ...localhost });
  const expired = await pki.issue({ name: 'expired', ...localhost, notBefore: new Date(now - 100 * DAY), notAfter: new Date(now - 3 * DAY) });
  const future = await pki.issue({ name: 'future', ...localhost, notBefore: new Date(now + 5 * DAY), notAfter: new Date(now + 95 * DAY) });
  const soon = await pki.issue({ name: 'soon', ...localhost, notAfter: new Date(now + 10 * DAY + 3_600_000) });
  const self = await pki.issue({ name: 'self', ...localhost, issuer: 'self' });
  const wrongName = await pki.issue({ name: 'wrong-name', cn: 'other.example', sans: ['DNS:other.example'] });
  const wildcard = await pki.issue({ name: 'wildcard', cn: '*.test.localhost', sans: ['DNS:*.test.localhost'] });
  const sha1 = await pki.issue({ name: 'sha1', ...localhost, md: 'sha1' });
  const rsa1024 = await pki.issue({ name: 'rsa1024', ...localhost, key: 'rsa:1024' });
  const ecdsa = await pki.issue({ name: 'ecdsa', ...localhost, key: 'ec' });
  // Root first, then the intermediate: every issuer is there, but not after the certificate it signs.
  const disordered = join(pki.dir, 'root-then-intermediate.pem');
  await writeFile(disordered, (await pem(pki.root.cert)) + (await pem(pki.intermediate.cert)));
  // A real OCSP response for the good leaf, signed by its issuer, for -status_file.
  const ocsp = join(pki.dir, 'good.ocsp');
  await run(OPENSSL, ['ocsp', '-index', join(pki.dir, 'index.txt'), '-rsigner', pki.intermediate.cert, '-rkey', pki.intermediate.key,
    '-CA', pki.intermediate.cert, '-issuer', pki.intermediate.cert, '-cert', good.cert, '-respout', ocsp, '-ndays', '2']);
  await Promise.all([
    serve('good', good),
    serve('stapling', good, { extraArgs: ['-status_file', ocsp] }),
    serve('expired', expired),
    serve('future', future),
    serve('soon', soon),
    serve('self', self),
    serve('wrongName', wrongName),
    serve('wildcard', wildcard),
    serve('missingIntermediate', good, { sendChain: false }),
    serve('disordered', good, { sendChain: false, extraArgs: ['-cert_chain', disordered] }),
    // OpenSSL refuses to load a SHA-1-signed or RSA 1024 certificate above security level 0.
    serve('sha1', sha1, { ciphers: WEAK }),
    serve('rsa1024', rsa1024, { ciphers: WEAK }),
    serve('tls13only', good, { protocols: ['TLSv1.3'] }),
    serve('dual', good, { extraArgs: ['-dcert', ecdsa.cert, '-dkey', ecdsa.key, '-dcert_chain', ecdsa.chain!] }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
  await pki?.cleanup();
});

async function observe(server: string, host = 'localhost', options: ProbeOptions = {}): Promise<TargetObservation> {
  return probe(`${host}:${servers[server]!.port}`, {
    resolve: async () => '127.0.0.1',
    protocols: ['TLSv1.2', 'TLSv1.3'],
    trustStore: loadTrustStore(pki.root.cert),
    ...options,
  });
}

function outcome(target: TargetObservation, strict = false) {
  const v = evaluate(compilePolicy(loadPolicy('certificates')), target, { strict });
  const findings = v.findings.filter((f) => f.severity !== 'info');
  return { status: v.status, fired: findings.map((f) => f.rule).sort(), findings, info: v.findings.filter((f) => f.severity === 'info') };
}

describe('probe certificates, judged by the certificates policy', () => {
  it('a good chain from the private CA (--ca-file): every fact known and good, pass', async () => {
    const t = await observe('good');
    expect(t.certificates).toHaveLength(1);
    const c = t.certificates![0]!;
    expect(c).toMatchObject({ source: 'probe', serverName: 'localhost', trusted: true, hostnameChecked: 'localhost', hostnameMatches: true, chainComplete: true, chainInOrder: true, expired: false, notYetValid: false, ocspStapled: false });
    expect(c.trustStore).toBe(`ca-file:${pki.root.cert}`);
    expect(c.chain.map((x) => x.subject)).toEqual(['CN=localhost', 'CN=tlsaudit test intermediate']);
    expect(c.chain[0]).toMatchObject({ keyType: 'RSA', keyBits: 2048, signatureAlgorithm: 'sha256WithRSAEncryption', selfSigned: false, issuer: 'CN=tlsaudit test intermediate' });
    expect(c.chain[0]!.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(c.daysLeft).toBeGreaterThanOrEqual(88);
    expect(t.certificate).toMatchObject({ subject: 'CN=localhost', keyType: 'RSA', keyBits: 2048 });
    expect(outcome(t)).toMatchObject({ status: 'pass', fired: [] });
    // The probe does not check revocation: said as info, never a violation.
    expect(outcome(t).info.map((f) => [f.rule, f.message])).toEqual([['certificate-revoked', "Not judged: no source reported the certificate's revocation."]]);
  });

  it('the same chain against Node\'s bundled roots: untrusted, fail', async () => {
    const t = await observe('good', 'localhost', { trustStore: undefined });
    expect(t.certificates![0]).toMatchObject({ trusted: false, trustStore: 'node' });
    expect(outcome(t)).toMatchObject({ status: 'fail', fired: ['certificate-trusted'] });
  });

  it('an expired leaf: expired, negative days left, fail', async () => {
    const t = await observe('expired');
    expect(t.certificates![0]).toMatchObject({ expired: true, notYetValid: false, trusted: true });
    expect(t.certificates![0]!.daysLeft).toBeLessThan(0);
    const o = outcome(t);
    expect(o).toMatchObject({ status: 'fail', fired: ['certificate-expired'] });
    expect(o.findings[0]!.message).toMatch(/The certificate has expired: expired on \d{4}-\d{2}-\d{2} \(judged at /);
  });

  it('a leaf not valid yet: fail', async () => {
    const t = await observe('future');
    expect(t.certificates![0]).toMatchObject({ expired: false, notYetValid: true });
    expect(outcome(t)).toMatchObject({ status: 'fail', fired: ['certificate-not-yet-valid'] });
  });

  it('a leaf with 10 days left: warn, and fail under --strict', async () => {
    const t = await observe('soon');
    expect(t.certificates![0]!.daysLeft).toBe(10);
    expect(outcome(t)).toMatchObject({ status: 'warn', fired: ['certificate-expiry-soon'] });
    expect(outcome(t).findings[0]!.message).toMatch(/expires in 10 days/);
    expect(outcome(t, true)).toMatchObject({ status: 'fail', fired: ['certificate-expiry-soon'] });
  });

  it('a self-signed leaf: untrusted with the reason, fail', async () => {
    const t = await observe('self');
    const c = t.certificates![0]!;
    expect(c.chain).toHaveLength(1);
    expect(c.chain[0]!.selfSigned).toBe(true);
    expect(c).toMatchObject({ trusted: false, trustError: 'self-signed certificate', chainComplete: true });
    expect(outcome(t)).toMatchObject({ status: 'fail', fired: ['certificate-trusted'] });
  });

  it('a certificate for another name: name mismatch, fail', async () => {
    const t = await observe('wrongName');
    expect(t.certificates![0]).toMatchObject({ hostnameChecked: 'localhost', hostnameMatches: false, trusted: true });
    const o = outcome(t);
    expect(o).toMatchObject({ status: 'fail', fired: ['certificate-name'] });
    expect(o.findings[0]!.message).toContain('DNS:other.example');
  });

  it('a wildcard covers one label (RFC 6125 section 6.4.3), not two, nor the bare domain', async () => {
    expect((await observe('wildcard', 'www.test.localhost')).certificates![0]).toMatchObject({ hostnameChecked: 'www.test.localhost', hostnameMatches: true });
    expect(outcome(await observe('wildcard', 'www.test.localhost'))).toMatchObject({ status: 'pass' });
    expect((await observe('wildcard', 'a.b.test.localhost')).certificates![0]!.hostnameMatches).toBe(false);
    expect((await observe('wildcard', 'test.localhost')).certificates![0]!.hostnameMatches).toBe(false);
  });

  it('a server that does not send the intermediate: incomplete chain (and so untrusted), fail', async () => {
    const t = await observe('missingIntermediate');
    const c = t.certificates![0]!;
    expect(c.chain).toHaveLength(1);
    expect(c).toMatchObject({ chainComplete: false, trusted: false });
    expect(c.trustError).toContain('tlsaudit test intermediate');
    expect(outcome(t)).toMatchObject({ status: 'fail', fired: ['certificate-chain-complete', 'certificate-trusted'] });
  });

  it('a chain sent out of order is seen as sent (TLS 1.2), still trusted and complete', async () => {
    const t = await observe('disordered');
    const c = t.certificates![0]!;
    expect(c.chain.map((x) => x.subject)).toEqual(['CN=localhost', 'CN=tlsaudit test root', 'CN=tlsaudit test intermediate']);
    expect(c).toMatchObject({ chainInOrder: false, trusted: true, chainComplete: true });
    expect(c.chain[1]!.selfSigned).toBe(true);
  });

  it('a TLS 1.3-only server: the chain as OpenSSL linked it (TLS 1.3 encrypts it), order not judged', async () => {
    const t = await observe('tls13only');
    const c = t.certificates![0]!;
    expect(c.chain.map((x) => x.subject)).toEqual(['CN=localhost', 'CN=tlsaudit test intermediate']);
    expect(c).toMatchObject({ trusted: true, chainComplete: true, hostnameMatches: true });
    expect(c.chainInOrder).toBeUndefined();
    expect(outcome(t)).toMatchObject({ status: 'pass', fired: [] });
  });

  it('a SHA-1-signed leaf: the signature below the root fails', async () => {
    const t = await observe('sha1');
    expect(t.certificates![0]!.chain[0]!.signatureAlgorithm).toBe('sha1WithRSAEncryption');
    const o = outcome(t);
    expect(o).toMatchObject({ status: 'fail', fired: ['certificate-signature'] });
    expect(o.findings[0]!.message).toContain('CN=localhost is signed with sha1WithRSAEncryption');
  });

  it('an RSA 1024 key: fail', async () => {
    const t = await observe('rsa1024');
    expect(t.certificates![0]!.chain[0]).toMatchObject({ keyType: 'RSA', keyBits: 1024 });
    expect(outcome(t)).toMatchObject({ status: 'fail', fired: ['certificate-rsa-key-size'] });
  });

  it('a dual RSA + ECDSA server shows both chains, each offered alone', async () => {
    const t = await observe('dual');
    const families = t.certificates!.map((c) => [c.keyFamily, c.chain[0]!.keyType]).sort();
    expect(families).toEqual([
      ['ecdsa', 'EC'],
      ['rsa', 'RSA'],
    ]);
    expect(t.certificates!.find((c) => c.keyFamily === 'ecdsa')!.chain[0]).toMatchObject({ curve: 'prime256v1', keyBits: 256 });
    expect(outcome(t)).toMatchObject({ status: 'pass' });
  });

  it('a stapled OCSP response is seen', async () => {
    expect((await observe('stapling')).certificates![0]!.ocspStapled).toBe(true);
  });
});

describe('certificate remediation', () => {
  const titles = (t: TargetObservation, server: 'nginx' | 'windows' | 'apache' | 'postfix') =>
    remediate(t, loadPolicy('certificates'), { servers: [server] }).map((a) => a.title);

  it('a missing intermediate: serve the full chain (nginx ssl_certificate, the Windows intermediate store)', async () => {
    const t = await observe('missingIntermediate');
    const nginx = remediate(t, loadPolicy('certificates'), { servers: ['nginx'] });
    // Untrusted only because the intermediate is missing: no advice to change CA.
    expect(nginx.map((a) => a.title)).toEqual(['Serve the intermediate certificates: point ssl_certificate at the full chain']);
    expect(nginx.find((a) => a.title.startsWith('Serve the intermediate'))?.snippet.text).toContain('ssl_certificate /etc/ssl/example.org/fullchain.pem;');
    const windows = remediate(t, loadPolicy('certificates'), { servers: ['windows'] });
    expect(windows.find((a) => a.title.startsWith('Serve the intermediate'))?.snippet.text).toContain('Cert:\\LocalMachine\\CA');
  });

  it('expired: renew; wrong name: the right name; RSA 1024: a new key; SHA-1: re-issue', async () => {
    expect(titles(await observe('expired'), 'nginx')).toEqual(['Renew the certificate before it expires, and reload the server']);
    expect(titles(await observe('wrongName'), 'apache')).toEqual(['Use a certificate that names the host clients connect to']);
    expect(titles(await observe('rsa1024'), 'postfix')).toEqual(['Replace the certificate with one whose key the policy accepts']);
    expect(titles(await observe('sha1'), 'windows')).toEqual(['Re-issue the certificate from a CA that signs with SHA-256 or better']);
  });

  it('a good certificate needs nothing', async () => {
    expect(titles(await observe('good'), 'nginx')).toEqual([]);
  });
});

describe('tlsaudit probe --policy certificates as a monitor (exit codes)', () => {
  const cli = (server: string, ...extra: string[]) =>
    runCli(['probe', '--policy', 'certificates', '--ca-file', pki.root.cert, '--sni', 'localhost', ...extra, `127.0.0.1:${servers[server]!.port}`], { entry: ENTRY });

  it('exits 1 for an expired certificate, naming it in the table', async () => {
    const r = await cli('expired');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('The certificate has expired');
  });

  it('exits 0 for one that expires within 30 days, 1 with --strict', async () => {
    expect((await cli('soon')).code).toBe(0);
    expect((await cli('soon', '--strict')).code).toBe(1);
  });

  it('exits 0 for a good certificate; the JSON report carries the chain and validates against the schema', async () => {
    expect((await cli('good')).code).toBe(0);
    const r = await cli('dual', '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { targets: TargetObservation[] };
    const validate = schemaValidator('report');
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.targets[0]!.certificates!.map((c) => c.keyFamily).sort()).toEqual(['ecdsa', 'rsa']);
  });

  it('exits 2 with one line for an unreadable --ca-file', async () => {
    const r = await runCli(['probe', '--policy', 'certificates', '--ca-file', join(pki.dir, 'absent.pem'), `127.0.0.1:${servers.good!.port}`], { entry: ENTRY });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('absent.pem');
  });
});
