import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  generateRegistry,
  manualNames,
  parseOpensslManual,
  readRegistryInputs,
  resolveManualNames,
} from '../../scripts/generate-registry.js';
import { CIPHER_SUITES, OPENSSL_MANUAL_NAMES_FROM, formatCode, suiteByCode, suiteByName } from '../../src/registry/index.js';

const manual = readFileSync(new URL('../../data/openssl-ciphers-manual.txt', import.meta.url), 'utf8');
const listed = readFileSync(new URL('../../data/openssl-ciphers.txt', import.meta.url), 'utf8');

// Read here with a regex of its own rather than the generator's parser: table rows are indented.
const rows = [...manual.matchAll(/^ +(\S+_\S+) +(.+?) *$/gm)].map((m) => ({ standard: m[1] ?? '', second: m[2] ?? '' }));
const implemented = rows
  .filter((r) => r.second !== 'Not implemented.')
  .map((r) => {
    const older = /^(\S+) \((\S+)\)$/.exec(r.second);
    return { standard: r.standard, openssl: older?.[2] ?? r.second, older: older?.[1] };
  });
const listedByCode = new Map(
  [...listed.matchAll(/^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)/gm)].map((m) => [parseInt(`${m[1]}${m[2]}`, 16), m[3] ?? '']),
);

/** The manual writes PSK/CCM names without `TLS_` and GOST94/2001 ones without the registry's `-draft`. */
function byStandardName(standard: string) {
  return suiteByName(standard) ?? suiteByName(`TLS_${standard}`) ?? suiteByName(`${standard}-draft`);
}

// Rows whose specification name is in neither registry file. IANA spells RFC 6655's DHE_PSK CCM_8
// suites TLS_PSK_DHE_WITH_AES_*_CCM_8 (0xC0AA/0xC0AB; `openssl ciphers -V` names those codes), and
// GOST2012-NULL-GOST12 is an OpenSSL-private code point (not in IANA's registry nor in ours).
const UNRESOLVED = ['DHE_PSK_WITH_AES_128_CCM_8', 'DHE_PSK_WITH_AES_256_CCM_8', 'TLS_GOSTR341112_256_WITH_NULL_GOSTR3411'];

describe('OpenSSL names from the openssl-ciphers(1) manual (data/openssl-ciphers-manual.txt)', () => {
  it('were captured from a named OpenSSL manual, and the generator reads every table row', () => {
    expect(OPENSSL_MANUAL_NAMES_FROM).toMatch(/^OpenSSL \d+\.\d+\.\d+$/);
    expect(manual.split('\n')[0]).toContain(`# ${OPENSSL_MANUAL_NAMES_FROM} (manual page openssl-ciphers(1ssl)`);
    expect(manual).not.toMatch(/\\[-&sf]/); // roff escapes removed
    expect(rows.length).toBeGreaterThan(200);
    expect(parseOpensslManual(manual)).toHaveLength(rows.length);
  });

  it('every row with an OpenSSL name resolves, by its standard name and by the OpenSSL name, to the same suite', () => {
    const unresolved: string[] = [];
    for (const { standard, openssl, older } of implemented) {
      const suite = byStandardName(standard);
      if (suite === undefined) {
        unresolved.push(standard);
        continue;
      }
      expect(suiteByName(openssl)?.code, `${standard} ${openssl}`).toBe(suite.code);
      expect(suite.openssl, standard).toBe(openssl);
      if (older !== undefined) expect(suiteByName(older)?.code, older).toBe(suite.code);
    }
    expect(unresolved.sort()).toEqual(UNRESOLVED);
    expect(manualNames(readRegistryInputs()).unresolved.map((e) => e.standard).sort()).toEqual(UNRESOLVED);
    // The two DHE_PSK CCM_8 names still reach their IANA suites through the build's list.
    expect(suiteByName('DHE-PSK-AES128-CCM8')?.name).toBe('TLS_PSK_DHE_WITH_AES_128_CCM_8');
    expect(suiteByName('DHE-PSK-AES256-CCM8')?.name).toBe('TLS_PSK_DHE_WITH_AES_256_CCM_8');
  });

  it('never disagrees with `openssl ciphers -V` where both name a suite', () => {
    let both = 0;
    for (const { standard, openssl } of implemented) {
      const code = byStandardName(standard)?.code;
      const fromList = code === undefined ? undefined : listedByCode.get(code);
      if (fromList === undefined) continue;
      both++;
      expect(openssl, standard).toBe(fromList);
    }
    expect(both).toBeGreaterThan(100);
  });

  it('fills in only what the build leaves out, and marks it', () => {
    const fromManual = CIPHER_SUITES.filter((s) => s.opensslFromManual);
    expect(fromManual.length).toBeGreaterThan(40);
    for (const s of fromManual) {
      expect(listedByCode.has(s.code), s.hex).toBe(false);
      expect(implemented.some((r) => r.openssl === s.openssl), s.hex).toBe(true);
    }
    const spot: Array<[number, string]> = [
      [0x000a, 'DES-CBC3-SHA'],
      [0xc012, 'ECDHE-RSA-DES-CBC3-SHA'],
      [0x0005, 'RC4-SHA'],
      [0x0016, 'DHE-RSA-DES-CBC3-SHA'],
    ];
    for (const [code, name] of spot) {
      expect(suiteByCode(code)?.openssl, formatCode(code)).toBe(name);
      expect(suiteByCode(code)?.opensslFromManual, formatCode(code)).toBe(true);
      expect(suiteByName(name)?.code, name).toBe(code);
    }
    expect(suiteByName('EDH-RSA-DES-CBC3-SHA')?.code).toBe(0x0016);
    expect(suiteByCode(0xc02f)).toMatchObject({ openssl: 'ECDHE-RSA-AES128-GCM-SHA256' });
    expect(suiteByCode(0xc02f)?.opensslFromManual).toBeUndefined();
  });

  it('"Not implemented." gives no name; a name in another table wins over it', () => {
    expect(suiteByName('SSL_FORTEZZA_KEA_WITH_NULL_SHA')?.openssl).toBeUndefined();
    // TLS 1.0 table: Not implemented; SSL 3.0 table: DH-DSS-DES-CBC3-SHA (same code point).
    expect(rows).toContainEqual({ standard: 'TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA', second: 'Not implemented.' });
    expect(suiteByCode(0x000d)?.openssl).toBe('DH-DSS-DES-CBC3-SHA');
  });
});

