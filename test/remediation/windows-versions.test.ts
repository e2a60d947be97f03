/**
 * The Windows / Schannel table per version, held against the stored copies of Microsoft's per-version
 * "TLS Cipher Suites in Windows ..." pages (fixtures/sources/windows/), and the advice written from it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Policy } from '../../src/policy/policy.js';
import { loadPolicy } from '../../src/policy/index.js';
import { OUTPUT, generateWindowsSchannel, parsePage, readPages } from '../../scripts/generate-windows-schannel.js';
import { WINDOWS_SCHANNEL_VERSIONS, remediate, schannelNamesOn, windowsVersion, type Advice } from '../../src/remediation/index.js';
import { observation } from '../policy/observations.js';
import { runCli } from '../helpers/run-cli.js';

const version = (id: string) => windowsVersion(id)!;
const names = (id: string) => version(id).suites.map((s) => s.schannel);
const text = (advice: Advice[]) => advice.filter((a) => a.server === 'windows').map((a) => a.snippet.text).join('');
const notes = (advice: Advice[]) => advice.filter((a) => a.server === 'windows').flatMap((a) => a.notes).join('\n');
const windows = (target: Parameters<typeof remediate>[0], policy: Policy, windowsVersion: string) => remediate(target, policy, { servers: ['windows'], windowsVersion });

describe('the Windows table is what the stored Microsoft pages say', () => {
  it('is exactly what the generator reads from the pages (npm run generate:windows)', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(generateWindowsSchannel(readPages()));
  });

  it('reads the default, the supported-only and the PSK tables of a page', () => {
    const page = readPages()['tls-cipher-suites-in-windows-server-2022']!;
    const parsed = parsePage(page);
    expect(parsed.cmdlets).toBe(true);
    expect(parsed.suites[0]).toEqual({ schannel: 'TLS_AES_256_GCM_SHA384', iana: 'TLS_AES_256_GCM_SHA384', enabledByDefault: true, protocols: ['TLSv1.3'] });
    // Every suite row of the page is read: the count of rows that start with a suite name.
    const rows = page.split('\n').filter((l) => /^\|\s*TLS_/.test(l.replace(/\\_/g, '_')));
    expect(parsed.suites).toHaveLength(rows.length);
  });

  it('Windows Server 2012 R2 / 8.1 has no TLS_ECDHE_RSA_*_GCM_* suite under any name', () => {
    expect(names('2012r2').filter((n) => /^TLS_ECDHE_RSA_.*_GCM_/.test(n))).toEqual([]);
    expect(names('2016')).toContain('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
  });

  it('2012 R2 names ECDHE suites per curve; its 256-bit ECDHE_ECDSA suites exist only as _P384/_P521', () => {
    const v = version('2012r2');
    expect(v.curveSuffixes).toBe(true);
    expect(schannelNamesOn(v, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384').map((s) => s.schannel).sort()).toEqual([
      'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384_P384',
      'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384_P521',
    ]);
    expect(names('2012r2')).not.toContain('TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384_P256');
    expect(names('2012r2')).not.toContain('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    for (const id of ['2016', '2019', '2022', '2025', 'win10', 'win11']) expect(version(id).curveSuffixes, id).toBe(false);
  });

  it('ChaCha20 is supported, not enabled by default, on Server 2022, Server 2025 and Windows 11 only', () => {
    for (const v of WINDOWS_SCHANNEL_VERSIONS) {
      const chacha = schannelNamesOn(v, 'TLS_CHACHA20_POLY1305_SHA256');
      if (['2022', '2025', 'win11'].includes(v.id)) expect(chacha.map((s) => s.enabledByDefault), v.id).toEqual([false]);
      else expect(chacha, v.id).toEqual([]);
    }
  });

  it('TLS 1.3 from Server 2022 / Windows 11, cmdlets and ServerMinKeyBitLength from Server 2016 / Windows 10', () => {
    const by = (flag: 'tls13' | 'cmdlets' | 'dhMinKeyBitLength') => WINDOWS_SCHANNEL_VERSIONS.filter((v) => v[flag]).map((v) => v.id);
    expect(by('tls13')).toEqual(['2022', '2025', 'win11']);
    expect(by('cmdlets')).toEqual(['2016', '2019', '2022', '2025', 'win10', 'win11']);
    expect(by('dhMinKeyBitLength')).toEqual(['2016', '2019', '2022', '2025', 'win10', 'win11']);
  });

  it('Server 2025 no longer enables the DHE GCM suites or 3DES by default; Server 2022 (first release) did', () => {
    const enabled = (id: string, n: string) => schannelNamesOn(version(id), n).map((s) => s.enabledByDefault);
    expect(enabled('2022', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256')).toEqual([true]);
    expect(enabled('2025', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256')).toEqual([false]);
    expect(enabled('2025', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA')).toEqual([false]);
  });

  it('PSK suites are listed but, as the pages note, none is enabled by default', () => {
    for (const v of WINDOWS_SCHANNEL_VERSIONS) for (const s of v.suites.filter((x) => x.schannel.startsWith('TLS_PSK_'))) expect(s.enabledByDefault, `${v.id} ${s.schannel}`).toBe(false);
  });
});

// A Windows-like server: TLS 1.0-1.2, ECDHE-RSA CBC and plain-RSA suites, RSA certificate.
const rsaServer = observation(
  [
    { version: 'TLSv1.0', suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA'] },
    { version: 'TLSv1.2', preference: 'server', suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA'] },
  ],
  { certificate: { keyType: 'RSA', keyBits: 2048 } },
);

describe('the advice names only what that Windows version can do', () => {
  it('Server 2016 and later: the TLS cmdlets with IANA names', () => {
    const advice = windows(rsaServer, loadPolicy('dataverse'), '2016');
    expect(text(advice)).toContain("Disable-TlsCipherSuite -Name 'TLS_RSA_WITH_AES_128_CBC_SHA'");
    expect(text(advice)).toContain("Enable-TlsCipherSuite -Name 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' -Position 0");
    expect(text(advice)).not.toMatch(/_P(256|384|521)\b/);
  });

  it('2012 R2: no cmdlets, the cipher suite order policy with per-curve names, no GCM ECDHE_RSA suite', () => {
    const advice = windows(rsaServer, loadPolicy('dataverse'), '2012r2');
    const t = text(advice);
    expect(t).not.toContain('TlsCipherSuite');
    expect(t).toContain("New-ItemProperty -Path $key -Name 'Functions' -Value $order -PropertyType String");
    expect(t).toContain("'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256_P256', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256_P384'");
    expect(t).not.toMatch(/TLS_ECDHE_RSA_WITH_AES_\d+_GCM/);
    expect(t).not.toContain("'TLS_RSA_WITH_AES_128_CBC_SHA'");
    expect(notes(advice)).toContain('has no TLS cmdlets');
    expect(notes(advice)).toContain('has no TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 under any name');
  });

  it('says when a version cannot meet the policy with an RSA certificate', () => {
    const gcmOnly: Policy = {
      schemaVersion: 1,
      id: 'gcm-only',
      name: 'ECDHE-RSA GCM only',
      rules: [
        {
          id: 'gcm',
          type: 'require-any-suite',
          protocols: ['TLSv1.2'],
          severity: 'fail',
          message: 'No ECDHE-RSA GCM suite.',
          suites: { names: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'] },
        },
      ],
    };
    expect(notes(windows(rsaServer, gcmOnly, '2012r2'))).toMatch(/^Windows Server 2012 R2 \/ Windows 8\.1 cannot meet this policy with an RSA certificate: it has none of the suites/m);
    expect(notes(windows(rsaServer, gcmOnly, '2016'))).not.toContain('cannot meet');
  });

  it('TLS 1.3: registry keys only where Schannel has it; older versions are told they cannot meet the rule', () => {
    const tls12 = observation([{ version: 'TLSv1.2', suites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] }], { certificate: { keyType: 'EC', keyBits: 256 } });
    const old = windows(tls12, loadPolicy('mozilla-modern'), '2019');
    expect(text(old)).not.toContain('TLS 1.3\\Server');
    expect(notes(old)).toContain('Windows Server 2019 / Windows 10 1809 has no TLS 1.3');
    const current = windows(tls12, loadPolicy('mozilla-modern'), '2022');
    expect(text(current)).toContain('Protocols\\TLS 1.3\\Server');
    expect(notes(current)).not.toContain('has no TLS 1.3');
  });

  it('ChaCha20: a Schannel suite on Server 2022/2025, not on 2019', () => {
    const chacha = observation([
      { version: 'TLSv1.2', suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] },
      { version: 'TLSv1.3', suites: ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'] },
    ]);
    const nist = loadPolicy('nist-800-52r2');
    expect(text(windows(chacha, nist, '2025'))).toContain("Disable-TlsCipherSuite -Name 'TLS_CHACHA20_POLY1305_SHA256'");
    expect(notes(windows(chacha, nist, '2025'))).not.toContain('does not implement');
    expect(notes(windows(chacha, nist, '2019'))).toContain("Windows Server 2019 / Windows 10 1809's Schannel does not implement TLS_CHACHA20_POLY1305_SHA256");
  });

  it('ServerMinKeyBitLength only from Server 2016 on', () => {
    const dh = observation([{ version: 'TLSv1.2', suites: [{ name: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', kex: { kexInfo: 'dh 1024', kexBits: 1024 } }] }], {
      certificate: { keyType: 'RSA', keyBits: 2048 },
    });
    const intermediate = loadPolicy('mozilla-intermediate');
    expect(text(windows(dh, intermediate, '2016'))).toContain("-Name 'ServerMinKeyBitLength' -Value 2048");
    expect(text(windows(dh, intermediate, '2012r2'))).not.toContain('ServerMinKeyBitLength');
    expect(notes(windows(dh, intermediate, '2012r2'))).toContain('ServerMinKeyBitLength value came with Windows 10 1507 and Windows Server 2016');
  });
});

describe('tlsaudit explain --windows-version', () => {
  it('documents the versions and rejects an unknown one with exit 2', async () => {
    const help = await runCli(['explain', '--help']);
    expect(help.stdout).toContain('--windows-version <version>');
    expect(help.stdout).toContain('2012r2 (Windows Server 2012 R2 / Windows 8.1)');
    const bad = await runCli(['explain', 'fixtures/reports/nmap-internal.json', '--windows-version', '2008']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--windows-version/);
  });

  it('writes 2012 R2 advice when asked, the newest server otherwise', async () => {
    const old = await runCli(['explain', 'fixtures/reports/nmap-internal.json', 'legacy.example.net', '--server', 'windows', '--windows-version', '2012r2']);
    expect(old.code).toBe(0);
    expect(old.stdout).toContain('SSL Cipher Suite Order');
    expect(old.stdout).not.toContain('Enable-TlsCipherSuite');
    const current = await runCli(['explain', 'fixtures/reports/nmap-internal.json', 'legacy.example.net', '--server', 'windows']);
    expect(current.stdout).toContain('Enable-TlsCipherSuite');
    expect(current.stdout).toContain('Windows Server 2025');
  });
});

describe('the registry settings page', () => {
  it('dates ServerMinKeyBitLength to Windows 10 1507 / Server 2016, as the table does', () => {
    const page = readFileSync('fixtures/sources/windows/tls-registry-settings-excerpt.md', 'utf8');
    const section = page.slice(page.indexOf('## KeyExchangeAlgorithm - Diffie-Hellman key sizes'));
    expect(section).toContain('Added in Windows 10, version 1507 and Windows Server 2016.');
    expect(section).toContain('**ServerMinKeyBitLength**');
    expect(version('2012r2').dhMinKeyBitLength).toBe(false);
    expect(version('2016').dhMinKeyBitLength).toBe(true);
  });
});

describe('an unknown Windows version', () => {
  it('is a usage error that lists the known ones', () => {
    const tls10 = observation([{ version: 'TLSv1.0', suites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] }]);
    expect(() => windows(tls10, loadPolicy('dataverse'), 'windows-95')).toThrow(
      expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining("Unknown Windows version 'windows-95'; known: ") }),
    );
  });
});
