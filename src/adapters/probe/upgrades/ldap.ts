import type { Connection } from '../connection.js';
import { upgradeFailed } from './fail.js';

const STARTTLS_OID = '1.3.6.1.4.1.1466.20037';

/**
 * The StartTLS extended request (RFC 4511 §4.14.1), BER: LDAPMessage { messageID 1,
 * [APPLICATION 23] ExtendedRequest { [0] requestName } }.
 */
export function ldapStartTlsRequest(): Buffer {
  const oid = Buffer.from(STARTTLS_OID, 'latin1');
  const name = Buffer.concat([Buffer.of(0x80, oid.length), oid]);
  const op = Buffer.concat([Buffer.of(0x77, name.length), name]);
  const body = Buffer.concat([Buffer.of(0x02, 0x01, 0x01), op]);
  return Buffer.concat([Buffer.of(0x30, body.length), body]);
}

/** A BER element's header at `at`: its tag, where its content starts and its length; undefined when incomplete. */
function header(b: Buffer, at: number): { tag: number; start: number; length: number } | undefined {
  if (at + 2 > b.length) return undefined;
  const first = b[at + 1]!;
  if (first < 0x80) return { tag: b[at]!, start: at + 2, length: first };
  const n = first & 0x7f;
  if (n === 0 || n > 4 || at + 2 + n > b.length) return n === 0 || n > 4 ? { tag: b[at]!, start: -1, length: -1 } : undefined;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + b[at + 2 + i]!;
  return { tag: b[at]!, start: at + 2 + n, length };
}

/** Result codes of RFC 4511 §4.1.9 a StartTLS refusal may carry. */
const RESULT_NAMES: Readonly<Record<number, string>> = { 1: 'operationsError', 2: 'protocolError', 52: 'unavailable', 53: 'unwillingToPerform' };

/**
 * Reads the ExtendedResponse ([APPLICATION 24]) to the request: "success" when resultCode is 0, else
 * its code and diagnostic message; undefined while incomplete.
 */
export function readLdapExtendedResponse(b: Buffer): { ok: true } | { ok: false; why: string } | undefined {
  const message = header(b, 0);
  if (!message) return undefined;
  if (message.tag !== 0x30 || message.start < 0) return { ok: false, why: `the answer is not an LDAP message (${b.subarray(0, 8).toString('hex')})` };
  if (b.length < message.start + message.length) return undefined;
  const id = header(b, message.start)!;
  const op = header(b, id.start + id.length);
  if (!op || op.tag !== 0x78) return { ok: false, why: `the answer is not an ExtendedResponse (tag 0x${(op?.tag ?? 0).toString(16)})` };
  const code = header(b, op.start);
  if (!code || code.tag !== 0x0a) return { ok: false, why: 'the ExtendedResponse has no resultCode' };
  const resultCode = b.readUIntBE(code.start, Math.min(code.length, 4));
  if (resultCode === 0) return { ok: true };
  const dn = header(b, code.start + code.length);
  const diag = dn ? header(b, dn.start + dn.length) : undefined;
  const text = diag && diag.tag === 0x04 ? b.subarray(diag.start, diag.start + diag.length).toString('utf8').slice(0, 80) : '';
  return { ok: false, why: `resultCode ${resultCode}${RESULT_NAMES[resultCode] ? ` (${RESULT_NAMES[resultCode]})` : ''}${text ? `: ${JSON.stringify(text)}` : ''}` };
}

export async function upgradeLdap(conn: Connection): Promise<void> {
  conn.write(ldapStartTlsRequest());
  // readUntil returns exactly the response (it may test shorter prefixes on the way), so it is read from that.
  const text = await conn.readUntil((t) => readLdapExtendedResponse(Buffer.from(t, 'latin1')) !== undefined, 'the LDAP StartTLS response');
  const answer = readLdapExtendedResponse(Buffer.from(text, 'latin1'))!;
  if (!answer.ok) throw upgradeFailed('LDAP', 'StartTLS', answer.why);
}
