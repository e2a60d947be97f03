/** gnutls-serv (gnutls-bin) and botan tls_server (botan): servers that listen on every address, kept on loopback by the shim. */
import type { TestCerts } from '../openssl-server.js';
import { buildLoopbackShim, certPairs, debianVersion, type CertChoice } from './compiled-servers.js';
import { findProgram, inTempDir, spawnListening, startWithFreePort, type StackServer } from './stack-process.js';

export interface GnutlsServerOptions {
  cert: CertChoice;
  /** A GnuTLS priority string (gnutls_priority_init(3)). Default: NORMAL. */
  priority?: string;
}

export async function startGnutlsServer(certs: TestCerts, options: GnutlsServerOptions): Promise<StackServer> {
  const program = await findProgram('gnutls-bin', '/usr/bin/gnutls-serv');
  const args = ['--disable-client-cert', '--http'];
  for (const p of certPairs(certs, options.cert)) args.push('--x509certfile', p.cert, '--x509keyfile', p.key);
  if (options.priority) args.push('--priority', options.priority);
  return inTempDir('gnutls', async (tmp) => {
    const env = { ...process.env, LD_PRELOAD: await buildLoopbackShim(tmp.dir) };
    const s = await startWithFreePort((port) => spawnListening(program, [...args, '--port', String(port)], port, { env }).then((s) => ({ s, port })));
    return { name: `GnuTLS ${await debianVersion('gnutls-bin')} (gnutls-serv)`, host: '127.0.0.1', port: s.port, stop: async () => (await s.s.stop(), await tmp.cleanup()) };
  });
}

export interface BotanServerOptions {
  cert: 'rsa' | 'ecdsa';
  /** A built-in policy name (default, strict, suiteb, bsi) or a policy file's path. */
  policy?: string;
}

export async function startBotanServer(certs: TestCerts, options: BotanServerOptions): Promise<StackServer> {
  const program = await findProgram('botan', '/usr/bin/botan');
  const pair = certs[options.cert];
  const args = ['tls_server', pair.cert, pair.key];
  if (options.policy) args.push(`--policy=${options.policy}`);
  return inTempDir('botan', async (tmp) => {
    const env = { ...process.env, LD_PRELOAD: await buildLoopbackShim(tmp.dir) };
    const s = await startWithFreePort((port) => spawnListening(program, [...args, `--port=${port}`], port, { env }).then((s) => ({ s, port })));
    return { name: `Botan ${await debianVersion('botan')} (botan tls_server)`, host: '127.0.0.1', port: s.port, stop: async () => (await s.s.stop(), await tmp.cleanup()) };
  });
}
