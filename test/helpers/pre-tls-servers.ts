/**
 * Servers written from the protocols' specifications, on 127.0.0.1, that run the dialogue a client
 * must go through before TLS and then upgrade the connection with node:tls: LMTP (RFC 2033), NNTP
 * (RFC 4642), LDAP StartTLS (RFC 4511 §4.14), MySQL (Protocol::HandshakeV10 / SSLRequest) and RDP
 * (MS-RDPBCGR X.224 negotiation). Each answers only what a TLS scanner sends. For the protocols Debian
 * ships a server of, the slow suite also tests the real one.
 */
import { createServer, type Socket, type AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import { createSecureContext, TLSSocket, type SecureContextOptions } from 'node:tls';
import type { CertPair } from './openssl-server.js';

export const PRE_TLS_TEST_PROTOCOLS = ['lmtp', 'nntp', 'ldap', 'mysql', 'mssql', 'rdp'] as const;
export type PreTlsTestProtocol = (typeof PRE_TLS_TEST_PROTOCOLS)[number];

export interface PreTlsServer {
  port: number;
  /** How many connections reached TLS. */
  upgrades: number;
  stop(): Promise<void>;
}

/** A dialogue: what to send first, and how to answer bytes; `true` means "upgrade now", a Buffer "upgrade, these bytes are TLS already". */
type Step = (data: Buffer, socket: Socket) => boolean | Buffer;

const lines =
  (answer: (line: string) => [string, boolean]): Step =>
  (data, socket) => {
    for (const line of data.toString('latin1').split(/\r?\n/).filter(Boolean)) {
      const [reply, up] = answer(line);
      socket.write(reply);
      if (up) return true;
    }
    return false;
  };

function mysqlGreeting(withTls: boolean): Buffer {
  const version = Buffer.from('10.11.6-MariaDB-test\0', 'latin1');
  const flags = Buffer.alloc(2);
  // CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION, with CLIENT_SSL when TLS is configured.
  flags.writeUInt16LE(0x0200 | 0x8000 | (withTls ? 0x0800 : 0), 0);
  const payload = Buffer.concat([Buffer.of(0x0a), version, Buffer.of(7, 0, 0, 0), Buffer.from('abcdefgh'), Buffer.of(0), flags, Buffer.of(45, 2, 0, 0, 0, 21), Buffer.alloc(10), Buffer.from('ijklmnopqrst\0'), Buffer.from('mysql_native_password\0')]);
  return Buffer.concat([Buffer.of(payload.length & 0xff, payload.length >> 8, 0, 0), payload]);
}

/**
 * MS-TDS 2.2.6.5: a PRELOGIN response (packet type 0x04) whose ENCRYPTION option is ON (1) or NOT_SUP (2),
 * after VERSION; offsets count from the start of the data.
 */
function preloginResponse(encryption: number): Buffer {
  const data = Buffer.of(0x00, 0x00, 0x0b, 0x00, 0x06, 0x01, 0x00, 0x11, 0x00, 0x01, 0xff, 0x10, 0x00, 0x07, 0xd0, 0x00, 0x00, encryption);
  const header = Buffer.of(0x04, 0x01, 0x00, 8 + data.length, 0x00, 0x00, 0x01, 0x00);
  return Buffer.concat([header, data]);
}

/** The TLS handshake inside TDS PRELOGIN packets (MS-TDS 3.3.5.3), as an SQL Server frames it, written here from the spec. */
function tdsTunnel(socket: Socket): Duplex {
  let pending = Buffer.alloc(0);
  const tunnel = new Duplex({
    write(chunk: Buffer, _e, cb) {
      const header = Buffer.of(0x12, 0x01, (chunk.length + 8) >> 8, (chunk.length + 8) & 0xff, 0, 0, 0, 0);
      socket.write(Buffer.concat([header, chunk]), cb);
    },
    read() {},
    destroy(error, cb) {
      socket.destroy();
      cb(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 8 && pending.length >= pending.readUInt16BE(2)) {
      const length = pending.readUInt16BE(2);
      tunnel.push(pending.subarray(8, length));
      pending = pending.subarray(length);
    }
  });
  socket.on('close', () => tunnel.destroy());
  socket.resume();
  return tunnel;
}

const DIALOGUES: Record<PreTlsTestProtocol, (options: { tls: boolean }) => { greeting?: Buffer | string; step: Step }> = {
  lmtp: () => ({
    greeting: '220 lmtp.example.test LMTP ready\r\n',
    step: lines((l) => {
      if (/^LHLO /i.test(l)) return ['250-lmtp.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n', false];
      if (/^STARTTLS$/i.test(l)) return ['220 2.0.0 Ready to start TLS\r\n', true];
      return ['500 5.5.1 unknown\r\n', false];
    }),
  }),
  nntp: () => ({
    greeting: '200 news.example.test InterNetNews server ready\r\n',
    step: lines((l) => (/^STARTTLS$/i.test(l) ? ['382 Continue with TLS negotiation\r\n', true] : ['500 What?\r\n', false])),
  }),
  ldap: ({ tls }) => ({
    step: (data, socket) => {
      // ExtendedResponse, messageID 1: resultCode success (0) or unavailable (52), matchedDN "", diagnosticMessage.
      const diag = Buffer.from(tls ? '' : 'TLS not configured');
      const body = Buffer.concat([Buffer.of(0x0a, 0x01, tls ? 0 : 52, 0x04, 0x00, 0x04, diag.length), diag]);
      const op = Buffer.concat([Buffer.of(0x78, body.length), body]);
      const msg = Buffer.concat([Buffer.of(0x02, 0x01, 0x01), op]);
      const request = data.includes(Buffer.from('1.3.6.1.4.1.1466.20037'));
      socket.write(Buffer.concat([Buffer.of(0x30, msg.length), msg]));
      return request && tls;
    },
  }),
  mysql: ({ tls }) => ({
    greeting: mysqlGreeting(tls),
    // The 32-byte SSLRequest, sequence 1, with CLIENT_SSL set; the client's ClientHello may follow in the same read.
    step: (data) => (data.length >= 36 && data[3] === 1 && (data.readUInt32LE(4) & 0x0800) !== 0 ? data.subarray(36) : false),
  }),
  mssql: ({ tls }) => ({
    step: (data, socket) => {
      if (data[0] !== 0x12) return false;
      socket.write(preloginResponse(tls ? 1 : 2));
      return tls;
    },
  }),
  rdp: ({ tls }) => ({
    step: (data, socket) => {
      if (data[0] !== 3 || data[5] !== 0xe0) return false;
      // X.224 Connection Confirm with RDP_NEG_RSP (PROTOCOL_SSL) or RDP_NEG_FAILURE (SSL_NOT_ALLOWED_BY_SERVER).
      const neg = tls ? Buffer.of(0x02, 0x00, 0x08, 0x00, 0x01, 0, 0, 0) : Buffer.of(0x03, 0x00, 0x08, 0x00, 0x02, 0, 0, 0);
      socket.write(Buffer.concat([Buffer.of(0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0, 0, 0x12, 0x34, 0), neg]));
      return tls;
    },
  }),
};

export async function startPreTlsServer(
  protocol: PreTlsTestProtocol,
  options: { cert: CertPair; tls?: Omit<SecureContextOptions, 'cert' | 'key'>; offerTls?: boolean },
): Promise<PreTlsServer> {
  const context = createSecureContext({ ...options.tls, cert: readFileSync(options.cert.cert), key: readFileSync(options.cert.key) });
  const offerTls = options.offerTls ?? true;
  const sockets = new Set<Socket>();
  const state: PreTlsServer = { port: 0, upgrades: 0, stop: async () => {} };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(10_000, () => socket.destroy());
    const { greeting, step } = DIALOGUES[protocol]({ tls: offerTls });
    const onData = (data: Buffer) => {
      const next = step(data, socket);
      if (next === false) return;
      socket.removeListener('data', onData);
      // Bytes read past the dialogue go back to the stream, paused so they wait for the TLS layer.
      socket.pause();
      if (Buffer.isBuffer(next) && next.length > 0) socket.unshift(next);
      state.upgrades++;
      const secure = new TLSSocket(protocol === 'mssql' ? (tdsTunnel(socket) as unknown as Socket) : socket, { isServer: true, secureContext: context });
      secure.on('error', () => socket.destroy());
      secure.once('secure', () => secure.end());
    };
    socket.on('data', onData);
    if (greeting) socket.write(greeting);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.address() as AddressInfo).port;
  state.stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
