/** Names what a server said when its answer is not TLS, for the one-line error a user sees. */

const TEXT_PROTOCOLS: ReadonlyArray<[RegExp, string]> = [
  [/^HTTP\/\d/, 'HTTP'],
  [/^SSH-\d/, 'SSH'],
  [/^220[ -].*E?SMTP/i, 'SMTP'],
  [/^220[ -]/, 'FTP or SMTP'],
  [/^\* OK/, 'IMAP'],
  [/^\+OK/, 'POP3'],
  [/^<\?xml|^<stream:/, 'XMPP'],
];

export function describeNonTls(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  for (const [re, name] of TEXT_PROTOCOLS) {
    if (re.test(head)) return `the server answered in ${name}, not TLS (${JSON.stringify(firstLine(head))})`;
  }
  if (/^[\x20-\x7e\r\n\t]{4,}/.test(head)) return `the server answered with text, not TLS (${JSON.stringify(firstLine(head))})`;
  const hex = Buffer.from(bytes.subarray(0, 8)).toString('hex');
  return `the server answered with bytes that are not a TLS record (${hex})`;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]!.slice(0, 40);
}
