/**
 * Local `openssl s_server` processes with known configurations, for tests and fixture recording.
 * Listens on loopback only (127.0.0.1 unless told another 127.x address), by default on a port the kernel picks (`-accept 127.0.0.1:0`; s_server prints the
 * bound address as "ACCEPT 127.0.0.1:PORT"), so servers never collide when tests run in parallel.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const OPENSSL = process.env.OPENSSL ?? 'openssl';

/** Protocol names as `openssl s_server -min_protocol/-max_protocol` spells them. */
export const OPENSSL_PROTOCOLS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type OpenSslProtocol = (typeof OPENSSL_PROTOCOLS)[number];

const DISABLE_FLAG: Record<OpenSslProtocol, string> = {
  TLSv1: '-no_tls1',
  'TLSv1.1': '-no_tls1_1',
  'TLSv1.2': '-no_tls1_2',
  'TLSv1.3': '-no_tls1_3',
};

export interface CertPair {
  cert: string;
  key: string;
}

export interface TestCerts {
  dir: string;
  rsa: CertPair;
  ecdsa: CertPair;
  cleanup(): Promise<void>;
}

/** Throwaway self-signed RSA 2048 and ECDSA P-256 certificates for CN=localhost in a temp dir. */
export async function makeTestCerts(): Promise<TestCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'tlsaudit-certs-'));
  const rsa = { cert: join(dir, 'rsa.crt'), key: join(dir, 'rsa.key') };
  const ecdsa = { cert: join(dir, 'ecdsa.crt'), key: join(dir, 'ecdsa.key') };
  const common = ['-x509', '-nodes', '-days', '7', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'];
  await Promise.all([
    execFileAsync(OPENSSL, ['req', ...common, '-newkey', 'rsa:2048', '-keyout', rsa.key, '-out', rsa.cert]),
    execFileAsync(OPENSSL, ['req', ...common, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-keyout', ecdsa.key, '-out', ecdsa.cert]),
  ]);
  return { dir, rsa, ecdsa, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface OpenSslServerOptions {
  cert: CertPair;
  /** A loopback address (the whole of 127.0.0.0/8 is local on Linux). Default 127.0.0.1. */
  address?: string;
  /** Default 0: the kernel picks a free one. */
  port?: number;
  /** Protocols to enable; the rest are disabled. Default: OpenSSL's defaults (TLS 1.2 and 1.3). */
  protocols?: readonly OpenSslProtocol[];
  /** TLS ≤ 1.2 cipher list (`-cipher`). `@SECLEVEL=0` is appended when old protocols are asked for. */
  ciphers?: string;
  /** TLS 1.3 suites (`-ciphersuites`). */
  ciphersuites?: string;
  /** Server's own order instead of the client's (`-serverpref`). */
  serverPreference?: boolean;
  extraArgs?: readonly string[];
}

export interface OpenSslServer {
  host: string;
  port: number;
  args: string[];
  stop(): Promise<void>;
}

export function openSslServerArgs(options: OpenSslServerOptions): string[] {
  const address = options.address ?? '127.0.0.1';
  if (!address.startsWith('127.')) throw new Error(`test servers listen on loopback only, not ${address}`);
  const args = ['s_server', '-accept', `${address}:${options.port ?? 0}`, '-cert', options.cert.cert, '-key', options.cert.key];
  // -www answers each connection with a status page and never reads stdin, so EOF on stdin cannot stop it.
  args.push('-www');
  let ciphers = options.ciphers;
  if (options.protocols) {
    const enabled = OPENSSL_PROTOCOLS.filter((p) => options.protocols!.includes(p));
    const first = enabled[0];
    const last = enabled[enabled.length - 1];
    if (!first || !last) throw new Error('protocols must name at least one protocol');
    args.push('-min_protocol', first, '-max_protocol', last);
    const span = OPENSSL_PROTOCOLS.slice(OPENSSL_PROTOCOLS.indexOf(first), OPENSSL_PROTOCOLS.indexOf(last) + 1);
    for (const p of span) if (!enabled.includes(p)) args.push(DISABLE_FLAG[p]);
    // OpenSSL 3 refuses TLS 1.0/1.1 and SHA-1 signatures at the default security level 1.
    if ((enabled.includes('TLSv1') || enabled.includes('TLSv1.1')) && !/@SECLEVEL=/i.test(ciphers ?? '')) {
      ciphers = `${ciphers ?? 'DEFAULT'}:@SECLEVEL=0`;
    }
  }
  if (ciphers !== undefined) args.push('-cipher', ciphers);
  if (options.ciphersuites !== undefined) args.push('-ciphersuites', options.ciphersuites);
  if (options.serverPreference) args.push('-serverpref');
  if (options.extraArgs) args.push(...options.extraArgs);
  return args;
}

/** Starts `openssl s_server` and resolves once it accepts connections. */
export function startOpenSslServer(options: OpenSslServerOptions): Promise<OpenSslServer> {
  const args = openSslServerArgs(options);
  const child = spawn(OPENSSL, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise<OpenSslServer>((resolve, reject) => {
    let out = '';
    let settled = false;
    const onData = (chunk: Buffer) => {
      out += chunk.toString('latin1');
      // s_server prints the bound address only when it chose the port itself ("ACCEPT" alone otherwise).
      const m = /^ACCEPT(?: \S+:(\d+))?\r?$/m.exec(out);
      if (m && !settled) {
        settled = true;
        const port = m[1] ? Number(m[1]) : options.port!;
        // The listeners stay, draining the pipes so a chatty server never blocks on a full pipe.
        resolve({ host: options.address ?? '127.0.0.1', port, args, stop: () => stopChild(child) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
    child.once('exit', (code, signal) => {
      if (!settled) {
        settled = true;
        reject(new Error(`openssl ${args.join(' ')} exited (${code ?? signal}) before accepting:\n${out}`));
      }
    });
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // s_server ends on SIGTERM at once; SIGKILL is the fallback should it ever hang in a handshake.
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
