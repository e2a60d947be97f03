import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, escapeHtml, escapeMarkdown, escapeXml, markdownCode, safeUrl } from '../../src/render/escape.js';

describe('escapeHtml', () => {
  it('escapes the five specials', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  });

  it('replaces characters XML cannot hold and leaves the rest', () => {
    expect(escapeXml('a\u0000b\u001Fc\td\ne\uFFFF')).toBe('a\uFFFDb\uFFFDc\td\ne\uFFFD');
    expect(escapeXml('😀 \uD800x')).toBe('😀 \uFFFDx');
  });

  it('never lets a tag or attribute quote through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);
        expect(out.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
      }),
    );
  });

  it('renders numbers and absent values', () => {
    expect(escapeHtml(443)).toBe('443');
    expect(escapeHtml(undefined)).toBe('');
  });
});

describe('csvField', () => {
  it('quotes per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses spreadsheet formulas', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    // A leading tab is shown as \x09 like every control character, so it cannot start a formula either.
    expect(csvField('\tx')).toBe('\\x09x');
    expect(csvField('\x1b[2Jx\ry')).toBe('"\\x1B[2Jx\ny"');
    expect(csvField('=HYPERLINK("http://e","x")')).toBe(`"'=HYPERLINK(""http://e"",""x"")"`);
    expect(csvField('a=1')).toBe('a=1');
  });
});

describe('escapeMarkdown', () => {
  it('keeps markup and table syntax out', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
    expect(escapeMarkdown('TLS_RSA_*')).toBe('TLS\\_RSA\\_\\*');
    expect(escapeMarkdown('one\ntwo')).toBe('one two');
  });

  it('fences code spans longer than any backtick run inside', () => {
    expect(markdownCode('0xC02F')).toBe('`0xC02F`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x')).toBe('`` `x ``');
    expect(markdownCode('a|b')).toBe('`a\\|b`');
  });
});

describe('safeUrl', () => {
  it('allows only web URLs', () => {
    expect(safeUrl('https://learn.microsoft.com/x')).toBe('https://learn.microsoft.com/x');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,<script>')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
    expect(safeUrl(undefined)).toBeUndefined();
  });
});
