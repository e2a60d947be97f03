/**
 * Text from others (host names, server messages, certificate fields, custom policy texts) must never
 * reach a terminal as control characters: Markdown and CSV are read with cat and less whatever their
 * destination; explain and policy show/list print to one.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Policy } from '../../src/policy/policy.js';
import { renderCsv } from '../../src/render/csv.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { SUITES, dataversePolicy, observation, report } from '../helpers/report-factory.js';
import { runCli } from '../helpers/run-cli.js';

/** ESC [2J clears the screen, OSC 0 retitles the window, BEL, CR overwrites, C1 CSI, DEL. */
const HOSTILE = 'evil\x1b[2J\x1b]0;owned\x07\rhidden\x9b31m\x7f\x00';
/** Any control character but tab and line feed (and the CSV line end), which are layout. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

const dir = mkdtempSync(join(tmpdir(), 'tlsaudit-tty-'));

function hostileReport() {
  const policy: Policy = { ...dataversePolicy(), id: 'hostile', name: `Policy ${HOSTILE}`, description: HOSTILE };
  const observations = [
    observation(`${HOSTILE}.example`, {
      address: '192.0.2.7',
      protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm, SUITES.rsaAes128CbcSha] },
      certificate: { subject: `CN=${HOSTILE}`, issuer: `CN=${HOSTILE} CA`, subjectAltNames: [HOSTILE] },
    }),
    observation(`down${HOSTILE}`, { error: `SSL Labs says: ${HOSTILE}` }),
  ];
  observations[0]!.runs[0]!.notes = [`note ${HOSTILE}`];
  return { ...report(observations, [policy]), notices: [`notice ${HOSTILE}`] };
}

describe('control characters in reports', () => {
  it('Markdown shows them as \\xNN and writes none', () => {
    const md = renderMarkdown(hostileReport());
    expect(md).not.toMatch(CONTROL);
    expect(md).toContain('\\\\x1B');
  });

  it('CSV shows them as \\xNN and writes none but its CRLF line ends', () => {
    const csv = renderCsv(hostileReport());
    expect(csv.replace(/\r\n/g, '\n')).not.toMatch(CONTROL);
    expect(csv).toContain('\\x1B[2J');
  });

  it('no host name or message gets one through Markdown or CSV', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), (host, message) => {
        const r = report([observation(host, { error: message || 'x' }), observation(`${host}.b`, { protocols: { 'TLSv1.2': [SUITES.rsa3des] } })]);
        expect(renderMarkdown(r)).not.toMatch(CONTROL);
        expect(renderCsv(r).replace(/\r\n/g, '\n')).not.toMatch(CONTROL);
      }),
      { numRuns: 200 },
    );
  });
});

describe('control characters on the terminal', () => {
  it('explain prints a hostile host name escaped', async () => {
    const file = join(dir, 'hostile.json');
    const r0 = hostileReport();
    writeFileSync(file, JSON.stringify({ ...r0, policy: { ...r0.policy, id: 'dataverse' }, policies: undefined }));
    const r = await runCli(['explain', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\\x1B[2J');
    expect(r.stdout).not.toMatch(CONTROL);
  });

  it('policy show and check print a custom policy escaped', async () => {
    const file = join(dir, 'policy.json');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        id: 'esc',
        name: `Hostile ${HOSTILE}`,
        description: HOSTILE,
        rules: [{ id: 'tls12', type: 'require-protocol', protocol: 'TLSv1.2', severity: 'fail', message: `no TLS 1.2 ${HOSTILE}` }],
      }),
    );
    const show = await runCli(['policy', 'show', file]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('\\x1B[2J');
    expect(show.stdout).not.toMatch(CONTROL);
    const check = await runCli(['policy', 'check', file]);
    expect(check.code).toBe(0);
    expect(check.stdout).not.toMatch(CONTROL);
  });

  it('markdown and csv on stdout carry none', async () => {
    const file = join(dir, 'hostile-merge.json');
    const r0 = hostileReport();
    writeFileSync(file, JSON.stringify({ ...r0, policy: { ...r0.policy, id: 'dataverse' }, policies: undefined }));
    for (const format of ['markdown', 'csv']) {
      const r = await runCli(['merge', file, '--format', format]);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.stdout.replace(/\r\n/g, '\n')).not.toMatch(CONTROL);
      expect(r.stderr).not.toMatch(CONTROL);
    }
  });
});
