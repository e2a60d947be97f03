import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/load-policy.js';
import { renderHtml } from '../../src/render/html.js';
import { policyViews, targetVerdicts } from '../../src/render/report-view.js';
import { readReport } from '../../src/report/read-report.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const havePdftotext = spawnSync('pdftotext', ['-v']).status === 0;
if (!haveChromium || !havePdftotext) console.warn('Skipping the print tests: they need chromium and pdftotext (apt-get install chromium poppler-utils).');

/** Millimetres to CSS pixels (96 per inch). */
const mm = (n: number) => (n * 96) / 25.4;
/** Paper widths less the stylesheet's 12 mm side margins. */
const PRINTABLE = { a4: mm(210 - 24), letter: mm(215.9 - 24) } as const;

/** PDF text in content order with all white space gone, so words that wrapped inside a cell join again. */
function pdfText(file: string): { layout: string; joined: string } {
  const raw = spawnSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
  const layout = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  return { layout: layout.stdout, joined: raw.stdout.replace(/\s+/g, '') };
}
const squash = (s: string) => s.replace(/\s+/g, '');

describe.skipIf(!haveChromium || !havePdftotext)('the HTML report on paper', () => {
  let dir: string;
  let browser: Browser;
  // Four policies with many rules between them: the widest matrix the built-in policies make.
  const policyIds = ['dataverse', 'mozilla-intermediate', 'mozilla-modern', 'nist-800-52r2'];
  const policies = policyIds.map((id) => loadPolicy(id));
  const report = mergeReports([readReport(`${ROOT}fixtures/reports/nmap-internal.json`)], policies, {});

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tlsaudit-print-'));
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(['a4', 'letter'] as const)('printed on %s, no matrix column is cut off', async (paper) => {
    const page = await browser.newPage({ viewport: { width: Math.floor(PRINTABLE[paper]), height: 1000 } });
    await page.emulateMedia({ media: 'print' });
    await page.setContent(renderHtml(report, { policies }));
    const overflow = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { documentElement: { clientWidth: number }; querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): { right: number; width: number } }> } }).document;
      const width = doc.documentElement.clientWidth;
      const cells = Array.from(doc.querySelectorAll('.print-only table.matrix th, .print-only table.matrix td'));
      return { width, cells: cells.length, beyond: cells.filter((c) => c.getBoundingClientRect().right > width + 0.5 || c.getBoundingClientRect().width === 0).length };
    });
    expect(overflow.cells).toBeGreaterThan(report.targets.length * policyIds.length);
    expect(overflow.beyond).toBe(0);
    await page.close();
  });

  it.each(['a4', 'letter'] as const)('--format pdf --paper %s keeps every target, rule, status and fix, with running header and footer', async (paper) => {
    const file = join(dir, `report-${paper}.pdf`);
    const run = await runCli(['merge', join(dir, 'report.json'), ...policyIds.flatMap((p) => ['--policy', p]), '--format', 'pdf', '--paper', paper, '-o', file]);
    // Only the line that says where the report went.
    expect(run.stderr).toMatch(new RegExp(`^${report.targets.length} targets: \\d+ pass, \\d+ warn, \\d+ fail, \\d+ error(; \\d+ skipped)? -> ${file.replace(/[.]/g, '\\.')}\\n$`));
    expect(run.code).toBe(1);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The page size Chromium wrote, as pdfinfo names it.
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(paper === 'a4' ? /Page size:.*\(A4\)/ : /Page size:\s+612 x 792 pts \(letter\)/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThan(1);

    const { layout, joined } = pdfText(file);
    for (const t of report.targets) {
      expect(joined).toContain(squash(`${t.host}:${t.port}`));
      for (const v of targetVerdicts(report, t)) expect(joined).toContain(squash(`${v.status.toUpperCase()}`));
    }
    // Every rule of every policy is a column of its policy's matrix and a row of the policy text.
    for (const view of policyViews(report, policies)) {
      for (const rule of view.rules) expect(joined.split(squash(rule.id)).length - 1, rule.id).toBeGreaterThanOrEqual(2);
    }
    // "How to fix" is printed expanded: the advice's snippets are on paper.
    expect(joined).toContain(squash('ssl_protocols'));
    expect(joined).toContain(squash('SSLProtocol'));
    // Each page carries the running header (title) and footer (page n of N).
    expect(layout.match(/Page \d+ of \d+/g)?.length).toBe(pages);
    expect(layout.match(/TLS audit report: dataverse, mozilla-intermediate/g)?.length).toBe(pages);
    expect(layout).toContain(`Page ${pages} of ${pages}`);
  });

  it('a browser that is not there is a one-line error before any work, and nothing is written', async () => {
    const file = join(dir, 'none.pdf');
    const run = await runCli(['nmap', 'fixtures/nmap/sample.xml', '--format', 'pdf', '-o', file], { env: { TLSAUDIT_CHROMIUM: join(dir, 'no-such-browser') } });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/TLSAUDIT_CHROMIUM names .*no-such-browser/);
    expect(existsSync(file)).toBe(false);
    const none = await runCli(['nmap', 'fixtures/nmap/sample.xml', '--format', 'pdf', '-o', file], { env: { PATH: dir } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/apt-get install chromium/);
  });

  it('a hostile generatedAt or policy id cannot break out of the page header', async () => {
    const hostile = { ...report, generatedAt: '"}</style><script>alert(1)</script>' };
    const html = renderHtml(hostile, { policies });
    expect(html).not.toContain('<script>');
    const page = await browser.newPage();
    await page.setContent(html);
    expect(await page.locator('script').count()).toBe(0);
    await page.close();
  });
});
