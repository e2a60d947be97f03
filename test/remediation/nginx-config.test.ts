/**
 * The nginx snippets advice calls whole directives are pasted into a real server block and checked with
 * `nginx -t` (Debian's nginx). A control with a cipher string OpenSSL rejects proves the check bites.
 * Skipped, with a message, where nginx is not installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSslLabsJson } from '../../src/adapters/ssllabs/import-ssllabs-json.js';
import type { TargetObservation } from '../../src/index.js';
import { builtinPolicyIds, loadPolicy } from '../../src/policy/index.js';
import { suiteByName } from '../../src/registry/index.js';
import { remediate } from '../../src/remediation/index.js';
import { observation } from '../policy/observations.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].find((p) => existsSync(p));
if (!NGINX) console.warn('nginx is not installed (apt-get install nginx): skipping the nginx -t checks of generated snippets.');

let dir = '';
let dhFile = '';

beforeAll(() => {
  if (!NGINX) return;
  dir = mkdtempSync(join(tmpdir(), 'tlsaudit-nginx-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  // The RFC 7919 group, so that no slow parameter generation is needed for ssl_dhparam.
  dhFile = join(dir, 'dhparam.pem');
  execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', dhFile], { stdio: 'ignore' });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function nginxTest(directives: string): Promise<{ code: number; stderr: string }> {
  const name = `case-${n++}`;
  const conf = join(dir, `${name}.conf`);
  writeFileSync(
    conf,
    `error_log stderr;
pid ${join(dir, `${name}.pid`)};
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:8443 ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
${directives.replace(/^/gm, '    ')}
  }
}
`,
  );
  return new Promise((resolve) => {
    execFile(NGINX!, ['-t', '-q', '-p', dir, '-c', conf], (error, _stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

const sslLabs = (file: string): TargetObservation => importSslLabsJson(readFileSync(`fixtures/ssllabs/${file}`, 'utf8'), file)[0]!;

describe.skipIf(!NGINX)('generated nginx directives pass nginx -t', () => {
  it('a control: nginx -t rejects a cipher string OpenSSL does not know', async () => {
    const r = await nginxTest('ssl_ciphers NO-SUCH-CIPHER-AT-ALL;\n');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/cipher/i);
  });

  it('for every built-in policy and several targets', async () => {
    const targets: TargetObservation[] = [
      sslLabs('defectdojo-3des-badssl-v3.json'),
      sslLabs('defectdojo-dh1024-badssl-v3.json'),
      sslLabs('defectdojo-ok-mevitae-v3.json'),
      observation([
        { version: 'TLSv1.0', suites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] },
        { version: 'TLSv1.2', preference: 'client', suites: ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'] },
        { version: 'TLSv1.3', suites: [{ name: 'TLS_CHACHA20_POLY1305_SHA256', kex: { group: 'secp521r1' } }] },
      ]),
    ];
    const configs: string[] = [];
    for (const t of targets) {
      for (const id of builtinPolicyIds()) {
        // nginx directives only (certificate advice is a shell command). Whole directives, plus the one
        // that names a local file (ssl_dhparam), pointed at the test's group file.
        const advice = remediate(t, loadPolicy(id), { servers: ['nginx'] }).filter((a) => a.snippet.language === 'nginx');
        const text = advice
          .filter((a) => a.snippet.complete || a.snippet.text.includes('ssl_dhparam'))
          .map((a) => a.snippet.text.replace(/ssl_dhparam [^;]+;/, `ssl_dhparam ${dhFile};`))
          .join('');
        if (text) configs.push(text);
      }
    }
    expect(configs.length).toBeGreaterThan(10);
    const every = configs.join('');
    for (const d of ['ssl_protocols', 'ssl_ciphers', 'ssl_conf_command Ciphersuites', 'ssl_prefer_server_ciphers', 'ssl_ecdh_curve', 'ssl_dhparam']) {
      expect(every, `no case exercises ${d}`).toContain(d);
    }
    const results = await Promise.all(configs.map((c) => nginxTest(c)));
    // A list made only of names from OpenSSL's manual (DES-CBC3-SHA for a 3DES-only target) is right for
    // that server's OpenSSL, but the one here is built without those suites: nginx -t must refuse exactly
    // that list, and the rest of the configuration must pass without it.
    const manualOnly = configs.map((c) => {
      const list = /ssl_ciphers ([^;]+);/.exec(c)?.[1];
      return list !== undefined && list.split(':').every((n) => suiteByName(n)?.opensslFromManual) ? list : undefined;
    });
    const withoutList = await Promise.all(
      configs.map((c, i) => (manualOnly[i] === undefined ? undefined : nginxTest(c.replace(/^ssl_ciphers [^;]+;\n/m, '')))),
    );
    results.forEach((r, i) => {
      const list = manualOnly[i];
      if (list === undefined) {
        expect({ code: r.code, stderr: r.stderr }, configs[i]).toEqual({ code: 0, stderr: '' });
        return;
      }
      expect(r.code, configs[i]).not.toBe(0);
      expect(r.stderr.trim().split('\n')[0], configs[i]).toMatch(
        new RegExp(`SSL_CTX_set_cipher_list\\("${list}"\\) failed \\(SSL: error:[0-9A-F]+:SSL routines::no cipher match\\)$`),
      );
      expect({ code: withoutList[i]?.code, stderr: withoutList[i]?.stderr }, configs[i]).toEqual({ code: 0, stderr: '' });
    });
    const refused = manualOnly.filter((l) => l !== undefined).length;
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(configs.length / 2);
  });
});
