/**
 * Minimal IMAP, POP3, FTP, XMPP and PostgreSQL servers on 127.0.0.1 that upgrade to TLS on request (IMAP
 * STARTTLS, POP3 STLS, FTP AUTH TLS, XMPP <starttls/>, PostgreSQL SSLRequest) with node:tls, and nothing else. SMTP has
 * its own helper (starttls-smtp-server.ts).
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createSecureContext, TLSSocket, type SecureContextOptions } from 'node:tls';
import type { CertPair } from './openssl-server.js';

export const LINE_STARTTLS_PROTOCOLS = ['imap', 'pop3', 'ftp', 'xmpp', 'postgres'] as const;
export type LineStartTlsProtocol = (typeof LINE_STARTTLS_PROTOCOLS)[number];

interface Dialogue {
  greeting?: string;
  /** Answer to a line: [reply, upgrade afterwards]. */
  answer(line: string): [string, boolean];
}

const DIALOGUES: Record<Exclude<LineStartTlsProtocol, 'postgres' | 'xmpp'>, Dialogue> = {
  imap: {
    greeting: '* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n',
    answer: (line) => {
      const [tag, cmd] = line.split(' ');
      if (cmd?.toUpperCase() === 'STARTTLS') return [`${tag} OK Begin TLS negotiation now\r\n`, true];
      if (cmd?.toUpperCase() === 'CAPABILITY') return [`* CAPABILITY IMAP4rev1 STARTTLS\r\n${tag} OK done\r\n`, false];
      return [`${tag ?? '*'} BAD unknown\r\n`, false];
    },
  },
  pop3: {
    greeting: '+OK POP3 ready\r\n',
    answer: (line) => (line.toUpperCase() === 'STLS' ? ['+OK Begin TLS\r\n', true] : ['-ERR unknown\r\n', false]),
  },
  ftp: {
    greeting: '220-Welcome\r\n220 FTP ready\r\n',
    answer: (line) => (line.toUpperCase() === 'AUTH TLS' ? ['234 AUTH TLS OK\r\n', true] : ['502 not implemented\r\n', false]),
  },
};

export interface StartTlsServer {
  host: string;
  port: number;
  /** SNI names seen in TLS handshakes after the upgrade. */
  readonly serverNames: Array<string | undefined>;
  stop(): Promise<void>;
}

export async function startStartTlsServer(protocol: LineStartTlsProtocol, options: { cert: CertPair; tls?: Omit<SecureContextOptions, 'cert' | 'key'> }): Promise<StartTlsServer> {
  const context = createSecureContext({ ...options.tls, cert: readFileSync(options.cert.cert), key: readFileSync(options.cert.key) });
  const sockets = new Set<Socket>();
  const serverNames: Array<string | undefined> = [];
  const upgrade = (socket: Socket) => {
    socket.removeAllListeners('data');
    const secure = new TLSSocket(socket, {
      isServer: true,
      secureContext: context,
      SNICallback: (name, cb) => {
        serverNames.push(name);
        cb(null, context);
      },
    });
    secure.on('error', () => socket.destroy());
    secure.once('secure', () => secure.end());
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(10_000, () => socket.destroy());
    if (protocol === 'postgres') {
      socket.once('data', (chunk: Buffer) => {
        if (chunk.length >= 8 && chunk.readUInt32BE(4) === 80877103) socket.write('S', () => upgrade(socket));
        else socket.destroy();
      });
      return;
    }
    if (protocol === 'xmpp') {
      // RFC 6120 §5.4: stream header, features offering STARTTLS, <proceed/>, then TLS.
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('<stream:stream') && !text.includes('<starttls')) {
          socket.write(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='1' from='example.test' version='1.0'>" +
              "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>",
          );
        } else if (text.includes('<starttls')) {
          socket.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", () => upgrade(socket));
        }
      });
      return;
    }
    const d = DIALOGUES[protocol];
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        const [reply, up] = d.answer(line);
        if (up) {
          socket.write(reply, () => upgrade(socket));
          return;
        }
        socket.write(reply);
      }
    });
    if (d.greeting) socket.write(d.greeting);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    serverNames,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
