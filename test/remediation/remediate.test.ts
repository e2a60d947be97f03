/**
 * Advice is generated from the target's own findings: these cases check that exactly the offered,
 * forbidden protocols and suites are turned off, that approved suites are named when none is offered,
 * and that every suite name in the advice is one the registry (OpenSSL) or Schannel knows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importSslLabsJson } from '../../src/adapters/ssllabs/import-ssllabs-json.js';
import type { TargetObservation } from '../../src/index.js';
import { loadPolicy } from '../../src/policy/index.js';
import { suiteByName } from '../../src/registry/index.js';
import { WINDOWS_SCHANNEL_VERSIONS, WINDOWS_VERSION_IDS, adviceFor, planRemediation, remediate, type Advice } from '../../src/remediation/index.js';
import { observation } from '../policy/observations.js';

const sslLabs = (file: string): TargetObservation => importSslLabsJson(readFileSync(`fixtures/ssllabs/${file}`, 'utf8'), file)[0]!;

const snippets = (advice: Advice[], server: Advice['server']) =>
  advice.filter((a) => a.server === server).map((a) => a.snippet.text).join('');

/** Suite names after Enable-/Disable-TlsCipherSuite -Name. */
function windowsNames(text: string, verb: 'Enable' | 'Disable'): string[] {
  return [...text.matchAll(new RegExp(`${verb}-TlsCipherSuite -Name '([^']+)'`, 'g'))].map((m) => m[1]!);
}

/** The colon-separated OpenSSL suite list of a directive (ssl_ciphers X:Y; / SSLCipherSuite X:Y / tls_high_cipherlist = X:Y). */
function opensslList(text: string, directive: RegExp): string[] {
  const m = directive.exec(text);
  return m?.[1] ? m[1].split(':') : [];
}

