import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import { FIXED_TIME, SUITES, dataversePolicy, observation, report, strictModernPolicy } from '../helpers/report-factory.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`Skipping the HTML report browser test: ${CHROMIUM} is not installed (apt-get install chromium).`);

const XSS = '<img src=x onerror=alert(1)>';

describe.skipIf(!haveChromium)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const policies = [dataversePolicy(), strictModernPolicy()];
    const merged = mergeReports(
      [
        report([
          observation('mail.example.org', { address: '192.0.2.10', protocols: { 'TLSv1.0': [SUITES.rsaAes128CbcSha], 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } }),
          observation(XSS, { address: '192.0.2.66', protocols: { 'TLSv1.3': [SUITES.tls13Aes128Gcm] }, service: '<script>alert(2)</script>' }),
          observation('10.0.0.5', { error: `Connection refused" onmouseover="alert(3)` }),
        ]),
        report([observation('mail.example.org', { address: '192.0.2.10', source: 'ssllabs', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })]),
      ],
      policies,
      { generatedAt: FIXED_TIME, notices: ['<u>not underlined</u>'] },
    );
    dir = mkdtempSync(join(tmpdir(), 'tlsaudit-html-'));
    file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(merged, { policies }));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders, with no console errors, no dialogs, no requests, and hostile names as text', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForLoadState('load');

    expect(await page.title()).toBe('TLS audit: Microsoft Dataverse (Power Platform) server TLS requirements');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('u').count()).toBe(0);
    expect(await page.locator('[onmouseover]').count()).toBe(0);

    // The hostile name is on the page as text, where a person can read it.
    const matrixHost = page.locator('.combined table.matrix tbody th a', { hasText: XSS });
    expect(await matrixHost.count()).toBe(1);
    expect(await matrixHost.textContent()).toBe(`${XSS}:443`);
    expect(await page.locator('article h3', { hasText: XSS }).count()).toBe(1);
    expect(await page.getByText('<script>alert(2)</script>').count()).toBe(1);
    expect(await page.getByText('<u>not underlined</u>').count()).toBe(1);

    // The matrix: one row per target, a coloured cell per rule of each policy plus a status per policy.
    expect(await page.locator('.combined table.matrix tbody tr').count()).toBe(3);
    expect(await page.locator('.combined table.matrix tbody tr').first().locator('td').count()).toBe(5 + 1 + 2 + 1);
    const mailRow = page.locator('.combined table.matrix tbody tr', { hasText: 'mail.example.org' });
    const colour = await mailRow.locator('td.warn').first().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    expect(colour).toBe('rgb(255, 248, 197)');
    const failColour = await mailRow.locator('td.fail').first().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    expect(failColour).toBe('rgb(255, 235, 233)');

    // Links in the matrix lead to the target's detail.
    const href = await mailRow.locator('a').getAttribute('href');
    expect(await page.locator(`${href} h4`, { hasText: 'Cipher suites' }).count()).toBe(1);
    await page.close();
  });
});
