/** Names what a server said when its answer is not TLS, for the one-line error a user sees. */

/** Greetings of protocols that speak first, with the --starttls value that reaches their TLS (if any). */
const TEXT_PROTOCOLS: ReadonlyArray<[RegExp, string, string?]> = [
  [/^HTTP\/\d/, 'HTTP'],
  [/^SSH-\d/, 'SSH'],
  [/^220[ -].*LMTP/i, 'LMTP', 'lmtp'],
  [/^220[ -].*E?SMTP/i, 'SMTP', 'smtp'],
  [/^220[ -].*FTP/i, 'FTP', 'ftp'],
  // Dovecot's LMTP greets "220 host Dovecot (Debian) ready." without naming its protocol.
  [/^220[ -]/, 'SMTP, LMTP or FTP', 'smtp, --starttls lmtp or --starttls ftp'],
  [/^\* OK/, 'IMAP', 'imap'],
  [/^\+OK/, 'POP3', 'pop3'],
  [/^20[01] /, 'NNTP', 'nntp'],
  [/^<\?xml|^<stream:/, 'XMPP', 'xmpp'],
];

export function describeNonTls(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  for (const [re, name, starttls] of TEXT_PROTOCOLS) {
    if (re.test(head)) return `the server answered in ${name}, not TLS (${JSON.stringify(firstLine(head))})${starttls ? `: try --starttls ${starttls}` : ''}`;
  }
  // MySQL speaks first too, in binary: a packet header, then protocol version 10 and a version string.
  if (bytes.length > 6 && bytes[3] === 0 && bytes[4] === 0x0a && /^\d+\.\d+/.test(Buffer.from(bytes.subarray(5, 12)).toString('latin1'))) {
    return `the server answered in MySQL, not TLS (version ${JSON.stringify(Buffer.from(bytes.subarray(5, 25)).toString('latin1').split('\0')[0])}): try --starttls mysql`;
  }
  // RDP waits for the client, then answers a TLS hello with a TPKT (RFC 1006: 03 00, a 16-bit length)
  // around an X.224 TPDU (ISO 8073; xrdp sends a Disconnect Request, 0x80). No TLS record starts with 03.
  const rdp = x224Code(bytes);
  if (rdp !== undefined) return `the server answered in RDP (an X.224 ${rdp}), not TLS: try --starttls rdp`;
  if (/^[\x20-\x7e\r\n\t]{4,}/.test(head)) return `the server answered with text, not TLS (${JSON.stringify(firstLine(head))})`;
  const hex = Buffer.from(bytes.subarray(0, 8)).toString('hex');
  return `the server answered with bytes that are not a TLS record (${hex})`;
}

const X224_TPDUS: Readonly<Record<number, string>> = { 0xe0: 'Connection Request', 0xd0: 'Connection Confirm', 0x80: 'Disconnect Request', 0xf0: 'Data packet', 0x70: 'Error packet' };

/** The X.224 TPDU a TPKT-framed answer carries, by name; undefined when the bytes are not one. */
function x224Code(bytes: Uint8Array): string | undefined {
  if (bytes.length < 6 || bytes[0] !== 0x03 || bytes[1] !== 0x00) return undefined;
  const length = (bytes[2]! << 8) | bytes[3]!;
  const indicator = bytes[4]!;
  if (length < 7 || indicator < 2 || indicator + 5 > length) return undefined;
  return X224_TPDUS[bytes[5]! & 0xf0];
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]!.slice(0, 40);
}