// A Windows-like server: TLS 1.0-1.2, two ECDHE-RSA GCM suites and three plain-RSA suites, RSA certificate.
const windowsLike = observation(
  [
    { version: 'TLSv1.0', suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA'] },
    { version: 'TLSv1.1', suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA'] },
    {
      version: 'TLSv1.2',
      preference: 'server',
      suites: [
        'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
        'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
        'TLS_RSA_WITH_AES_256_GCM_SHA384',
        'TLS_RSA_WITH_AES_128_GCM_SHA256',
        'TLS_RSA_WITH_AES_128_CBC_SHA',
      ],
    },
  ],
  { certificate: { keyType: 'RSA', keyBits: 2048 } },
);

describe('remediate() under the Dataverse policy', () => {
  const advice = remediate(windowsLike, loadPolicy('dataverse'));

  it('disables exactly the TLS_RSA_* suites the target offers, on Windows', () => {
    // The page deprecates TLS_RSA: the three plain-RSA suites offered, and no other.
    expect(windowsNames(snippets(advice, 'windows'), 'Disable').sort()).toEqual([
      'TLS_RSA_WITH_AES_128_CBC_SHA',
      'TLS_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_RSA_WITH_AES_256_GCM_SHA384',
    ]);
    // An approved suite is offered already, so nothing is to be enabled.
    expect(windowsNames(snippets(advice, 'windows'), 'Enable')).toEqual([]);
  });

  it('turns TLS 1.0 and 1.1 off through the SCHANNEL Protocols Server keys', () => {
    const text = snippets(advice, 'windows');
    for (const v of ['TLS 1.0', 'TLS 1.1']) {
      expect(text).toContain(`'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\${v}\\Server'`);
    }
    expect(text).not.toContain('TLS 1.2\\Server');
    expect(text.match(/-Name 'Enabled' -Value 0/g)).toHaveLength(2);
    expect(text.match(/-Name 'DisabledByDefault' -Value 1/g)).toHaveLength(2);
  });

  it('keeps the TLS 1.2 ECDHE suites in the server order for nginx, Apache and Postfix', () => {
    // ECDHE-RSA-AES128-SHA was only seen on TLS 1.0/1.1, which go, so it is not carried over.
    const expected = ['ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256'];
    expect(opensslList(snippets(advice, 'nginx'), /ssl_ciphers ([^;]+);/)).toEqual(expected);
    expect(opensslList(snippets(advice, 'apache'), /SSLCipherSuite ([^\n]+)/)).toEqual(expected);
    expect(opensslList(snippets(advice, 'postfix'), /tls_high_cipherlist = ([^\n]+)/)).toEqual(expected);
    expect(snippets(advice, 'nginx')).toContain('ssl_protocols TLSv1.2;\n');
    expect(snippets(advice, 'apache')).toContain('SSLProtocol -all +TLSv1.2\n');
    expect(snippets(advice, 'postfix')).toContain('smtpd_tls_protocols = !SSLv2, !SSLv3, !TLSv1, !TLSv1.1\n');
  });

  it('names the approved suites to enable when none is offered, fitting the RSA certificate', () => {
    // 3des.badssl.com offers no ECDHE suite the page lists; with an RSA key only the four ECDHE_RSA ones can work.
    const [pa] = adviceFor(sslLabs('defectdojo-3des-badssl-v3.json'), [loadPolicy('dataverse')]);
    expect(pa?.enableSuites.map((s) => s.name).sort()).toEqual([
      'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    ]);
    expect(windowsNames(snippets(pa!.advice, 'windows'), 'Enable')).toHaveLength(4);
    expect(windowsNames(snippets(pa!.advice, 'windows'), 'Disable')).toEqual(['TLS_RSA_WITH_3DES_EDE_CBC_SHA']);
  });

  it("names 3DES suites by OpenSSL's names from its manual, and says older builds are needed for them", () => {
    const target = sslLabs('defectdojo-3des-badssl-v3.json');
    // Mozilla's old list keeps plain-RSA DES-CBC3-SHA only; this OpenSSL build does not list 3DES suites.
    const old = remediate(target, loadPolicy('mozilla-old'), { servers: ['nginx', 'postfix'] });
    expect(opensslList(snippets(old, 'nginx'), /ssl_ciphers ([^;]+);/)).toEqual(['DES-CBC3-SHA']);
    const notes = old.find((a) => a.server === 'nginx' && a.snippet.text.startsWith('ssl_ciphers'))?.notes ?? [];
    expect(notes).toContain(
      "DES-CBC3-SHA is a name from OpenSSL's manual: an OpenSSL built without that suite skips it, and rejects the list if it knows none of its names.",
    );
    expect(notes.join('\n')).not.toMatch(/No OpenSSL name/);
    expect(old.find((a) => a.server === 'postfix')?.notes).toContain(
      'That alternative: smtpd_tls_exclude_ciphers = ECDHE-RSA-DES-CBC3-SHA, DHE-RSA-DES-CBC3-SHA',
    );
    // Dataverse forbids plain RSA only: the ECDHE and DHE 3DES suites stay, in the server's order, before the approved ones.
    const dv = remediate(target, loadPolicy('dataverse'), { servers: ['nginx'] });
    expect(opensslList(snippets(dv, 'nginx'), /ssl_ciphers ([^;]+);/).slice(0, 2)).toEqual(['ECDHE-RSA-DES-CBC3-SHA', 'DHE-RSA-DES-CBC3-SHA']);
  });

  it('gives nothing for a compliant target or one that could not be assessed', () => {
    const good = observation([{ version: 'TLSv1.2', suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] }]);
    expect(remediate(good, loadPolicy('dataverse'))).toEqual([]);
    expect(remediate({ ...good, protocols: [], error: 'Connection refused.' }, loadPolicy('dataverse'))).toEqual([]);
  });

  it('tells Windows admins to enable TLS 1.2 when it is missing', () => {
    const old = observation([{ version: 'TLSv1.0', suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] }]);
    const text = snippets(remediate(old, loadPolicy('dataverse'), { servers: ['windows'] }), 'windows');
    expect(text).toContain('Protocols\\TLS 1.2\\Server');
    expect(text).toMatch(/TLS 1\.2\\Server'\nNew-Item -Path \$key -Force \| Out-Null\nNew-ItemProperty -Path \$key -Name 'Enabled' -Value 1/);
  });
});

describe('advice under the other built-in policies', () => {
  it('mozilla-intermediate on dh1024.badssl.com: keeps the two DHE GCM suites, asks for a 2048-bit group', () => {
    const plan = planRemediation(sslLabs('defectdojo-dh1024-badssl-v3.json'), loadPolicy('mozilla-intermediate'));
    expect(plan.protocols).toEqual(['TLSv1.2']);
    expect(plan.suites.map((s) => s.name)).toEqual(['TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384']);
    expect(plan.minFfdhBits).toBe(2048);
    const nginx = snippets(remediate(sslLabs('defectdojo-dh1024-badssl-v3.json'), loadPolicy('mozilla-intermediate')), 'nginx');
    expect(nginx).toContain('ssl_dhparam /etc/nginx/dhparam-2048.pem;');
  });

  it('nist-800-52r2 on a ChaCha20 TLS 1.3 server: an explicit TLS 1.3 suite list without ChaCha20', () => {
    const target = observation([
      { version: 'TLSv1.2', suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] },
      { version: 'TLSv1.3', suites: ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'] },
    ]);
    const nginx = snippets(remediate(target, loadPolicy('nist-800-52r2'), { servers: ['nginx'] }), 'nginx');
    expect(nginx).toContain('ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256;');
  });

  it('mozilla-old with the client choosing: the server-order switch for each server', () => {
    const target = observation([{ version: 'TLSv1.2', preference: 'client', suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] }]);
    const advice = remediate(target, loadPolicy('mozilla-old'));
    expect(snippets(advice, 'nginx')).toBe('ssl_prefer_server_ciphers on;\n');
    expect(snippets(advice, 'apache')).toBe('SSLHonorCipherOrder on\n');
    expect(snippets(advice, 'postfix')).toBe('tls_preempt_cipherlist = yes\n');
  });
});

describe('names in advice', () => {
  const cases: Array<[string, TargetObservation]> = [
    ['windows-like', windowsLike],
    ['3des', sslLabs('defectdojo-3des-badssl-v3.json')],
    ['dh1024', sslLabs('defectdojo-dh1024-badssl-v3.json')],
    ['ok', sslLabs('defectdojo-ok-mevitae-v3.json')],
  ];
  const policies = ['dataverse', 'mozilla-modern', 'mozilla-intermediate', 'mozilla-old', 'nist-800-52r2'];
  const all = cases.flatMap(([, t]) => policies.flatMap((p) => remediate(t, loadPolicy(p))));

  it('has advice to check', () => {
    expect(all.length).toBeGreaterThan(40);
  });

  it('every Schannel suite name, its curve suffix removed, is the IANA name of a registry suite', () => {
    for (const v of WINDOWS_SCHANNEL_VERSIONS) {
      for (const s of v.suites) {
        const iana = s.iana ?? s.schannel;
        expect(suiteByName(iana)?.name, `${v.id} ${s.schannel}`).toBe(iana);
        expect(s.schannel.replace(/_P(256|384|521)$/, ''), s.schannel).toBe(iana);
      }
    }
  });

  it('every suite named to Enable-/Disable-TlsCipherSuite is a suite of that Windows version', () => {
    for (const id of WINDOWS_VERSION_IDS) {
      const v = WINDOWS_SCHANNEL_VERSIONS.find((x) => x.id === id)!;
      const known = new Set(v.suites.map((s) => s.schannel));
      const advice = cases.flatMap(([, t]) => policies.flatMap((p) => remediate(t, loadPolicy(p), { servers: ['windows'], windowsVersion: id })));
      const text = snippets(advice, 'windows');
      const names = [...windowsNames(text, 'Enable'), ...windowsNames(text, 'Disable'), ...[...text.matchAll(/'(TLS_[A-Z0-9_]+)'/g)].map((m) => m[1]!)];
      expect(names.length, id).toBeGreaterThan(0);
      for (const n of names) expect(known.has(n), `${id}: ${n}`).toBe(true);
    }
  });

  it("every OpenSSL suite name is the registry's OpenSSL name for a suite", () => {
    const lists = [
      ...all.filter((a) => a.server === 'nginx').map((a) => opensslList(a.snippet.text, /ssl_ciphers ([^;]+);/)),
      ...all.filter((a) => a.server === 'apache').map((a) => opensslList(a.snippet.text, /SSLCipherSuite ([^\sT][^\n]*)/)),
      ...all.filter((a) => a.server === 'postfix').map((a) => opensslList(a.snippet.text, /tls_high_cipherlist = ([^\n]+)/)),
    ].flat();
    expect(lists.length).toBeGreaterThan(0);
    for (const n of lists) expect(suiteByName(n)?.openssl, n).toBe(n);
  });
});

describe('formatAdviceMarkdown', () => {
  it('fences each snippet with its language under a heading per server', async () => {
    const { formatAdviceMarkdown } = await import('../../src/remediation/index.js');
    const md = formatAdviceMarkdown(remediate(windowsLike, loadPolicy('dataverse'), { servers: ['nginx', 'windows'] }));
    expect(md).toContain('#### Windows Server (Schannel: IIS, Exchange, RDP, ...)');
    expect(md).toContain('#### nginx');
    expect(md).toContain('  ```nginx\n  ssl_protocols TLSv1.2;\n  ```');
    expect(md).toMatch(/ {2}```powershell\n {2}Disable-TlsCipherSuite -Name 'TLS_RSA_WITH_/);
    expect(md.indexOf('#### Windows')).toBeLessThan(md.indexOf('#### nginx'));
  });
});

describe('adviceForReportTarget', () => {
  it("uses the report's built-in policies by id, given ones for custom ids, and skips the rest", async () => {
    const { adviceForReportTarget } = await import('../../src/remediation/index.js');
    const { buildReport } = await import('../../src/report/index.js');
    const custom = loadPolicy('fixtures/policies/example-internal.json');
    const report = buildReport([windowsLike], [loadPolicy('dataverse'), custom, loadPolicy('mozilla-old')]);
    const target = report.targets[0]!;
    expect(adviceForReportTarget(report, target).map((a) => a.policy)).toEqual(['dataverse', 'mozilla-old']);
    const all = adviceForReportTarget(report, target, { policies: [custom], servers: ['nginx'] });
    expect(all.map((a) => [a.policy, a.status])).toEqual([
      ['dataverse', 'warn'],
      ['example-internal', 'fail'],
      ['mozilla-old', 'pass'],
    ]);
    expect(all.flatMap((a) => a.advice).every((a) => a.server === 'nginx')).toBe(true);
  });
});

describe('explainTarget', () => {
  it('says a target that could not be assessed gets no advice', async () => {
    const { explainTarget } = await import('../../src/remediation/explain-target.js');
    const { compilePolicy } = await import('../../src/policy/index.js');
    const target = { ...windowsLike, protocols: [], error: 'Connection refused.', verdict: { status: 'error' as const, findings: [] } };
    expect(explainTarget(target, [compilePolicy(loadPolicy('dataverse'))], ['nginx'])).toBe(
      'server.test:443\n  Could not be assessed: Connection refused.\n  Nothing to advise until it can be.\n',
    );
  });
});

describe('a server that speaks only versions the policy forbids', () => {
  // TLS 1.0 and 1.1 only: turning both off must not leave the server with no protocol at all.
  const legacyOnly = observation([
    { version: 'TLSv1.0', suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA'] },
    { version: 'TLSv1.1', suites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] },
  ]);

  it.each(['mozilla-intermediate', 'mozilla-modern', 'dataverse', 'nist-800-52r2'])('under %s keeps a protocol the policy allows on', (id) => {
    const plan = planRemediation(legacyOnly, loadPolicy(id));
    expect(plan.protocols.length).toBeGreaterThan(0);
    expect(plan.protocols.every((v) => v === 'TLSv1.2' || v === 'TLSv1.3')).toBe(true);
    const nginx = snippets(remediate(legacyOnly, loadPolicy(id)), 'nginx');
    expect(nginx).not.toMatch(/ssl_protocols\s*;/);
    expect(nginx).toMatch(/ssl_protocols TLSv1\.[23]/);
  });
});
