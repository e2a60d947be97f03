/**
 * Web servers and TLS proxies from Debian packages, each run in the foreground with its own configuration
 * in a temp dir and listening on 127.0.0.1 only: nginx, Apache httpd with mod_ssl, lighttpd (with any of
 * its TLS modules: OpenSSL, GnuTLS, NSS, Mbed TLS, wolfSSL), HAProxy and stunnel.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestCerts } from '../openssl-server.js';
import { certPairs, debianVersion, type CertChoice } from './compiled-servers.js';
import { findProgram, requireFile, spawnListening, startWithFreePort, tempDir, type StackServer } from './stack-process.js';

export interface WebServerOptions {
  cert: CertChoice;
  /** Protocols in the server's own syntax (nginx: "TLSv1.2 TLSv1.3"; Apache: "-all +TLSv1.2"; ...). */
  protocols?: string;
  /** TLS <= 1.2 suites in the server's own syntax (an OpenSSL cipher string for most). */
  ciphers?: string;
  serverPreference?: boolean;
}

async function started(name: string, dir: { cleanup(): Promise<void> }, run: (port: number) => Promise<{ stop(): Promise<void> }>): Promise<StackServer> {
  try {
    const { s, port } = await startWithFreePort(async (port) => ({ s: await run(port), port }));
    return { name, host: '127.0.0.1', port, stop: async () => (await s.stop(), await dir.cleanup()) };
  } catch (error) {
    await dir.cleanup();
    throw error;
  }
}

export async function startNginx(certs: TestCerts, options: WebServerOptions): Promise<StackServer> {
  const nginx = await findProgram('nginx', '/usr/sbin/nginx');
  const tmp = await tempDir('nginx');
  const d = tmp.dir;
  const certLines = certPairs(certs, options.cert).map((p) => `    ssl_certificate ${p.cert};\n    ssl_certificate_key ${p.key};`).join('\n');
  const conf = (port: number) => `
daemon off;
master_process off;
pid ${d}/nginx.pid;
error_log ${d}/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${d}/body; proxy_temp_path ${d}/proxy; fastcgi_temp_path ${d}/fastcgi;
  uwsgi_temp_path ${d}/uwsgi; scgi_temp_path ${d}/scgi;
  server {
    listen 127.0.0.1:${port} ssl;
${certLines}
${options.protocols ? `    ssl_protocols ${options.protocols};` : ''}
${options.ciphers ? `    ssl_ciphers ${options.ciphers};` : ''}
    ssl_prefer_server_ciphers ${options.serverPreference ? 'on' : 'off'};
    return 200 "ok";
  }
}
`;
  const version = await debianVersion('nginx-core').then((v) => v || debianVersion('nginx'));
  return started(`nginx ${version}`, tmp, async (port) => {
    await writeFile(join(d, 'nginx.conf'), conf(port));
    return spawnListening(nginx, ['-p', d, '-c', join(d, 'nginx.conf'), '-e', join(d, 'error.log')], port);
  });
}

export async function startApache(certs: TestCerts, options: WebServerOptions): Promise<StackServer> {
  const httpd = await findProgram('apache2', '/usr/sbin/apache2');
  const modules = '/usr/lib/apache2/modules';
  await requireFile('apache2', join(modules, 'mod_ssl.so'));
  const tmp = await tempDir('apache');
  const d = tmp.dir;
  const certLines = certPairs(certs, options.cert).map((p) => `  SSLCertificateFile ${p.cert}\n  SSLCertificateKeyFile ${p.key}`).join('\n');
  const conf = (port: number) => `
ServerRoot ${d}
ServerName localhost
PidFile ${d}/httpd.pid
ErrorLog ${d}/error.log
Mutex file:${d}
DefaultRuntimeDir ${d}
LoadModule mpm_prefork_module ${modules}/mod_mpm_prefork.so
LoadModule authz_core_module ${modules}/mod_authz_core.so
LoadModule socache_shmcb_module ${modules}/mod_socache_shmcb.so
LoadModule ssl_module ${modules}/mod_ssl.so
User nobody
Group nogroup
Listen 127.0.0.1:${port}
DocumentRoot ${d}
<VirtualHost 127.0.0.1:${port}>
  SSLEngine on
${certLines}
${options.protocols ? `  SSLProtocol ${options.protocols}` : ''}
${options.ciphers ? `  SSLCipherSuite ${options.ciphers}` : ''}
  SSLHonorCipherOrder ${options.serverPreference ? 'on' : 'off'}
</VirtualHost>
`;
  const version = await debianVersion('apache2');
  return started(`Apache httpd ${version} mod_ssl`, tmp, async (port) => {
    await writeFile(join(d, 'httpd.conf'), conf(port));
    // -DFOREGROUND keeps the parent in front; prefork children serve the connections.
    return spawnListening(httpd, ['-f', join(d, 'httpd.conf'), '-DFOREGROUND'], port, {
      env: { ...process.env, APACHE_RUN_DIR: d, APACHE_LOCK_DIR: d, APACHE_LOG_DIR: d },
      ownProcessGroup: true,
    });
  });
}

