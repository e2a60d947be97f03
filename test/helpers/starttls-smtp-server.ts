/**
 * A minimal SMTP server on 127.0.0.1 that offers STARTTLS (RFC 3207) and upgrades the connection with
 * node:tls. Only what a TLS scanner needs: greeting, EHLO/HELO, STARTTLS, NOOP, RSET, QUIT.
 * `openssl s_server` has no STARTTLS server mode, hence this.
 */
import { createServer, type Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContextOptions } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { CertPair } from './openssl-server.js';

export interface StartTlsSmtpOptions {
  cert: CertPair;
  /** node:tls context options: minVersion, maxVersion, ciphers, ... */
  tls?: Omit<SecureContextOptions, 'cert' | 'key'>;
  /** Loopback address to listen on; default 127.0.0.1. */
  address?: string;
  /** Default 0: the kernel picks a free one. */
  port?: number;
  /** Name in the greeting and EHLO reply. */
  serverName?: string;
}

export interface StartTlsSmtpServer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

export async function startStartTlsSmtpServer(options: StartTlsSmtpOptions): Promise<StartTlsSmtpServer> {
  const name = options.serverName ?? 'mail.example.test';
  const address = options.address ?? '127.0.0.1';
  if (!address.startsWith('127.')) throw new Error(`test servers listen on loopback only, not ${address}`);
  const context = createSecureContext({
    ...options.tls,
    cert: readFileSync(options.cert.cert),
    key: readFileSync(options.cert.key),
  });
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(10_000, () => socket.destroy());
    converse(socket, name, false, () => {
      socket.removeAllListeners('data');
      const secure = new TLSSocket(socket, { isServer: true, secureContext: context });
      secure.on('error', () => socket.destroy());
      secure.once('secure', () => converse(secure, name, true, () => secure.end('503 5.5.1 TLS already active\r\n')));
    });
    socket.write(`220 ${name} ESMTP\r\n`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: address,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function converse(socket: Socket, name: string, secure: boolean, onStartTls: () => void): void {
  let buffer = '';
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    if (buffer.length > 4096) return socket.destroy();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      const verb = line.split(' ', 1)[0]!.toUpperCase();
      switch (verb) {
        case 'EHLO':
          socket.write(`250-${name}\r\n250-PIPELINING\r\n${secure ? '' : '250-STARTTLS\r\n'}250 8BITMIME\r\n`);
          break;
        case 'HELO':
          socket.write(`250 ${name}\r\n`);
          break;
        case 'STARTTLS':
          if (secure) {
            onStartTls();
          } else {
            // Anything pipelined after STARTTLS must be discarded (RFC 3207 §4.2).
            buffer = '';
            socket.write('220 2.0.0 Ready to start TLS\r\n', () => onStartTls());
          }
          return;
        case 'NOOP':
        case 'RSET':
          socket.write('250 2.0.0 OK\r\n');
          break;
        case 'QUIT':
          socket.end('221 2.0.0 Bye\r\n');
          return;
        default:
          socket.write('502 5.5.2 Command not recognized\r\n');
      }
    }
  });
}
