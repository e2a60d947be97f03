/**
 * TCP servers on 127.0.0.1 that break TLS in one chosen way each, for checking that a scanner turns
 * every one of them into a clear error in bounded time. They answer the first ClientHello of each
 * connection; what they answer is the point. startFirstSuiteServer is their well-behaved counterpart.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { freePort } from './stacks/stack-process.js';
import {
  buildAlert,
  buildHandshakeMessage,
  buildRecord,
  buildServerHello,
  parseClientHello,
  parseHandshakeMessage,
  parseRecord,
} from '../../src/adapters/probe/codec/index.js';

export const MISBEHAVIOURS = [
  'tarpit',
  'http',
  'immediate-close',
  'fatal-alert',
  'oversized-record',
  'unoffered-suite',
  'unoffered-version',
  'trickle',
] as const;
export type Misbehaviour = (typeof MISBEHAVIOURS)[number];

export interface LocalServer {
  host: string;
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  stop(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>, counter: { n: number }): Promise<LocalServer> {
  server.on('connection', (s) => {
    counter.n++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    get connections() {
      return counter.n;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads one ClientHello from `socket` (records may arrive in pieces) and hands its offered suites and version over. */
function onClientHello(socket: Socket, handle: (hello: { suites: number[]; version: number; supportedVersions?: number[] }) => void): void {
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    const rec = parseRecord(buf);
    if (rec.kind !== 'ok') return;
    const msg = parseHandshakeMessage(rec.value.fragment);
    if (msg.kind !== 'ok') return;
    const hello = parseClientHello(msg.value.body);
    if (hello.kind !== 'ok') return socket.destroy();
    socket.removeAllListeners('data');
    handle({ suites: hello.value.cipherSuites, version: hello.value.legacyVersion, ...(hello.value.supportedVersions && { supportedVersions: hello.value.supportedVersions }) });
  });
}

function serverHello(version: number, suite: number, extensions?: { type: number; data: Uint8Array }[]): Buffer {
  const body = buildServerHello({ legacyVersion: version, random: new Uint8Array(32).fill(0x42), cipherSuite: suite, ...(extensions && { extensions }) });
  return Buffer.from(buildRecord(22, version, buildHandshakeMessage(2, body)));
}

export async function startMisbehavingServer(kind: Misbehaviour): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  const counter = { n: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((socket) => {
    socket.on('close', () => {
      for (const t of timers) clearInterval(t);
    });
    switch (kind) {
      case 'tarpit':
        // Reads everything, answers nothing, never closes.
        socket.on('data', () => undefined);
        return;
      case 'http':
        socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
        return;
      case 'immediate-close':
        socket.destroy();
        return;
      case 'fatal-alert':
        socket.once('data', () => socket.end(Buffer.from(buildRecord(21, 0x0303, buildAlert(2, 40)))));
        return;
      case 'oversized-record':
        // A handshake record header announcing 65535 bytes (more than 2^14+2048), then silence.
        socket.once('data', () => socket.write(Buffer.from([22, 3, 3, 0xff, 0xff, 2, 0, 0])));
        return;
      case 'unoffered-suite':
        onClientHello(socket, (h) => {
          let suite = 0x0a0a; // a GREASE value: never a real suite, never in a probe's offer
          while (h.suites.includes(suite)) suite += 0x1010;
          socket.write(serverHello(Math.min(h.version, 0x0303), suite));
        });
        return;
      case 'unoffered-version':
        // Always claims TLS 1.2 with an offered suite, even to an SSLv3 or TLS 1.0 hello.
        onClientHello(socket, (h) => socket.write(serverHello(h.supportedVersions ? 0x0302 : 0x0303, h.suites[0] ?? 0x002f, h.supportedVersions ? [{ type: 43, data: Uint8Array.of(3, 5) }] : undefined)));
        return;
      case 'trickle': {
        // A valid ServerHello for an offered suite, one byte every 300 ms: never complete in time.
        onClientHello(socket, (h) => {
          const bytes = serverHello(0x0303, h.suites[0] ?? 0x002f);
          let i = 0;
          const t = setInterval(() => {
            if (i >= bytes.length || socket.destroyed) return clearInterval(t);
            socket.write(bytes.subarray(i, ++i));
          }, 300);
          timers.add(t);
        });
        return;
      }
    }
  });
  const s = await listen(server, sockets, counter);
  const stop = s.stop;
  return Object.assign(s, {
    stop: () => {
      for (const t of timers) clearInterval(t);
      return stop();
    },
  });
}

/**
 * The opposite of a misbehaving server: it accepts whatever suite a hello offers first, at the hello's
 * version (TLS 1.3 when offered), then ends the connection. A scanner has to connect once per suite.
 */
export async function startFirstSuiteServer(): Promise<LocalServer> {
  const server = createServer((socket) =>
    onClientHello(socket, (h) => {
      const tls13 = h.supportedVersions?.includes(0x0304);
      const hello = serverHello(h.version, h.suites[0]!, tls13 ? [{ type: 43, data: Uint8Array.of(3, 4) }, { type: 51, data: Uint8Array.of(0, 29, 0, 1, 7) }] : undefined);
      socket.end(Buffer.concat([hello, Buffer.from(buildRecord(22, 0x0303, buildHandshakeMessage(14, new Uint8Array(0))))]));
    }),
  );
  return listen(server, new Set(), { n: 0 });
}

/** A loopback port with nothing listening (bound, then released). */
export function closedPort(): Promise<number> {
  return freePort();
}
