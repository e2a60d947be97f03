/** gnutls-serv (gnutls-bin) and botan tls_server (botan): servers that listen on every address, kept on loopback by the shim. */
import type { TestCerts } from '../openssl-server.js';
import { certPairs, debianVersion, loopbackShim, type CertChoice } from './compiled-servers.js';
import { findProgram, spawnListening, startWithFreePort, type StackServer } from './stack-process.js';

export interface GnutlsServerOptions {
  cert: CertChoice;
  /** A GnuTLS priority string (gnutls_priority_init(3)). Default: NORMAL. */
  priority?: string;
}

export async function startGnutlsServer(certs: TestCerts, options: GnutlsServerOptions): Promise<StackServer> {
  const program = await findProgram('gnutls-bin', '/usr/bin/gnutls-serv');
  const shim = await loopbackShim();
  const args = ['--disable-client-cert', '--http'];
  for (const p of certPairs(certs, options.cert)) args.push('--x509certfile', p.cert, '--x509keyfile', p.key);
  if (options.priority) args.push('--priority', options.priority);
  const env = { ...process.env, LD_PRELOAD: shim };
  const s = await startWithFreePort((port) => spawnListening(program, [...args, '--port', String(port)], port, { env }).then((s) => ({ s, port })));
  return { name: `GnuTLS ${await debianVersion('gnutls-bin')} (gnutls-serv)`, host: '127.0.0.1', port: s.port, stop: () => s.s.stop() };
}

export interface BotanServerOptions {
  cert: 'rsa' | 'ecdsa';
  /** A built-in policy name (default, strict, suiteb, bsi) or a policy file's path. */
  policy?: string;
}

export async function startBotanServer(certs: TestCerts, options: BotanServerOptions): Promise<StackServer> {
  const program = await findProgram('botan', '/usr/bin/botan');
  const shim = await loopbackShim();
  const pair = certs[options.cert];
  const env = { ...process.env, LD_PRELOAD: shim };
  const args = ['tls_server', pair.cert, pair.key];
  if (options.policy) args.push(`--policy=${options.policy}`);
  const s = await startWithFreePort((port) => spawnListening(program, [...args, `--port=${port}`], port, { env }).then((s) => ({ s, port })));
  return { name: `Botan ${await debianVersion('botan')} (botan tls_server)`, host: '127.0.0.1', port: s.port, stop: () => s.s.stop() };
}
