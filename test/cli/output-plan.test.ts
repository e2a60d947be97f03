import { describe, expect, it } from 'vitest';
import { formatOfPath, planOutputs, summaryLine, writesToFile } from '../../src/cli/output-plan.js';
import { colorEnabled } from '../../src/cli/terminal-options.js';
import { describeHello } from '../../src/adapters/probe/describe-hello.js';

describe('which format each -o gets', () => {
  it('infers it from the extension, case aside; .txt and unknown extensions are the table', () => {
    expect(['r.json', 'r.md', 'r.html', 'R.HTML', 'r.csv', 'r.xml', 'r.sarif', 'r.pdf', 'r.txt', 'r.log', 'report'].map((p) => formatOfPath(p) ?? '-')).toEqual([
      'json', 'markdown', 'html', 'html', 'csv', 'junit', 'sarif', 'pdf', 'table', '-', '-',
    ]);
    expect(planOutputs(['audit.md'], undefined)).toEqual([{ path: 'audit.md', format: 'markdown' }]);
    expect(planOutputs(['audit.log'], undefined)).toEqual([{ path: 'audit.log', format: 'table' }]);
  });

  it('lets --format win for one output, and defaults stdout to the table', () => {
    expect(planOutputs(['audit.json'], 'csv')).toEqual([{ path: 'audit.json', format: 'csv' }]);
    expect(planOutputs(undefined, undefined)).toEqual([{ path: undefined, format: 'table' }]);
    expect(planOutputs(['-'], 'json')).toEqual([{ path: undefined, format: 'json' }]);
  });

  it('with several -o, each extension decides; --format, an unknown extension, - or a repeated path is a usage error', () => {
    expect(planOutputs(['r.html', 'r.json', 'r.sarif'], undefined)).toEqual([
      { path: 'r.html', format: 'html' },
      { path: 'r.json', format: 'json' },
      { path: 'r.sarif', format: 'sarif' },
    ]);
    expect(() => planOutputs(['r.html', 'r.json'], 'json')).toThrow(/--format applies to one output only/);
    expect(() => planOutputs(['r.html', 'r.log'], undefined)).toThrow(/Cannot tell the format of -o r\.log/);
    expect(() => planOutputs(['r.html', '-'], undefined)).toThrow(/-o -/);
    expect(() => planOutputs(['r.html', 'r.html'], undefined)).toThrow(/given twice/);
  });

  it('counts a file as a file, and stdout by any name as stdout', () => {
    expect(writesToFile(planOutputs(undefined, undefined))).toBe(false);
    expect(writesToFile(planOutputs(['/dev/stdout'], 'json'))).toBe(false);
    expect(writesToFile(planOutputs(['r.json'], undefined))).toBe(true);
  });
});

describe('the summary line', () => {
  it('tells the verdicts, the skipped ports and where the report went', () => {
    expect(summaryLine({ pass: 3, warn: 2, fail: 2, error: 0 }, 1, ['report.html'])).toBe('7 targets: 3 pass, 2 warn, 2 fail, 0 error; 1 skipped -> report.html');
    expect(summaryLine({ pass: 1, warn: 0, fail: 0, error: 0 }, 0, ['r.html', 'r.json'])).toBe('1 target: 1 pass, 0 warn, 0 fail, 0 error -> r.html, r.json');
  });
});

describe('colour, as the npm ecosystem decides it', () => {
  it('a terminal gets colour, a pipe does not, TERM=dumb does not', () => {
    expect(colorEnabled(true, {}, true)).toBe(true);
    expect(colorEnabled(false, {}, true)).toBe(false);
    expect(colorEnabled(true, { TERM: 'dumb' }, true)).toBe(false);
  });

  it('FORCE_COLOR turns it on even for a pipe, except 0 and false; NO_COLOR and --no-color win', () => {
    for (const v of ['1', '2', '3', 'true', '']) expect(colorEnabled(false, { FORCE_COLOR: v }, true), v).toBe(true);
    for (const v of ['0', 'false']) expect(colorEnabled(true, { FORCE_COLOR: v }, true), v).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
    // NO_COLOR counts only when not empty (https://no-color.org).
    expect(colorEnabled(true, { NO_COLOR: '' }, true)).toBe(true);
    expect(colorEnabled(true, { FORCE_COLOR: '1' }, false)).toBe(false);
  });
});

describe("a hello's line for -v", () => {
  it('names the protocol, the suites offered and the answer', () => {
    expect(describeHello({ version: 'TLSv1.2', offered: 127, result: { kind: 'accepted', suite: 0xc02f, version: 0x0303, helloRetryRequest: false } })).toBe(
      'TLSv1.2 hello, 127 suites: accepted TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F)',
    );
    expect(describeHello({ version: 'TLSv1.0', offered: 1, result: { kind: 'refused', alert: 'protocol_version', protocolVersion: true, clean: true } })).toBe(
      'TLSv1.0 hello, 1 suite: refused with alert protocol_version',
    );
    expect(describeHello({ version: 'TLSv1.3', offered: 5, result: { kind: 'silent', reason: 'the connection was reset' } })).toBe(
      'TLSv1.3 hello, 5 suites: no TLS answer: the connection was reset',
    );
  });
});