describe('manual parsing and resolution', () => {
  it('rejects a row it cannot read', () => {
    expect(() => parseOpensslManual(' TLS_RSA_WITH_NULL_MD5   see NULL-MD5\n')).toThrow(/line 1: cannot read/);
  });

  it('reads names without TLS_, older names, and "Not implemented."', () => {
    expect(
      parseOpensslManual(
        'Heading\n PSK_WITH_NULL_SHA   PSK-NULL-SHA\n SSL_DHE_RSA_WITH_3DES_EDE_CBC_SHA    EDH-RSA-DES-CBC3-SHA (DHE-RSA-DES-CBC3-SHA)\n SSL_FORTEZZA_KEA_WITH_NULL_SHA   Not implemented.\n',
      ),
    ).toEqual([
      { standard: 'PSK_WITH_NULL_SHA', openssl: 'PSK-NULL-SHA' },
      { standard: 'SSL_DHE_RSA_WITH_3DES_EDE_CBC_SHA', openssl: 'DHE-RSA-DES-CBC3-SHA', older: 'EDH-RSA-DES-CBC3-SHA' },
      { standard: 'SSL_FORTEZZA_KEA_WITH_NULL_SHA' },
    ]);
  });

  it('refuses two OpenSSL names for one code point', () => {
    const index = new Map([['TLS_RSA_WITH_RC4_128_SHA', 0x0005]]);
    expect(() =>
      resolveManualNames(
        [
          { standard: 'SSL_RSA_WITH_RC4_128_SHA', openssl: 'RC4-SHA' },
          { standard: 'TLS_RSA_WITH_RC4_128_SHA', openssl: 'RC4-SHA1' },
        ],
        index,
      ),
    ).toThrow(/0x0005 is both RC4-SHA and RC4-SHA1/);
  });

  it('refuses to generate when the manual and `openssl ciphers -V` disagree', () => {
    const inputs = readRegistryInputs();
    const opensslManual = inputs.opensslManual.replace(
      /^( TLS_RSA_WITH_AES_128_CBC_SHA +)AES128-SHA$/m,
      '$1AES128-SHA1',
    );
    expect(opensslManual).not.toBe(inputs.opensslManual);
    expect(() => generateRegistry({ ...inputs, opensslManual })).toThrow(/0x002F: openssl ciphers -V names it AES128-SHA, the manual AES128-SHA1/);
  });
});
