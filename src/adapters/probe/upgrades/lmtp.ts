import type { Connection } from '../connection.js';
import { expectReply } from './numeric-reply.js';

/** LMTP (RFC 2033 §4.1): SMTP's STARTTLS (RFC 3207) after LHLO instead of EHLO. */
export async function upgradeLmtp(conn: Connection, clientName: string): Promise<void> {
  await expectReply(conn, 'LMTP', 'greeting', ['220']);
  conn.write(`LHLO ${clientName}\r\n`);
  await expectReply(conn, 'LMTP', 'LHLO', ['250']);
  conn.write('STARTTLS\r\n');
  await expectReply(conn, 'LMTP', 'STARTTLS', ['220']);
}
