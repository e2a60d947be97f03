import type { StartTlsProtocol } from '../adapters/probe/starttls.js';

export interface UrlScheme {
  /** The service's IANA port (IANA service name and port number registry). */
  port: number;
  /** The in-protocol upgrade the probe runs first; absent for implicit TLS. */
  starttls?: StartTlsProtocol;
}

/**
 * URL schemes a target may be written with, as data. Implicit-TLS schemes need no upgrade; the plain
 * ones upgrade with the protocol's own STARTTLS (RFC 3207, RFC 2595, RFC 4217, RFC 6120, RFC 4511 §4.14).
 */
export const URL_SCHEMES: Readonly<Record<string, UrlScheme>> = {
  https: { port: 443 },
  wss: { port: 443 },
  smtps: { port: 465 },
  imaps: { port: 993 },
  pop3s: { port: 995 },
  ftps: { port: 990 },
  ldaps: { port: 636 },
  nntps: { port: 563 },
  ircs: { port: 6697 },
  xmpps: { port: 5223 },
  smtp: { port: 25, starttls: 'smtp' },
  submission: { port: 587, starttls: 'smtp' },
  imap: { port: 143, starttls: 'imap' },
  pop3: { port: 110, starttls: 'pop3' },
  ftp: { port: 21, starttls: 'ftp' },
  xmpp: { port: 5222, starttls: 'xmpp' },
  postgres: { port: 5432, starttls: 'postgres' },
  postgresql: { port: 5432, starttls: 'postgres' },
  lmtp: { port: 24, starttls: 'lmtp' },
  nntp: { port: 119, starttls: 'nntp' },
  ldap: { port: 389, starttls: 'ldap' },
  mysql: { port: 3306, starttls: 'mysql' },
  rdp: { port: 3389, starttls: 'rdp' },
  mssql: { port: 1433, starttls: 'mssql' },
};

export function urlScheme(name: string): UrlScheme | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(URL_SCHEMES, key) ? URL_SCHEMES[key] : undefined;
}
