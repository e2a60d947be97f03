/**
 * Servers built at test time from the small programs in ./src: Go crypto/tls (golang-go), Java JSSE
 * (default-jdk-headless), wolfSSL (gcc + libwolfssl-dev), and the loopback-bind shim that keeps
 * gnutls-serv and botan, which can only listen on every address, on loopback.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CertPair, TestCerts } from '../openssl-server.js';
import { OPENSSL } from '../openssl-server.js';
import { findProgram, inTempDir, requireFile, runBuild, spawnPrintingPort, type StackServer } from './stack-process.js';

const execFileAsync = promisify(execFile);
const SRC = fileURLToPath(new URL('./src/', import.meta.url));

/** Which of a TestCerts' keys a server uses: one, or both (it picks per handshake). */
export type CertChoice = 'rsa' | 'ecdsa' | 'dual';

export function certPairs(certs: TestCerts, choice: CertChoice): CertPair[] {
  return choice === 'dual' ? [certs.rsa, certs.ecdsa] : [certs[choice]];
}

/** Builds loopback-bind.so into `dir` (the server's own temp dir, removed when it stops). */
export async function buildLoopbackShim(dir: string): Promise<string> {
  const gcc = await findProgram('gcc', '/usr/bin/gcc');
  const out = join(dir, 'loopback-bind.so');
  await runBuild(gcc, ['-shared', '-fPIC', '-o', out, join(SRC, 'loopback-bind.c'), '-ldl']);
  return out;
}

export interface GoServerOptions {
  cert: CertChoice;
  min?: '1.0' | '1.1' | '1.2' | '1.3';
  max?: '1.0' | '1.1' | '1.2' | '1.3';
  /** Go's suite names, TLS <= 1.2. */
  suites?: readonly string[];
}

/** A Go crypto/tls server, built with GOCACHE and GOPATH in a temp dir and no module downloads. */
export async function startGoServer(certs: TestCerts, options: GoServerOptions): Promise<StackServer> {
  const go = await findProgram('golang-go', '/usr/bin/go', '/usr/lib/go/bin/go');
  return inTempDir('go', (tmp) => runGoServer(go, tmp, certs, options));
}

async function runGoServer(go: string, tmp: { dir: string; cleanup(): Promise<void> }, certs: TestCerts, options: GoServerOptions): Promise<StackServer> {
  const env = { ...process.env, GOCACHE: join(tmp.dir, 'cache'), GOPATH: join(tmp.dir, 'gopath'), GO111MODULE: 'off', GOPROXY: 'off', GOFLAGS: '', CGO_ENABLED: '0' };
  const bin = join(tmp.dir, 'go-tls-server');
  await runBuild(go, ['build', '-o', bin, join(SRC, 'go-tls-server.go')], { env, cwd: tmp.dir });
  const pairs = certPairs(certs, options.cert);
  const args = ['-cert', pairs.map((p) => p.cert).join(','), '-key', pairs.map((p) => p.key).join(',')];
  if (options.min) args.push('-min', options.min);
  if (options.max) args.push('-max', options.max);
  if (options.suites) args.push('-suites', options.suites.join(','));
  const s = await spawnPrintingPort(bin, args);
  return { name: `Go ${await goVersion(go)} crypto/tls`, host: '127.0.0.1', port: s.port, stop: async () => (await s.stop(), await tmp.cleanup()) };
}

async function goVersion(go: string): Promise<string> {
  const { stdout } = await execFileAsync(go, ['version']);
  return /go(\d+\.\d+(\.\d+)?)/.exec(stdout)?.[1] ?? '';
}

export interface JsseServerOptions {
  cert: 'rsa' | 'ecdsa';
  /** JSSE names: TLSv1.2, TLSv1.3, ... */
  protocols?: readonly string[];
  suites?: readonly string[];
}

/** A Java JSSE SSLServerSocket, the source compiled at test time by the java launcher. */
export async function startJsseServer(certs: TestCerts, options: JsseServerOptions): Promise<StackServer> {
  const java = await findProgram('default-jdk-headless', '/usr/bin/java');
  return inTempDir('jsse', async (tmp) => {
    const p12 = join(tmp.dir, 'server.p12');
    const pair = certs[options.cert];
    await execFileAsync(OPENSSL, ['pkcs12', '-export', '-in', pair.cert, '-inkey', pair.key, '-out', p12, '-passout', 'pass:changeit', '-name', 'server']);
    const s = await spawnPrintingPort(java, [join(SRC, 'JsseServer.java'), p12, 'changeit', (options.protocols ?? []).join(','), (options.suites ?? []).join(',')], { readyMs: 60_000 });
    return { name: `Java ${await javaVersion(java)} JSSE`, host: '127.0.0.1', port: s.port, stop: async () => (await s.stop(), await tmp.cleanup()) };
  });
}

async function javaVersion(java: string): Promise<string> {
  const { stderr } = await execFileAsync(java, ['-version']);
  return /version "([^"]+)"/.exec(stderr)?.[1] ?? '';
}

export interface WolfSslServerOptions {
  cert: 'rsa' | 'ecdsa';
  /** wolfSSL_CTX_set_cipher_list (OpenSSL-style names). */
  ciphers?: string;
  /** wolfSSL_CTX_SetMinVersion: 0 SSLv3, 1 TLS 1.0, 2 TLS 1.1, 3 TLS 1.2, 4 TLS 1.3. */
  minVersion?: number;
}

/** A wolfSSL server compiled with gcc against libwolfssl-dev. */
export async function startWolfSslServer(certs: TestCerts, options: WolfSslServerOptions): Promise<StackServer> {
  const gcc = await findProgram('gcc', '/usr/bin/gcc');
  await requireFile('libwolfssl-dev', '/usr/include/wolfssl/ssl.h');
  return inTempDir('wolfssl', async (tmp) => {
    const bin = join(tmp.dir, 'wolfssl-server');
    await runBuild(gcc, ['-O1', '-o', bin, join(SRC, 'wolfssl-server.c'), '-lwolfssl']);
    const pair = certs[options.cert];
    const args = ['0', pair.cert, pair.key];
    if (options.ciphers) args.push('-c', options.ciphers);
    if (options.minVersion !== undefined) args.push('-v', String(options.minVersion));
    const s = await spawnPrintingPort(bin, args);
    return { name: `wolfSSL ${await debianVersion('libwolfssl-dev')}`, host: '127.0.0.1', port: s.port, stop: async () => (await s.stop(), await tmp.cleanup()) };
  });
}

/** The installed version of a Debian package (for test names and docs). */
export async function debianVersion(pkg: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync('dpkg-query', ['-W', '-f=${Version}', pkg]);
    return stdout.trim();
  } catch {
    return '';
  }
}
