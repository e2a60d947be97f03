import { describe, expect, it } from 'vitest';
import type { Report, Target } from '../../src/model/index.js';
import { suiteByCode } from '../../src/registry/index.js';
import { markdownFence } from '../../src/render/escape.js';
import { renderHtml } from '../../src/render/html.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { SUITES, dataversePolicy, observation, report, strictModernPolicy } from '../helpers/report-factory.js';

const XSS = '<img src=x onerror=alert(1)>';
const EVIL_SUITE = '<script>alert(5)</script>';

/** A target offering a suite the registry does not know, under a name a hostile report could give it. */
function withUnknownSuite(host: string): ReturnType<typeof observation> {
  const obs = observation(host, { address: '192.0.2.77', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm, SUITES.rsaAes128Gcm] } });
  const tls12 = obs.protocols.find((p) => p.version === 'TLSv1.2')!;
  tls12.ciphers.push({ code: '0x00FE', name: EVIL_SUITE, evidence: [...tls12.ciphers[0]!.evidence] });
  return obs;
}

const audit = report([
  observation('legacy.example.net', {
    address: '198.51.100.23',
    protocols: { 'TLSv1.0': [SUITES.rsaAes128CbcSha, SUITES.rsa3des], 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm, SUITES.rsaAes128Gcm] },
  }),
  observation('good.example.org', { address: '192.0.2.20', protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes256Gcm, SUITES.ecdheRsaAes128Gcm] } }),
  observation(XSS, { address: '203.0.113.66', protocols: { 'TLSv1.3': [SUITES.tls13Chacha] } }),
  withUnknownSuite('odd.example.org'),
  observation('down.example.org', { error: 'Connection refused.' }),
]);
const policies = [dataversePolicy()];

function target(r: Report, host: string): Target {
  return r.targets.find((t) => t.host === host)!;
}

