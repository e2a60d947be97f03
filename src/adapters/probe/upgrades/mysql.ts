import type { Connection } from '../connection.js';
import { upgradeFailed } from './fail.js';

// Capability flags (MySQL client/server protocol, "Capabilities Flags").
const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_SECURE_CONNECTION = 0x8000;

/** A packet: 3-byte little-endian length and a sequence number, then the payload; undefined while incomplete. */
function packet(b: Buffer): Buffer | undefined {
  if (b.length < 4) return undefined;
  const length = b.readUIntLE(0, 3);
  return b.length < 4 + length ? undefined : b.subarray(4, 4 + length);
}

/**
 * What the server's first packet says: its version and whether it offers TLS (CLIENT_SSL in the
 * Protocol::HandshakeV10 capability flags), or the error it sent instead (an ERR packet, 0xff).
 */
export function readMysqlGreeting(payload: Buffer): { version: string; tls: boolean } | { error: string } {
  if (payload[0] === 0xff) return { error: payload.subarray(payload[3] === 0x23 ? 9 : 3).toString('utf8').slice(0, 80) };
  if (payload[0] !== 0x0a) return { error: `protocol version ${payload[0]} instead of 10` };
  const end = payload.indexOf(0, 1);
  if (end < 0) return { error: 'a handshake without a server version' };
  // version NUL, connection id (4), auth-plugin-data-part-1 (8), filler (1), capability flags (lower 2).
  const flags = payload.readUInt16LE(end + 1 + 4 + 8 + 1);
  return { version: payload.subarray(1, end).toString('latin1'), tls: (flags & CLIENT_SSL) !== 0 };
}

/** Protocol::SSLRequest: capabilities, max packet size, character set (utf8mb4), 23 zero bytes; sequence 1. */
export function mysqlSslRequest(): Buffer {
  const payload = Buffer.alloc(32);
  payload.writeUInt32LE(CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION, 0);
  payload.writeUInt32LE(16 * 1024 * 1024, 4);
  payload[8] = 45;
  return Buffer.concat([Buffer.of(32, 0, 0, 1), payload]);
}

export async function upgradeMysql(conn: Connection): Promise<void> {
  const text = await conn.readUntil((t) => packet(Buffer.from(t, 'latin1')) !== undefined, 'the MySQL handshake');
  const greeting = readMysqlGreeting(packet(Buffer.from(text, 'latin1'))!);
  if ('error' in greeting) throw upgradeFailed('MySQL', 'the handshake', `the server said ${JSON.stringify(greeting.error)}`);
  if (!greeting.tls) throw upgradeFailed('MySQL', 'the handshake', `the server (${greeting.version}) does not offer TLS (no CLIENT_SSL)`);
  conn.write(mysqlSslRequest());
}
