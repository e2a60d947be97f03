import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupByName, suiteByName, sslv2SpecByName } from '../../src/registry/index.js';

const NSELIB = '/usr/share/nmap/nselib';
const hasNmap = existsSync(`${NSELIB}/tls.lua`);

/** `name = 0x1234` / `["name"] = 0x1234` entries of one `NAME = { … }` table in a Lua file. */
function luaTable(source: string, table: string): Map<string, number> {
  const start = source.indexOf(`\n${table} = {`);
  if (start < 0) throw new Error(`${table} not found`);
  const body = source.slice(start, source.indexOf('\n}', start));
  const entries = new Map<string, number>();
  for (const m of body.matchAll(/^\s*(?:\["([^"]+)"\]|([A-Za-z_][\w-]*))\s*=\s*(0x[0-9A-Fa-f]+|\d+)\s*,/gm)) {
    entries.set(m[1] ?? m[2] ?? '', Number(m[3]));
  }
  return entries;
}

describe.skipIf(!hasNmap)('nmap nselib names (skipped: nmap is not installed, /usr/share/nmap/nselib/tls.lua missing)', () => {
  const tls = hasNmap ? readFileSync(`${NSELIB}/tls.lua`, 'utf8') : '';

  it('every cipher suite name in tls.lua (CIPHERS and SCSVS) resolves to the same code', () => {
    const names = new Map([...luaTable(tls, 'CIPHERS'), ...luaTable(tls, 'SCSVS')]);
    expect(names.size).toBeGreaterThan(300);
    const unresolved = [...names].filter(([name, code]) => suiteByName(name)?.code !== code);
    expect(unresolved).toEqual([]);
    // nmap's TLS 1.3 spelling.
    expect(names.get('TLS_AKE_WITH_AES_128_GCM_SHA256')).toBe(0x1301);
  });

  it('every curve name in tls.lua ELLIPTIC_CURVES resolves to the same group id', () => {
    const curves = luaTable(tls, 'ELLIPTIC_CURVES');
    expect(curves.size).toBeGreaterThan(30);
    const unresolved = [...curves].filter(([name, id]) => groupByName(name)?.id !== id);
    expect(unresolved).toEqual([]);
  });

  it('every SSLv2 cipher name in sslv2.lua resolves', () => {
    const sslv2 = readFileSync(`${NSELIB}/sslv2.lua`, 'utf8');
    const entries = [...sslv2.matchAll(/\["((?:\\x[0-9a-fA-F]{2}){3})"\]\s*=\s*\{\s*str = "(SSL2_\w+)"/g)].map((m) => ({
      code: parseInt((m[1] ?? '').replaceAll('\\x', ''), 16),
      name: m[2] ?? '',
    }));
    expect(entries.length).toBeGreaterThanOrEqual(7);
    expect(entries.filter(({ code, name }) => sslv2SpecByName(name)?.code !== code)).toEqual([]);
  });
});
