import type { Connection } from '../connection.js';
import { expectReply } from './numeric-reply.js';

/** NNTP STARTTLS (RFC 4642 §2.2): a 200/201 greeting, then 382 "continue with TLS negotiation". */
export async function upgradeNntp(conn: Connection): Promise<void> {
  await expectReply(conn, 'NNTP', 'greeting', ['200', '201']);
  conn.write('STARTTLS\r\n');
  await expectReply(conn, 'NNTP', 'STARTTLS', ['382']);
}
