import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { Connection, Framing } from '../connection.js';
import { upgradeFailed } from './fail.js';

/** TDS packet types (MS-TDS 2.2.3.1.1) and the PRELOGIN options used (2.2.6.5). */
const PRELOGIN = 0x12;
const STATUS_EOM = 0x01;
const OPTION_VERSION = 0x00;
const OPTION_ENCRYPTION = 0x01;
const OPTION_TERMINATOR = 0xff;
const ENCRYPT_ON = 0x01;
const ENCRYPT_NOT_SUP = 0x02;
const HEADER = 8;

/** One TDS packet: the 8-byte header (type, status, length, SPID, packet id, window), then the data. */
export function tdsPacket(type: number, data: Uint8Array, packetId = 1): Buffer {
  const header = Buffer.of(type, STATUS_EOM, 0, 0, 0, 0, packetId & 0xff, 0);
  header.writeUInt16BE(HEADER + data.length, 2);
  return Buffer.concat([header, data]);
}

/** PRELOGIN with VERSION and ENCRYPTION = ON: the client wants TLS. */
export function preloginRequest(): Buffer {
  const options = [
    [OPTION_VERSION, Buffer.of(0x10, 0x00, 0x00, 0x00, 0x00, 0x00)],
    [OPTION_ENCRYPTION, Buffer.of(ENCRYPT_ON)],
  ] as const;
  let offset = options.length * 5 + 1;
  const tokens: number[] = [];
  for (const [token, value] of options) {
    tokens.push(token, offset >> 8, offset & 0xff, value.length >> 8, value.length & 0xff);
    offset += value.length;
  }
  return tdsPacket(PRELOGIN, Buffer.concat([Buffer.from([...tokens, OPTION_TERMINATOR]), ...options.map(([, v]) => v)]));
}

/** The ENCRYPTION value of a PRELOGIN response packet; undefined while incomplete, an error text when malformed. */
export function readPreloginEncryption(b: Buffer): number | string | undefined {
  if (b.length < HEADER) return undefined;
  const length = b.readUInt16BE(2);
  if (length < HEADER) return `a TDS packet ${length} bytes long`;
  if (b.length < length) return undefined;
  const data = b.subarray(HEADER, length);
  for (let at = 0; at + 5 <= data.length && data[at] !== OPTION_TERMINATOR; at += 5) {
    if (data[at] !== OPTION_ENCRYPTION) continue;
    const offset = data.readUInt16BE(at + 1);
    return offset < data.length ? data[offset]! : 'an ENCRYPTION option outside the packet';
  }
  return 'a PRELOGIN response without an ENCRYPTION option';
}

/**
 * MS-TDS 7.x wraps the TLS handshake in PRELOGIN packets (MS-TDS 3.2.5.2/3.3.5.3): each write goes out
 * as a packet, and packets coming in are unwrapped to the TLS records they carry.
 */
export class TdsFraming implements Framing {
  private pending: Buffer = Buffer.alloc(0);
  private packetId = 1;

  wrap(data: Uint8Array): Buffer {
    return tdsPacket(PRELOGIN, data, this.packetId++);
  }

  unwrap(chunk: Buffer): Buffer {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    while (this.pending.length >= HEADER) {
      const length = this.pending.readUInt16BE(2);
      // A length below the header is not TDS: hand the bytes on, so the TLS reader names what they are.
      if (length < HEADER) {
        out.push(this.pending);
        this.pending = Buffer.alloc(0);
        break;
      }
      if (this.pending.length < length) break;
      out.push(this.pending.subarray(HEADER, length));
      this.pending = this.pending.subarray(length);
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }
}

/** A stream over `socket` that frames what is written and unframes what is read, for node:tls to run over. */
export function framedStream(socket: Socket, framing: Framing): Duplex {
  const stream = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      socket.write(framing.wrap(chunk), callback);
    },
    read() {
      socket.resume();
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    const data = framing.unwrap(chunk);
    if (data.length > 0 && !stream.push(data)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  socket.on('error', (error) => stream.destroy(error));
  return stream;
}

/** PRELOGIN asking for encryption; then the connection frames the TLS handshake in TDS packets. */
export async function upgradeMssql(conn: Connection): Promise<void> {
  conn.write(preloginRequest());
  let answer: ReturnType<typeof readPreloginEncryption>;
  await conn.readUntil((t) => (answer = readPreloginEncryption(Buffer.from(t, 'latin1'))) !== undefined, 'the TDS PRELOGIN response');
  if (typeof answer === 'string') throw upgradeFailed('MSSQL', 'PRELOGIN', `the server sent ${answer}`);
  if (answer === ENCRYPT_NOT_SUP) throw upgradeFailed('MSSQL', 'PRELOGIN', 'the server does not support encryption (ENCRYPT_NOT_SUP)');
  conn.setFraming(new TdsFraming());
}
