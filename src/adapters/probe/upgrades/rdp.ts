import type { Connection } from '../connection.js';
import { upgradeFailed } from './fail.js';

const PROTOCOL_SSL = 0x1;

/**
 * X.224 Connection Request with an RDP Negotiation Request for TLS (MS-RDPBCGR 2.2.1.1): TPKT (RFC 1006)
 * 03 00 length, X.224 CR TPDU (ISO 8073: LI 14, code 0xE0, references 0, class 0), RDP_NEG_REQ
 * (type 1, flags 0, length 8, requestedProtocols PROTOCOL_SSL).
 */
export function rdpConnectionRequest(): Buffer {
  const negReq = Buffer.of(0x01, 0x00, 0x08, 0x00, PROTOCOL_SSL, 0x00, 0x00, 0x00);
  const x224 = Buffer.of(0x0e, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00);
  const length = 4 + x224.length + negReq.length;
  return Buffer.concat([Buffer.of(0x03, 0x00, length >> 8, length & 0xff), x224, negReq]);
}

/** Failure codes of RDP_NEG_FAILURE (MS-RDPBCGR 2.2.1.2.2). */
const FAILURES: Readonly<Record<number, string>> = {
  1: 'SSL_REQUIRED_BY_SERVER',
  2: 'SSL_NOT_ALLOWED_BY_SERVER',
  3: 'SSL_CERT_NOT_ON_SERVER',
  4: 'INCONSISTENT_FLAGS',
  5: 'HYBRID_REQUIRED_BY_SERVER',
  6: 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER',
};

/** Reads the X.224 Connection Confirm: TLS selected, or why not; undefined while incomplete. */
export function readRdpConfirm(b: Buffer): { ok: true } | { ok: false; why: string } | undefined {
  if (b.length < 4) return undefined;
  if (b[0] !== 0x03) return { ok: false, why: `the answer is not a TPKT (${b.subarray(0, 8).toString('hex')})` };
  const length = b.readUInt16BE(2);
  if (b.length < length) return undefined;
  if ((b[5]! & 0xf0) !== 0xd0) return { ok: false, why: `the X.224 answer is not a Connection Confirm (code 0x${b[5]!.toString(16)})` };
  // X.224 CC is 6 bytes after its length indicator; RDP_NEG_RSP/FAILURE adds 8. Without them the server
  // speaks only standard RDP security, never TLS.
  if (b[4]! < 6 + 8 || length < 19) return { ok: false, why: 'the server offers only standard RDP security (no TLS)' };
  const type = b[4 + 7];
  const value = b.readUInt32LE(4 + 7 + 4);
  if (type === 0x02) return value === PROTOCOL_SSL ? { ok: true } : { ok: false, why: `the server selected protocol 0x${value.toString(16)}, not TLS` };
  if (type === 0x03) return { ok: false, why: `the server refused TLS: ${FAILURES[value] ?? `failure code ${value}`}` };
  return { ok: false, why: `unknown negotiation answer type ${type}` };
}

export async function upgradeRdp(conn: Connection): Promise<void> {
  conn.write(rdpConnectionRequest());
  // readUntil returns exactly the confirm (it may test shorter prefixes on the way), so it is read from that.
  const text = await conn.readUntil((t) => readRdpConfirm(Buffer.from(t, 'latin1')) !== undefined, 'the X.224 Connection Confirm');
  const answer = readRdpConfirm(Buffer.from(text, 'latin1'))!;
  if (!answer.ok) throw upgradeFailed('RDP', 'X.224 negotiation', answer.why);
}
