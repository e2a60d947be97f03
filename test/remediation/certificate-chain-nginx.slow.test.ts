/**
 * The "serve the intermediate" advice, applied to a real nginx (Debian's) on loopback: a server that
 * sends only its leaf fails the certificates policy; with the advice's ssl_certificate line pointed at
 * the full chain it passes. Skipped, with a message, where nginx is not installed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustStore, probe } from '../../src/adapters/probe/index.js';
import { compilePolicy, evaluate, loadPolicy } from '../../src/policy/index.js';
import { remediate } from '../../src/remediation/index.js';
import { stopChild } from '../helpers/openssl-server.js';
import { makeTestPki, pem, type Issued, type TestPki } from '../helpers/test-pki.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].find((p) => existsSync(p));
if (!NGINX) console.warn('nginx is not installed (apt-get install nginx): skipping the certificate chain advice check.');

let pki: TestPki;
let leaf: Issued;
let nginx: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function listening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ host: '127.0.0.1', port }, () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not listen on ${port}`);
}

async function startNginx(name: string, certificateLine: string): Promise<number> {
  const port = await freePort();
  const dir = pki.dir;
  const conf = join(dir, `${name}.conf`);
  await writeFile(
    conf,
    `daemon off;
master_process off;
error_log stderr;
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
    listen 127.0.0.1:${port} ssl;
    ${certificateLine.trim()}
    ssl_certificate_key ${leaf.key};
  }
}
`,
  );
  nginx = spawn(NGINX!, ['-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  nginx.stderr!.resume();
  await listening(port);
  return port;
}

const judge = async (port: number) => {
  const t = await probe(`localhost:${port}`, { resolve: async () => '127.0.0.1', protocols: ['TLSv1.2', 'TLSv1.3'], trustStore: loadTrustStore(pki.root.cert) });
  return { t, fired: evaluate(compilePolicy(loadPolicy('certificates')), t).findings.filter((f) => f.severity !== 'info').map((f) => f.rule).sort() };
};

beforeAll(async () => {
  if (!NGINX) return;
  pki = await makeTestPki();
  leaf = await pki.issue({ name: 'leaf', cn: 'localhost', sans: ['DNS:localhost'] });
}, 60_000);

afterAll(async () => {
  if (nginx) await stopChild(nginx);
  await pki?.cleanup();
});

describe.skipIf(!NGINX)('serve the intermediate, on a real nginx', () => {
  it('a leaf-only nginx fails; the advice, applied, makes it pass', async () => {
    const before = await startNginx('leaf-only', `ssl_certificate ${leaf.cert};`);
    const first = await judge(before);
    expect(first.fired).toEqual(['certificate-chain-complete', 'certificate-trusted']);
    await stopChild(nginx!);
    nginx = undefined;

    const advice = remediate(first.t, loadPolicy('certificates'), { servers: ['nginx'] });
    expect(advice).toHaveLength(1);
    const step = advice[0]!;
    expect(step.rules).toEqual(['certificate-chain-complete', 'certificate-trusted']);
    // The advice names a placeholder path and says what goes in the file: the leaf, then its intermediates.
    const fullchain = join(pki.dir, 'fullchain.pem');
    await writeFile(fullchain, (await pem(leaf.cert)) + (await pem(pki.intermediate.cert)));
    const after = await startNginx('full-chain', step.snippet.text.replace('/etc/ssl/example.org/fullchain.pem', fullchain));
    const second = await judge(after);
    expect(second.fired).toEqual([]);
    expect(second.t.certificates![0]).toMatchObject({ chainComplete: true, chainInOrder: true, trusted: true });
  });
});