/** lighttpd's TLS modules and the Debian package of each. */
export const LIGHTTPD_BACKENDS = {
  openssl: { module: 'mod_openssl', pkg: 'lighttpd-mod-openssl', label: 'OpenSSL' },
  gnutls: { module: 'mod_gnutls', pkg: 'lighttpd-mod-gnutls', label: 'GnuTLS' },
  nss: { module: 'mod_nss', pkg: 'lighttpd-mod-nss', label: 'NSS' },
  mbedtls: { module: 'mod_mbedtls', pkg: 'lighttpd-mod-mbedtls', label: 'Mbed TLS' },
  wolfssl: { module: 'mod_wolfssl', pkg: 'lighttpd-mod-wolfssl', label: 'wolfSSL' },
} as const;
export type LighttpdBackend = keyof typeof LIGHTTPD_BACKENDS;

export interface LighttpdOptions {
  cert: 'rsa' | 'ecdsa';
  backend: LighttpdBackend;
  /** ssl.openssl.ssl-conf-cmd pairs, e.g. { MinProtocol: 'TLSv1.2', CipherString: '...' } (lighttpd maps them per backend). */
  conf?: Record<string, string>;
}

export async function startLighttpd(certs: TestCerts, options: LighttpdOptions): Promise<StackServer> {
  const lighttpd = await findProgram('lighttpd', '/usr/sbin/lighttpd');
  const backend = LIGHTTPD_BACKENDS[options.backend];
  await requireFile(backend.pkg, `/usr/lib/lighttpd/${backend.module}.so`);
  const tmp = await tempDir('lighttpd');
  const d = tmp.dir;
  const pair = certs[options.cert];
  const pem = join(d, 'server.pem');
  // lighttpd reads the certificate and key from one PEM file.
  await writeFile(pem, (await readFile(pair.cert, 'utf8')) + (await readFile(pair.key, 'utf8')));
  const confCmd = options.conf ? `ssl.openssl.ssl-conf-cmd = (${Object.entries(options.conf).map(([k, v]) => `"${k}" => "${v}"`).join(', ')})` : '';
  const conf = (port: number) => `
server.modules = ("${backend.module}")
server.document-root = "${d}"
server.bind = "127.0.0.1"
server.port = ${port}
server.pid-file = "${d}/lighttpd.pid"
server.errorlog = "${d}/error.log"
ssl.engine = "enable"
ssl.pemfile = "${pem}"
${confCmd}
`;
  const version = await debianVersion('lighttpd');
  return started(`lighttpd ${version} with ${backend.label} (${backend.module})`, tmp, async (port) => {
    await writeFile(join(d, 'lighttpd.conf'), conf(port));
    return spawnListening(lighttpd, ['-D', '-f', join(d, 'lighttpd.conf')], port);
  });
}

export async function startHaproxy(certs: TestCerts, options: WebServerOptions): Promise<StackServer> {
  const haproxy = await findProgram('haproxy', '/usr/sbin/haproxy');
  const tmp = await tempDir('haproxy');
  const d = tmp.dir;
  const pems: string[] = [];
  for (const [i, p] of certPairs(certs, options.cert).entries()) {
    const pem = join(d, `server${i}.pem`);
    await writeFile(pem, (await readFile(p.cert, 'utf8')) + (await readFile(p.key, 'utf8')));
    pems.push(pem);
  }
  const bindOptions = [...pems.map((p) => `crt ${p}`)];
  if (options.protocols) bindOptions.push(options.protocols);
  if (options.ciphers) bindOptions.push(`ciphers ${options.ciphers}`);
  if (!options.serverPreference) bindOptions.push('prefer-client-ciphers');
  const conf = (port: number) => `
global
  pidfile ${d}/haproxy.pid
defaults
  mode http
  timeout client 10s
  timeout connect 5s
  timeout server 10s
frontend tls
  bind 127.0.0.1:${port} ssl ${bindOptions.join(' ')}
  http-request return status 200
`;
  const version = await debianVersion('haproxy');
  return started(`HAProxy ${version}`, tmp, async (port) => {
    await writeFile(join(d, 'haproxy.cfg'), conf(port));
    return spawnListening(haproxy, ['-db', '-f', join(d, 'haproxy.cfg')], port);
  });
}

export async function startStunnel(certs: TestCerts, options: WebServerOptions & { cert: 'rsa' | 'ecdsa' }): Promise<StackServer> {
  const stunnel = await findProgram('stunnel4', '/usr/bin/stunnel4', '/usr/bin/stunnel');
  const tmp = await tempDir('stunnel');
  const d = tmp.dir;
  const pair = certs[options.cert];
  const conf = (port: number) => `
foreground = yes
pid =
output = ${d}/stunnel.log
[tls]
accept = 127.0.0.1:${port}
; Nothing listens there: the handshake is all the tests look at.
connect = 127.0.0.1:9
cert = ${pair.cert}
key = ${pair.key}
${options.protocols ?? ''}
${options.ciphers ? `ciphers = ${options.ciphers}` : ''}
options = ${options.serverPreference ? 'CIPHER_SERVER_PREFERENCE' : '-CIPHER_SERVER_PREFERENCE'}
`;
  const version = await debianVersion('stunnel4');
  return started(`stunnel ${version}`, tmp, async (port) => {
    await writeFile(join(d, 'stunnel.conf'), conf(port));
    return spawnListening(stunnel, [join(d, 'stunnel.conf')], port);
  });
}
