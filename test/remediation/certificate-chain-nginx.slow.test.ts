/**
 * The "serve the intermediate" advice, applied to a real nginx (Debian's) on loopback: a server that
 * sends only its leaf fails the certificates policy; with the advice's ssl_certificate line pointed at
 * the full chain it passes. Skipped, with a message, where nginx is not installed.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustStore, probe } from '../../src/adapters/probe/index.js';
import { compilePolicy, evaluate, loadPolicy } from '../../src/policy/index.js';
import { remediate } from '../../src/remediation/index.js';
import { freePort, spawnListening, type SpawnedServer } from '../helpers/stacks/stack-process.js';
import { makeTestPki, pem, type Issued, type TestPki } from '../helpers/test-pki.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].find((p) => existsSync(p));
if (!NGINX) console.warn('nginx is not installed (apt-get install nginx): skipping the certificate chain advice check.');

let pki: TestPki;
let leaf: Issued;
let nginx: SpawnedServer | undefined;


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
  nginx = await spawnListening(NGINX!, ['-p', dir, '-c', conf], port, { readyMs: 10_000 });
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
  await nginx?.stop();
  await pki?.cleanup();
});

describe.skipIf(!NGINX)('serve the intermediate, on a real nginx', () => {
  it('a leaf-only nginx fails; the advice, applied, makes it pass', async () => {
    const before = await startNginx('leaf-only', `ssl_certificate ${leaf.cert};`);
    const first = await judge(before);
    expect(first.fired).toEqual(['certificate-chain-complete', 'certificate-trusted']);
    await nginx!.stop();
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
