import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CIPHER_SUITES, OPENSSL_NAMES_FROM, formatCode, suiteByCode, suiteByName } from '../../src/registry/index.js';

const captured = readFileSync(new URL('../../data/openssl-ciphers.txt', import.meta.url), 'utf8');
const lines = [...captured.matchAll(/^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)/gm)].map((m) => ({
  code: parseInt(`${m[1]}${m[2]}`, 16),
  name: m[3] ?? '',
}));

describe('OpenSSL names (data/openssl-ciphers.txt)', () => {
  it('were captured from a named OpenSSL', () => {
    expect(OPENSSL_NAMES_FROM).toMatch(/^OpenSSL \d+\.\d+\.\d+/);
    expect(captured).toContain(`# ${OPENSSL_NAMES_FROM}`);
    expect(lines.length).toBeGreaterThan(100);
  });

  it('every listed name resolves to the suite with the same code, and the suite carries that name', () => {
    for (const { code, name } of lines) {
      expect(suiteByName(name)?.code, name).toBe(code);
      expect(suiteByCode(code)?.openssl, name).toBe(name);
      expect(suiteByName(name.toLowerCase())?.code, name).toBe(code);
    }
    // The other names come from the manual (test/registry/openssl-manual.test.ts) and say so.
    expect(CIPHER_SUITES.filter((s) => s.openssl !== undefined && !s.opensslFromManual)).toHaveLength(new Set(lines.map((l) => l.code)).size);
    for (const { code } of lines) expect(suiteByCode(code)?.opensslFromManual, formatCode(code)).toBeUndefined();
  });
});

describe("Node's own OpenSSL", () => {
  it('every name tls.getCiphers() lists resolves (Node prints OpenSSL names in lower case)', async () => {
    const { getCiphers } = await import('node:tls');
    const names = getCiphers();
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => suiteByName(n) === undefined)).toEqual([]);
  });
});
