import type { Connection } from '../connection.js';
import { upgradeLdap } from './ldap.js';
import { upgradeLmtp } from './lmtp.js';
import { upgradeMysql } from './mysql.js';
import { upgradeNntp } from './nntp.js';
import { upgradeRdp } from './rdp.js';
import { upgradeMssql } from './tds.js';

/** Protocols reached by an upgrade dialogue of their own module, beyond the line-based STARTTLS family. */
export const PRE_TLS_PROTOCOLS = ['lmtp', 'nntp', 'ldap', 'mysql', 'mssql', 'rdp'] as const;
export type PreTlsProtocol = (typeof PRE_TLS_PROTOCOLS)[number];

/** Their well-known ports (IANA service names registry; 3268 is Active Directory's Global Catalog). */
export const PRE_TLS_PORTS: Readonly<Record<number, PreTlsProtocol>> = {
  24: 'lmtp',
  119: 'nntp',
  389: 'ldap',
  3268: 'ldap',
  1433: 'mssql',
  3306: 'mysql',
  3389: 'rdp',
};

/** Runs the dialogue; resolves when the next byte sent should be a ClientHello. */
export function preTlsUpgrade(conn: Connection, protocol: PreTlsProtocol, clientName: string): Promise<void> {
  switch (protocol) {
    case 'lmtp':
      return upgradeLmtp(conn, clientName);
    case 'nntp':
      return upgradeNntp(conn);
    case 'ldap':
      return upgradeLdap(conn);
    case 'mysql':
      return upgradeMysql(conn);
    case 'mssql':
      return upgradeMssql(conn);
    case 'rdp':
      return upgradeRdp(conn);
  }
}