/** The markdown between "### How to fix HOST:PORT" and the next heading of that level or above. */
function fixPart(md: string, endpoint: string): string | undefined {
  const start = md.indexOf(`### How to fix ${endpoint}\n`);
  if (start < 0) return undefined;
  const rest = md.slice(start + 4);
  const end = rest.search(/^#{1,3} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('markdown report: how to fix', () => {
  const md = renderMarkdown(audit, { policies });

  it("gives a failing target nginx's ssl_protocols and ssl_ciphers and Windows' Disable-TlsCipherSuite for each TLS_RSA_* suite it offers", () => {
    expect(target(audit, 'legacy.example.net').verdict.status).toBe('warn');
    const part = fixPart(md, 'legacy.example.net:443');
    expect(part).toBeDefined();
    expect(part).toContain('\n  ssl_protocols TLSv1.2;\n');

    const offered = target(audit, 'legacy.example.net').protocols.flatMap((p) => p.ciphers);
    const rsa = [...new Set(offered.filter((c) => c.name.startsWith('TLS_RSA_')).map((c) => c.name))];
    expect(rsa).toEqual(['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'TLS_RSA_WITH_AES_128_GCM_SHA256']);
    for (const name of rsa) expect(part).toContain(`\n  Disable-TlsCipherSuite -Name '${name}'\n`);

    // The cipher list keeps the offered ECDHE suite under its OpenSSL name and none of the plain-RSA ones.
    const ciphers = /\n {2}ssl_ciphers ([^;\n]+);\n/.exec(part!)?.[1]?.split(':');
    expect(ciphers).toEqual([suiteByCode(SUITES.ecdheRsaAes128Gcm)!.openssl]);
    expect(part).toMatch(/```nginx\n {2}ssl_protocols/);
    expect(part).toMatch(/```powershell\n/);
    expect(part).toContain('#### Apache httpd');
    expect(part).toContain('#### Postfix');
  });

  it('names the approved suites to enable when none is offered', () => {
    const part = fixPart(md, '&lt;img src=x onerror=alert(1)&gt;:443');
    expect(part).toContain('Approved suites to enable');
    // TLS 1.3 with ChaCha20 only: the approved TLS 1.3 suites, not TLS 1.2 ones the server would not use.
    expect(part).toContain('- `TLS_AES_256_GCM_SHA384');
    expect(part).not.toContain('- `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(part).toContain("Enable-TlsCipherSuite -Name 'TLS_AES_256_GCM_SHA384'");
  });

  it('has no fix section for a passing target, nor for one that could not be assessed', () => {
    expect(target(audit, 'good.example.org').verdict.status).toBe('pass');
    expect(md).toContain('### good.example.org:443: PASS');
    expect(fixPart(md, 'good.example.org:443')).toBeUndefined();
    expect(fixPart(md, 'down.example.org:443')).toBeUndefined();
    const allPass = renderMarkdown(report([observation('good.example.org', { protocols: { 'TLSv1.2': [SUITES.ecdheRsaAes128Gcm] } })]), { policies });
    expect(allPass).not.toContain('How to fix');
  });

  it('escapes host names and names from the report outside the code blocks', () => {
    expect(md).not.toContain(XSS);
    expect(md).toContain('### How to fix &lt;img src=x onerror=alert(1)&gt;:443');
    // The plan keeps the unknown suite, so the OpenSSL-based advice names it in a note.
    const odd = fixPart(md, 'odd.example.org:443')!;
    expect(odd).toContain('No OpenSSL name is known for &lt;script&gt;alert(5)&lt;/script&gt;');
    expect(odd).not.toContain(EVIL_SUITE);
  });

  it('puts a heading per policy when a target is judged by several', () => {
    const two = [dataversePolicy(), strictModernPolicy()];
    const out = renderMarkdown(report([audit.targets[0]!], two), { policies: two });
    const part = fixPart(out, 'legacy.example.net:443')!;
    expect(part).toContain('#### Microsoft Dataverse (Power Platform) server TLS requirements (dataverse): WARN');
    expect(part).toContain('#### Modern TLS (modern): FAIL');
    expect(part).toContain('##### nginx');
  });

  it('shows the status the report gave, failures under --strict included', () => {
    const strict = report([audit.targets[0]!], policies, true);
    expect(fixPart(renderMarkdown(strict, { policies }), 'legacy.example.net:443')).toContain('(dataverse): FAIL.');
  });

  it('gives no advice without the policy documents: the renderer reads nothing else', () => {
    expect(renderMarkdown(audit)).not.toContain('How to fix');
    expect(renderHtml(audit)).not.toContain('How to fix');
  });
});

describe('html report: how to fix', () => {
  const html = renderHtml(audit, { policies });

  it('folds the advice into one closed <details> per failing or warning target, snippets in <pre><code>', () => {
    expect(html.match(/<details class="fix">/g)).toHaveLength(3);
    expect(html).not.toMatch(/<details[^>]* open/);
    const legacy = html.slice(html.indexOf('<h3>legacy.example.net:443'), html.indexOf('</article>', html.indexOf('<h3>legacy.example.net:443')));
    expect(legacy).toContain('<summary>How to fix');
    expect(legacy).toContain('<pre><code class="language-nginx">ssl_protocols TLSv1.2;</code></pre>');
    expect(legacy).toContain('Disable-TlsCipherSuite -Name &#39;TLS_RSA_WITH_3DES_EDE_CBC_SHA&#39;');
    const good = html.slice(html.indexOf('<h3>good.example.org:443'), html.indexOf('</article>', html.indexOf('<h3>good.example.org:443')));
    expect(good).not.toContain('<details');
  });

  it('stays one self-contained document and escapes every value', () => {
    expect(html).not.toMatch(/<script|<link|<img|src=["']?http|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toContain(XSS);
    expect(html).not.toContain(EVIL_SUITE);
    expect(html).toContain('<p class="note">No OpenSSL name is known for &lt;script&gt;alert(5)&lt;/script&gt;');
    expect(html).toContain('&lt;VirtualHost&gt;');
  });
});

describe('markdownFence', () => {
  it('fences text verbatim, longer than any backtick run inside, indented for a list item', () => {
    expect(markdownFence('a\nb\n', 'nginx', '  ')).toEqual(['  ```nginx', '  a', '  b', '  ```']);
    expect(markdownFence('x ```` y', 'sh')).toEqual(['`````sh', 'x ```` y', '`````']);
    expect(markdownFence('a\r\n\r\nb', '"><x', '')).toEqual(['```x', 'a', '', 'b', '```']);
  });
});
