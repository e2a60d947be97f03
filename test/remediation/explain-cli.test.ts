/** `tlsaudit explain REPORT.json [HOST:PORT]` as a user runs it (the built CLI), on a report built from recorded SSL Labs assessments. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSslLabsJson } from '../../src/adapters/ssllabs/import-ssllabs-json.js';
import { loadPolicy } from '../../src/policy/index.js';
import { buildReport } from '../../src/report/index.js';
import { runCli } from '../helpers/run-cli.js';

let dir = '';
let report = '';
let custom = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tlsaudit-explain-'));
  const observations = ['defectdojo-3des-badssl-v3.json', 'defectdojo-ok-mevitae-v3.json'].flatMap((f) =>
    importSslLabsJson(readFileSync(`fixtures/ssllabs/${f}`, 'utf8'), f),
  );
  report = join(dir, 'report.json');
  writeFileSync(report, JSON.stringify(buildReport(observations, [loadPolicy('dataverse'), loadPolicy('mozilla-modern')])));
  custom = join(dir, 'custom.json');
  writeFileSync(custom, JSON.stringify(buildReport(observations, [loadPolicy('fixtures/policies/example-internal.json')])));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tlsaudit explain', () => {
  it("explains one target under each of the report's policies, for one server kind", async () => {
    const r = await runCli(['explain', report, '3des.badssl.com:443', '--server', 'nginx']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^3des\.badssl\.com:443/);
    expect(r.stdout).toContain('(dataverse): FAIL');
    expect(r.stdout).toContain('(mozilla-modern): FAIL');
    expect(r.stdout).toContain('Approved suites to enable');
    expect(r.stdout).toContain('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (ECDHE-RSA-AES128-GCM-SHA256)');
    expect(r.stdout).toContain('ssl_protocols TLSv1.2;');
    expect(r.stdout).not.toContain('Disable-TlsCipherSuite');
    expect(r.stdout).not.toContain('defectdojo.mevitae.com');
    // Modern turns TLS 1.2 off; Dataverse requires it.
    expect(r.stdout).toContain('mozilla-modern turns off TLS 1.2, which dataverse requires');
  });

  it('says a compliant target needs nothing, and explains every target without a selector', async () => {
    const r = await runCli(['explain', report, '--server', 'windows', '--policy', 'dataverse']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/defectdojo\.mevitae\.com:443[^\n]*\n[^\n]*\(dataverse\): PASS\n\s+Meets the policy; nothing to change\./);
    expect(r.stdout).toContain("Disable-TlsCipherSuite -Name 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'");
    expect(r.stdout).toContain('SCHANNEL\\Protocols\\TLS 1.0\\Server');
  });

  it('names the targets when the selector matches none (exit 2)', async () => {
    const r = await runCli(['explain', report, 'nowhere.test:443']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `tlsaudit: No target nowhere.test:443 in ${report}; it has 2 targets: 3des.badssl.com:443, defectdojo.mevitae.com:443.`,
    );
  });

  it('asks for the file of a custom policy the report was scored against', async () => {
    const r = await runCli(['explain', custom]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("policy 'example-internal', which is not built in; give its file with --policy FILE");
    const ok = await runCli(['explain', custom, '--policy', 'fixtures/policies/example-internal.json', '--server', 'postfix']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('(example-internal): FAIL');
    expect(ok.stdout).toContain('smtpd_tls_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1');
  });

  it('rejects a file that is not a report in one line', async () => {
    const r = await runCli(['explain', 'fixtures/policies/example-internal.json']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('Report fixtures/policies/example-internal.json is not a tlsaudit report');
  });
});
