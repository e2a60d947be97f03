import type { Connection } from '../connection.js';
import { quote, upgradeFailed } from './fail.js';

/**
 * A complete reply of a protocol with three-digit codes (SMTP/LMTP RFC 5321 §4.2.1, NNTP RFC 3977 §3.2):
 * one line, or "NNN-" lines up to the one "NNN text" with the same code.
 */
export function completeNumericReply(text: string): boolean {
  if (!text.endsWith('\n')) return false;
  const lines = text.split(/\r?\n/).filter(Boolean);
  const open = /^(\d{3})-/.exec(lines[0] ?? '');
  if (!open) return lines.length > 0;
  return lines.slice(1).some((l) => l.startsWith(`${open[1]} `) || l === open[1]);
}

/** Reads one reply and checks its code; throws the upgrade failure naming the step otherwise. */
export async function expectReply(conn: Connection, protocol: string, step: string, codes: readonly string[]): Promise<string> {
  const reply = await conn.readUntil(completeNumericReply, `the ${protocol} ${step}`);
  const code = reply.split(/\r?\n/).filter(Boolean).at(-1)?.slice(0, 3) ?? '';
  if (!codes.includes(code)) throw upgradeFailed(protocol, step, `the server said ${quote(reply)}`);
  return reply;
}
