import { spawnSync } from 'node:child_process';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/render/table.js';
import { fitColumns, tableOverhead } from '../../src/render/table-layout.js';
import { readReport } from '../../src/report/read-report.js';
import { BIN, ROOT, runCli } from '../helpers/run-cli.js';

const report = readReport(`${ROOT}fixtures/reports/merged-two-policies.json`);
const single = readReport(`${ROOT}fixtures/reports/nmap-internal.json`);
const widest = (text: string) => Math.max(...stripAnsi(text).split('\n').map((l) => stringWidth(l)));
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('the table fits the terminal', () => {
  it.each([80, 120, 200])('at %i columns no line is wider, and every target, status and reason is there', (width) => {
    const text = renderTable(report, { width, color: true });
    expect(widest(text)).toBeLessThanOrEqual(width);
    // Two policies' statuses side by side need more than 80 columns; one policy's table fits in 80.
    if (width > 80) expect(text).toContain('┌');
    expect(renderTable(single, { width })).toContain('┌');
    expect(widest(renderTable(single, { width }))).toBeLessThanOrEqual(width);
    const flat = stripAnsi(text).replace(/[│\s]+/g, ' ');
    for (const t of report.targets) {
      expect(flat).toContain(String(t.port));
      expect(flat).toContain(t.verdict.status.toUpperCase());
    }
    // The wrapped reasons still carry every word of every finding's message.
    for (const t of report.targets)
      for (const v of t.verdicts ?? [t.verdict])
        for (const f of v.findings.filter((x) => x.severity !== 'info'))
          for (const word of f.message.split(/\s+/).filter((w) => w.length > 3 && /^[A-Za-z]+$/.test(w))) expect(flat).toContain(word);
  });

  it('uses the room it has: a wider terminal gives fewer, longer lines', () => {
    const lines = (width: number) => renderTable(single, { width }).split('\n').length;
    expect(lines(200)).toBeLessThan(lines(120));
    expect(lines(120)).toBeLessThan(lines(80));
  });

  it('below a usable width shows one block per target instead of a table', () => {
    const text = renderTable(report, { width: 60 });
    expect(text).not.toContain('┌');
    expect(widest(text)).toBeLessThanOrEqual(60);
    for (const t of report.targets) expect(text).toContain(`${t.host}`.slice(0, 20));
    expect(text.match(/^ {2}Why: /gm)?.length).toBe(report.targets.length);
  });

  it('fitColumns gives up width in the order asked and says when nothing fits', () => {
    const natural = [30, 4, 40];
    const steps = [
      { column: 2, floor: 20 },
      { column: 0, floor: 10 },
    ];
    expect(fitColumns(natural, steps, 74 + tableOverhead(3))).toEqual([30, 4, 40]);
    expect(fitColumns(natural, steps, 60 + tableOverhead(3))).toEqual([30, 4, 26]);
    expect(fitColumns(natural, steps, 40 + tableOverhead(3))).toEqual([16, 4, 20]);
    expect(fitColumns(natural, steps, 30 + tableOverhead(3))).toBeUndefined();
  });

  it('the CLI sizes the table from COLUMNS when stdout is not a terminal', async () => {
    for (const width of [80, 120, 200]) {
      const run = await runCli(['nmap', 'fixtures/nmap/sample.xml'], { env: { COLUMNS: String(width) } });
      expect(run.code).toBe(1);
      expect(widest(run.stdout)).toBeLessThanOrEqual(width);
      expect(widest(run.stdout)).toBeGreaterThan(width - 10);
    }
  });

  it.skipIf(!hasScript)('in a real pseudo-terminal the table follows the terminal width', () => {
    for (const width of [80, 120, 200]) {
      const command = `stty cols ${width} rows 50; NO_COLOR=1 COLUMNS= ${process.execPath} ${BIN} nmap fixtures/nmap/sample.xml`;
      const run = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8' });
      const text = run.stdout.replace(/\r/g, '');
      expect(text).toContain('Target');
      expect(widest(text)).toBeLessThanOrEqual(width);
      expect(widest(text)).toBeGreaterThan(width - 10);
    }
  });
});
