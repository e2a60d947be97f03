/** Skipped ports (open, no TLS service): merged as a union, shown in every format, never judged. */
import { describe, expect, it } from 'vitest';
import type { Report, SkippedPort } from '../../src/model/index.js';
import { rendererFor } from '../../src/render/renderers.js';
import { FORMATS } from '../../src/render/renderer.js';
import { exitCodeFor, mergeReports, validateReport } from '../../src/report/index.js';
import { runCli } from '../helpers/run-cli.js';
import { FIXED_TIME, SUITES, dataversePolicy, observation, report } from '../helpers/report-factory.js';

const ssh: SkippedPort = { host: 'mail.example.org', address: '192.0.2.10', port: 22, service: 'ssh', reason: 'service ssh on a port nmap does not treat as TLS; ssl-enum-ciphers did not run there' };
const http: SkippedPort = { host: 'www.example.org', address: '192.0.2.20', port: 80, service: 'http', reason: 'service http on a port nmap does not treat as TLS; ssl-enum-ciphers did not run there' };
const alt: SkippedPort = { host: 'mail.example.org', address: '192.0.2.10', port: 8443, service: 'https-alt', reason: 'test' };

function withSkipped(skipped: SkippedPort[], port = 443): Report {
  const r = report([observation('mail.example.org', { address: '192.0.2.10', port, source: 'nmap', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })]);
  return { ...r, skipped };
}

describe('skipped ports', () => {
  it('merge: the union, each once, and none that another report assessed', () => {
    const probe = report([observation('192.0.2.10', { address: '192.0.2.10', port: 8443, source: 'probe', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })]);
    const merged = mergeReports([withSkipped([ssh, alt]), withSkipped([ssh, http]), probe], [dataversePolicy()], { generatedAt: FIXED_TIME });
    expect(merged.skipped).toEqual([ssh, http]);
    expect(merged.targets.map((t) => t.port).sort()).toEqual([443, 8443]);
    expect(() => validateReport(JSON.parse(JSON.stringify(merged)), 'merged')).not.toThrow();
    // A report without skipped ports stays without the key.
    expect('skipped' in mergeReports([report([])], [dataversePolicy()])).toBe(false);
  });

  it('do not change the verdicts or the exit status', () => {
    const r = withSkipped([ssh, http]);
    expect(r.summary).toEqual({ pass: 1, warn: 0, fail: 0, error: 0 });
    expect(exitCodeFor(r.targets)).toBe(0);
  });

  it('are shown in every format', () => {
    const r = withSkipped([ssh, http]);
    const policies = [dataversePolicy()];
    const out = Object.fromEntries(FORMATS.map((f) => [f, rendererFor(f).render(r, { policies })]));
    expect(out.table).toMatch(/1 target: 1 pass, 0 warn, 0 fail, 0 error; 2 open ports skipped \(no TLS service\)/);
    expect(out.json).toContain('"skipped"');
    expect(validateReport(JSON.parse(out.json!), 'json').skipped).toEqual([ssh, http]);
    expect(out.markdown).toMatch(/## Skipped ports/);
    expect(out.markdown).toMatch(/\| mail\.example\.org:22 \(ssh\) \| 192\.0\.2\.10 \| ssh \| service ssh on a port nmap does not treat as TLS/);
    expect(out.html).toMatch(/<section id="skipped"><h2>Skipped ports<\/h2>/);
    expect(out.html).toContain('www.example.org:80 (http)');
    expect(out.csv).toContain('mail.example.org,192.0.2.10,22,,skipped,,,,,,,,service ssh on a port nmap does not treat as TLS; ssl-enum-ciphers did not run there\r\n');
    expect(out.junit).toMatch(/<testsuite name="www\.example\.org:80 \(http\)" tests="1" failures="0" errors="0" skipped="1">\s*<testcase name="tls" classname="skipped">\s*<skipped message="service http/);
    expect(out.junit).toMatch(/<testsuites name="tlsaudit" tests="\d+" failures="0" errors="0" skipped="2">/);
    expect(JSON.parse(out.sarif!).runs[0].properties.skipped).toEqual([ssh, http]);
    expect(JSON.parse(out.sarif!).runs[0].results.some((x: { message: { text: string } }) => x.message.text.includes('ssh'))).toBe(false);
  });

  it('merge on the command line keeps them (and a report with them validates on the way in)', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-skipped-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify(withSkipped([ssh])));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(withSkipped([http])));
    const r = await runCli(['merge', join(dir, 'a.json'), join(dir, 'b.json'), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).skipped).toEqual([ssh, http]);
  });
});
