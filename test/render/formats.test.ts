import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../src/render/csv.js';
import { renderDiffTable } from '../../src/render/diff-renderers.js';
import { diffReports } from '../../src/report/diff-reports.js';
import { renderHtml } from '../../src/render/html.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { rendererFor, RENDERERS } from '../../src/render/renderers.js';
import { FORMATS } from '../../src/render/renderer.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import { FIXED_TIME, SUITES, dataversePolicy, observation, report, strictModernPolicy } from '../helpers/report-factory.js';

/** RFC 4180 reader, enough to check what the renderer wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  expect(field).toBe('');
  return rows;
}

const XSS = '<img src=x onerror=alert(1)>';

const multi = mergeReports(
  [
    report([
      observation('mail.example.org', { address: '192.0.2.10', protocols: { 'TLSv1.0': [SUITES.rsaAes128CbcSha], 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
      observation(XSS, { address: '192.0.2.66', protocols: { 'TLSv1.3': [SUITES.tls13Chacha] } }),
      observation('down, "badly"', { error: 'Connection refused.' }),
    ]),
    report([observation('mail.example.org', { address: '192.0.2.10', source: 'ssllabs', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })]),
  ],
  [dataversePolicy(), strictModernPolicy()],
  { generatedAt: FIXED_TIME },
);
const policies = [dataversePolicy(), strictModernPolicy()];

describe('every format', () => {
  it('has a renderer, and unknown formats are usage errors', () => {
    for (const f of FORMATS) expect(rendererFor(f).format).toBe(f);
    expect(() => rendererFor('pdf')).toThrow(/Unknown format 'pdf': choose one of table, json, markdown, html, csv, junit, sarif/);
    expect(() => rendererFor('constructor')).toThrow(/Unknown format/);
  });

  it("shows every policy's verdict of every target", () => {
    for (const f of FORMATS) {
      const out = RENDERERS[f].render(multi, { policies });
      expect(out, f).toContain('modern');
      expect(out, f).toContain('dataverse');
    }
    const table = RENDERERS.table.render(multi);
    expect(table).toMatch(/WARN dataverse\s*│[^\n]*\n[^\n]*FAIL modern/);
  });
});

describe('renderCsv', () => {
  const HEAD = ['host', 'address', 'port', 'policy', 'status', 'rule', 'outcome', 'protocol', 'code', 'name', 'sources', 'observedAt', 'error'];
  const col = (name: string) => HEAD.indexOf(name);
  const pick = (rows: string[][], ...names: string[]) => rows.map((r) => names.map((n) => r[col(n)]));

  it('writes a header, per target and policy the suite inventory, then each rule with its outcome', () => {
    const rows = parseCsv(renderCsv(multi, { policies }));
    expect(rows[0]).toEqual(HEAD);
    expect(rows.every((r) => r.length === HEAD.length)).toBe(true);
    const mail = rows.filter((r) => r[0] === 'mail.example.org' && r[col('policy')] === 'dataverse');
    // The inventory: every suite once, with the sources that saw it; no rule.
    expect(pick(mail.filter((r) => r[col('rule')] === ''), 'status', 'protocol', 'code', 'sources')).toEqual([
      ['warn', 'TLSv1.0', SUITES.rsaAes128CbcSha, 'nmap'],
      ['warn', 'TLSv1.2', SUITES.ecdheRsaAes128Gcm, 'nmap ssllabs'],
    ]);
    // Every rule of the policy, with the suites or protocols its findings name.
    expect(pick(mail.filter((r) => r[col('rule')] !== ''), 'rule', 'outcome', 'protocol', 'code')).toEqual([
      ['tls13-or-tls12', 'pass', '', ''],
      ['approved-suite', 'pass', '', ''],
      ['legacy-protocols', 'warn', 'TLSv1.0', ''],
      ['plain-rsa-key-exchange', 'warn', 'TLSv1.0', SUITES.rsaAes128CbcSha],
      ['ssllabs-weak-cbc-note', 'pass', '', ''],
    ]);
    // A target that could not be assessed: every rule is an error, with the reason.
    const down = rows.filter((r) => r[0] === 'down, "badly"' && r[col('policy')] === 'modern');
    expect(down.length).toBeGreaterThan(1);
    expect(down.every((r) => r[col('status')] === 'error' && r[col('error')] === 'Connection refused.')).toBe(true);
    expect(down.filter((r) => r[col('rule')] !== '').every((r) => r[col('outcome')] === 'error')).toBe(true);
  });

  it('answers "every suite that breaks rule X" with one filter', () => {
    const rows = parseCsv(renderCsv(multi, { policies }));
    const breaking = rows.filter((r) => r[col('rule')] === 'plain-rsa-key-exchange' && ['warn', 'fail'].includes(r[col('outcome')]!));
    expect(pick(breaking, 'host', 'policy', 'code', 'name')).toEqual([['mail.example.org', 'dataverse', SUITES.rsaAes128CbcSha, 'TLS_RSA_WITH_AES_128_CBC_SHA']]);
  });

  it('defuses formulas in host names', () => {
    const rows = parseCsv(renderCsv(report([observation('=cmd|"/C calc"!A0', { protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })])));
    expect(rows[1]![0]).toBe(`'=cmd|"/C calc"!A0`);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(multi, { policies });

  it('has the summary, policy source, a row per target, findings with evidence and sources, and suites', () => {
    expect(md).toContain('## Summary');
    expect(md).toContain('| dataverse | 0 | 1 | 1 | 1 |');
    expect(md).toContain('[Power Platform admin: Server cipher suites and TLS requirements](<https://learn.microsoft.com/en-us/power-platform/admin/server-cipher-tls-requirements>)');
    expect(md).toMatch(/\| mail\.example\.org:443 \| 192\.0\.2\.10 \| WARN \| FAIL \|/);
    expect(md).toContain('- **WARN** `legacy-protocols` (dataverse): Deprecated protocol versions are enabled: TLSv1.0. Evidence: protocols TLSv1.0; seen by nmap.');
    expect(md).toContain('| TLS 1.2 | `0xC02F` | `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256` | nmap, ssllabs |');
    expect(md).toContain('- nmap saw TLSv1.0 enabled; ssllabs did not.');
    expect(md).toContain('| `no-cbc` | warn | No CBC suites | CBC mode with MAC-then-encrypt has a history of padding-oracle attacks. |');
  });

  it('escapes host names and keeps table rows whole', () => {
    expect(md).not.toContain(XSS);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;:443');
    for (const line of md.split('\n').filter((l) => l.startsWith('| '))) {
      expect(line.replace(/\\\|/g, '').split('|').length, line).toBeGreaterThan(2);
    }
  });
});

describe('renderHtml', () => {
  const html = renderHtml(multi, { policies });

  it('is one self-contained document: no scripts, no external fetches', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|src=["']?http|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes every value from the report', () => {
    expect(html).not.toContain(XSS);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('down, &quot;badly&quot;');
    expect(html).toContain('Internal standard &lt;TLS-7&gt;');
    expect(html).toContain('href="https://example.org/standards/tls?x=1&amp;y=%3C2%3E"');
  });

  it('links only web URLs', () => {
    const evil = { ...dataversePolicy(), source: { title: 'Click', url: 'javascript:alert(1)' } };
    const out = renderHtml(report([], [evil]), { policies: [evil] });
    expect(out).not.toContain('javascript:');
    expect(out).toContain('Click');
  });

  it('has the matrix of targets by rules, per-target detail, and the policy text', () => {
    expect(html).toContain('Compliance by rule');
    expect(html).toMatch(/<td class="warn first" title="legacy-protocols: Warn">|<td class="warn" title="legacy-protocols: Warn">/);
    expect(html).toContain('title="tls13-required: Fail"');
    expect(html).toContain('Sources disagree');
    expect(html).toContain('Dataverse offers only these, so the handshake fails unless the server accepts one.');
  });
});

describe('renderTable', () => {
  // A host name or server message can carry control characters (nmap writes &#9; or &#27; through);
  // the terminal view must neither crash on them nor pass them to the terminal.
  const hostile = report(
    [
      observation('tab\there.example', { protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
      observation('esc\u001b[2J\u001b]0;owned\u0007.example', { error: 'Server said \u001b[31mred\u0000\r done.' }),
    ],
    [dataversePolicy()],
  );

  it('shows host names and messages with control characters, never the characters themselves', () => {
    const text = rendererFor('table').render(hostile, { color: false });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('tab');
    expect(text).toContain('Server said');
  });

  it('keeps its own colours when colour is on', () => {
    const text = rendererFor('table').render(hostile, { color: true });
    expect(text).toContain('\u001b[');
    expect(text).not.toMatch(/\u001b\[2J|\u001b\]0;|\u0007|\u0000/);
  });
});

describe('renderDiffTable', () => {
  it('shows control characters in host names and messages as text, never writes them', () => {
    const host = 'esc\u001b[2J.example';
    const before = report([observation(host, { protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })], [dataversePolicy()]);
    const after = report([observation(host, { error: 'Refused \u001b]0;owned\u0007.' })], [dataversePolicy()]);
    const text = renderDiffTable(diffReports(before, after), { color: false });
    expect(text).toContain('esc');
    expect(text).toContain('Refused');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});
