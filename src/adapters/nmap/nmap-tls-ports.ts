/**
 * Where nmap runs ssl-enum-ciphers, as data: its port rule is `shortport.ssl` or a STARTTLS (or
 * wrapped-TLS) preparation known for the port's service or number (scripts/ssl-enum-ciphers.nse,
 * nselib/shortport.lua, nselib/sslcert.lua, nmap 7.95). An open port that matches none of these was
 * never treated as TLS by nmap, so the lack of a result there says nothing about TLS: tlsaudit lists it
 * as skipped instead of as a target that could not be assessed.
 *
 * `shortport.ssl` also probes a port whose service -sV named with low confidence (3 or less, e.g. from
 * nmap's port table) and runs the script when a TLS handshake answers. Such a port without a result was
 * therefore found not to speak TLS, and counts as skipped too.
 */

/** shortport.lua's LIKELY_SSL_PORTS (TCP): implicit-TLS services by registered port number. */
export const NMAP_TLS_PORTS: ReadonlySet<number> = new Set([
  261, // nsiiops
  271, // pt-tls
  322, // rtsps
  324, // rpki-rtr-tls
  443, // https
  465, // smtps
  563, // nntps
  585, // imap4-ssl
  636, // ldaps
  853, // DNS over TLS
  989, // ftps-data
  990, // ftps
  992, // telnets
  993, // imaps
  994, // ircs
  995, // pop3s
  2221, // EtherNet/IP over TLS
  2252, // njenet-ssl
  2376, // Docker over TLS
  2482, // giop-ssl
  3269, // global catalog LDAP over TLS
  3389, // RDP
  4433, // openssl s_server's default
  4740, // ipfixs
  4911, // Niagara Fox over TLS
  5061, // SIP over TLS
  5349, // STUN over TLS
  5986, // WS-Management over HTTPS
  6380, // Redis over TLS
  16379, // Redis over TLS
  6514, // syslog over TLS
  6679, // IRC over TLS
  6697, // IRC over TLS
  8443, // https-alt
  8883, // MQTT over TLS
  9001, // Tor OR port
  11712, // vSphere LDAP over TLS
]);

/** shortport.lua's LIKELY_SSL_SERVICES: nmap service names that are TLS from the first byte. */
export const NMAP_TLS_SERVICES: ReadonlySet<string> = new Set([
  'ftps',
  'ftps-data',
  'ftps-control',
  'https',
  'https-alt',
  'imaps',
  'ircs',
  'ldapssl',
  'ms-wbt-server',
  'pop3s',
  'sip-tls',
  'smtps',
  'telnets',
  'tor-orport',
]);

/**
 * Services nmap reaches TLS on by an in-protocol upgrade: sslcert.lua's STARTTLS table (ftp, nntp, imap,
 * ldap, lmtp, pop3, postgresql, smtp, mysql, xmpp, vnc), its TLS-in-TDS entry (ms-sql-s), and the
 * nmap-services names of the ports in that table (submission, xmpp-client, xmpp-server).
 */
const NMAP_STARTTLS_RULE_SERVICES: ReadonlySet<string> = new Set([
  'ftp',
  'nntp',
  'imap',
  'ldap',
  'lmtp',
  'pop3',
  'postgresql',
  'smtp',
  'submission',
  'mysql',
  'xmpp',
  'xmpp-client',
  'xmpp-server',
  'vnc',
  'ms-sql-s',
]);

/**
 * The STARTTLS protocol tlsaudit records for a service reached by an upgrade, by nmap service name:
 * the upgrades tlsaudit's own probe speaks. "smtps", "imaps" and the like are implicit TLS.
 */
const STARTTLS_BY_SERVICE: Readonly<Record<string, string>> = {
  smtp: 'smtp',
  submission: 'smtp',
  imap: 'imap',
  pop3: 'pop3',
  ftp: 'ftp',
  ldap: 'ldap',
  nntp: 'nntp',
  'xmpp-client': 'xmpp',
  'xmpp-server': 'xmpp',
  postgresql: 'postgres',
  mysql: 'mysql',
  lmtp: 'lmtp',
  sieve: 'sieve',
  irc: 'irc',
  // TLS inside the protocol's own framing rather than after a command: TDS pre-login, X.224 negotiation.
  'ms-sql-s': 'mssql',
  'ms-wbt-server': 'rdp',
};

/** sslcert.lua's STARTTLS table by port number. */
export const NMAP_STARTTLS_PORTS: ReadonlySet<number> = new Set([21, 25, 110, 119, 143, 389, 587, 3306, 5222, 5269, 5432, 5900]);

export interface NmapPortFacts {
  port: number;
  /** nmap's service name, when it gave one. */
  service?: string;
  /** `tunnel="ssl"`: -sV found TLS (a service wrapped in it). */
  tunnel?: string;
}

/** Whether nmap's port rule would run ssl-enum-ciphers on this open TCP port. */
export function nmapTreatsAsTls(facts: NmapPortFacts): boolean {
  if (facts.tunnel === 'ssl') return true;
  if (NMAP_TLS_PORTS.has(facts.port) || NMAP_STARTTLS_PORTS.has(facts.port)) return true;
  const service = facts.service;
  if (service === undefined) return false;
  return NMAP_TLS_SERVICES.has(service) || NMAP_STARTTLS_RULE_SERVICES.has(service);
}

/** The STARTTLS protocol of a service reached by an upgrade; none when -sV saw TLS from the start. */
export function starttlsOf(service: string | undefined, tunnel: string | undefined): string | undefined {
  if (service === undefined || tunnel === 'ssl') return undefined;
  // Own keys only: a service named "constructor" or "__proto__" must not find Object's properties.
  return Object.hasOwn(STARTTLS_BY_SERVICE, service) ? STARTTLS_BY_SERVICE[service] : undefined;
}

/**
 * Why an open port without a TLS result is not an assessment error. `forced`: the script ran there all
 * the same (`--script +ssl-enum-ciphers`) and found no TLS.
 */
export function skipReason(facts: NmapPortFacts, forced = false): string {
  const what = facts.service ? `service ${facts.service}` : 'an unidentified service';
  const script = forced ? 'ssl-enum-ciphers, forced to run there, found no TLS' : 'ssl-enum-ciphers did not run there';
  return `${what} on a port nmap does not treat as TLS; ${script}`;
}
