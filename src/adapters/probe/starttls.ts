import { ConnectionFailure, type Connection } from './connection.js';
import { PRE_TLS_PORTS, PRE_TLS_PROTOCOLS, preTlsUpgrade } from './upgrades/index.js';

/** Protocols the probe can upgrade to TLS, as data: name, default ports. */
export const STARTTLS_PROTOCOLS = ['smtp', 'imap', 'pop3', 'ftp', 'xmpp', 'postgres', ...PRE_TLS_PROTOCOLS] as const;
export type StartTlsProtocol = (typeof STARTTLS_PROTOCOLS)[number];

/** Well-known plaintext ports whose service upgrades with STARTTLS (IANA service names registry). */
export const STARTTLS_PORTS: Readonly<Record<number, StartTlsProtocol>> = {
  ...PRE_TLS_PORTS,
  21: 'ftp',
  25: 'smtp',
  110: 'pop3',
  143: 'imap',
  587: 'smtp',
  5222: 'xmpp',
  5432: 'postgres',
};

export function isStartTlsProtocol(value: string): value is StartTlsProtocol {
  return (STARTTLS_PROTOCOLS as readonly string[]).includes(value);
}

/** Name sent in EHLO and as the XMPP stream's `to`; the reserved .invalid TLD (RFC 2606) when none is known. */
const CLIENT_NAME = 'tlsaudit.invalid';

const lines = (text: string) => text.split(/\r?\n/).filter((l) => l.length > 0);

/**
 * A complete SMTP/FTP reply. A multi-line one opens with "NNN-" and ends at the line "NNN text" with the
 * same code; FTP's lines in between need not carry a code at all (RFC 959 §4.2, RFC 5321 §4.2.1).
 */
function completeReply(text: string): boolean {
  if (!text.endsWith('\n')) return false;
  const all = lines(text);
  const first = all[0];
  if (first === undefined) return false;
  const open = /^(\d{3})-/.exec(first);
  // A single line ends the reply; one that is not a reply at all is judged by the caller.
  if (!open) return true;
  return all.slice(1).some((l) => l.startsWith(`${open[1]} `) || l === open[1]);
}

function replyCode(text: string): string {
  return lines(text).at(-1)?.slice(0, 3) ?? '';
}

function expect(ok: boolean, protocol: string, step: string, got: string): void {
  if (!ok) {
    const line = lines(got).at(-1)?.slice(0, 80) ?? '';
    throw new ConnectionFailure('starttls', `${protocol.toUpperCase()} STARTTLS failed at ${step}: the server said ${JSON.stringify(line)}`);
  }
}

/** Runs the plaintext dialogue that switches `conn` to TLS; resolves when the next byte sent should be a ClientHello. */
export async function startTls(conn: Connection, protocol: StartTlsProtocol, domain?: string): Promise<void> {
  await dialogue(conn, protocol, domain);
  conn.beginTls();
}

async function dialogue(conn: Connection, protocol: StartTlsProtocol, domain?: string): Promise<void> {
  switch (protocol) {
    case 'smtp': {
      // RFC 3207 §4.
      const greeting = await conn.readUntil(completeReply, 'the SMTP greeting');
      expect(replyCode(greeting) === '220', protocol, 'the greeting', greeting);
      conn.write(`EHLO ${CLIENT_NAME}\r\n`);
      const ehlo = await conn.readUntil(completeReply, 'the EHLO reply');
      expect(replyCode(ehlo) === '250', protocol, 'EHLO', ehlo);
      conn.write('STARTTLS\r\n');
      const go = await conn.readUntil(completeReply, 'the STARTTLS reply');
      expect(replyCode(go) === '220', protocol, 'STARTTLS', go);
      return;
    }
    case 'ftp': {
      // RFC 4217 §4.
      const greeting = await conn.readUntil(completeReply, 'the FTP greeting');
      expect(replyCode(greeting) === '220', protocol, 'the greeting', greeting);
      conn.write('AUTH TLS\r\n');
      const go = await conn.readUntil(completeReply, 'the AUTH TLS reply');
      expect(replyCode(go) === '234', protocol, 'AUTH TLS', go);
      return;
    }
    case 'imap': {
      // RFC 3501 §6.2.1.
      const greeting = await conn.readUntil((t) => t.includes('\n'), 'the IMAP greeting');
      expect(/^\* (OK|PREAUTH)/i.test(greeting), protocol, 'the greeting', greeting);
      conn.write('a1 STARTTLS\r\n');
      const go = await conn.readUntil((t) => /(^|\n)a1 [^\n]*\n/i.test(t), 'the STARTTLS reply');
      expect(/(^|\n)a1 OK/i.test(go), protocol, 'STARTTLS', go);
      return;
    }
    case 'pop3': {
      // RFC 2595 §4.
      const greeting = await conn.readUntil((t) => t.includes('\n'), 'the POP3 greeting');
      expect(greeting.startsWith('+OK'), protocol, 'the greeting', greeting);
      conn.write('STLS\r\n');
      const go = await conn.readUntil((t) => t.includes('\n'), 'the STLS reply');
      expect(go.startsWith('+OK'), protocol, 'STLS', go);
      return;
    }
    case 'xmpp': {
      // RFC 6120 §5.4.
      conn.write(
        `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${domain ?? CLIENT_NAME}' version='1.0'>`,
      );
      const features = await conn.readUntil((t) => /<\/stream:features>|<stream:error/.test(t), 'the XMPP stream features');
      expect(/urn:ietf:params:xml:ns:xmpp-tls/.test(features), protocol, 'stream features', features);
      conn.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
      const go = await conn.readUntil((t) => /<proceed|<failure/.test(t), 'the STARTTLS answer');
      expect(/<proceed/.test(go), protocol, 'STARTTLS', go);
      return;
    }
    case 'postgres': {
      // SSLRequest: length 8, code 80877103 (PostgreSQL protocol §55.2.10); the answer is one byte.
      conn.write(Uint8Array.of(0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f));
      const go = await conn.readUntil((t) => t.length >= 1, 'the SSLRequest answer');
      expect(go[0] === 'S', protocol, 'SSLRequest', go);
      return;
    }
    default:
      return preTlsUpgrade(conn, protocol, CLIENT_NAME);
  }
}
