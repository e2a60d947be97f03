import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';

const run = promisify(execFile);

// The README's library example, run as a user's ESM script would run it: through the package's
// `exports` (a package may import itself by name), from the built dist/.
const example = `
import { readFileSync } from 'node:fs';
import { parseNmapXml, buildReport, loadPolicy, renderMarkdown, exitCodeFor } from 'tlsaudit';

const { observations } = parseNmapXml(readFileSync('fixtures/nmap/sample.xml', 'utf8'), 'sample.xml');
const report = buildReport(observations, [loadPolicy('dataverse')]);
console.log(JSON.stringify({ summary: report.summary, exit: exitCodeFor(report.targets), md: renderMarkdown(report).length }));
`;

describe('the package as a library', () => {
  it('runs the README example through the package exports', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', example], { cwd: ROOT });
    const out = JSON.parse(stdout) as { summary: Record<string, number>; exit: number; md: number };
    expect(out.summary).toEqual({ pass: 3, warn: 2, fail: 2, error: 0 });
    expect(out.exit).toBe(1);
    expect(out.md).toBeGreaterThan(1000);
  });

  it('ships type declarations for the entry point', () => {
    expect(existsSync(`${ROOT}dist/index.d.ts`)).toBe(true);
  });
});
