import { isIP } from 'node:net';
import { UsageError } from '../../errors.js';
import type { StartTlsProtocol } from './starttls.js';

export interface ProbeTarget {
  /** Name or address as the user gave it (IPv6 without brackets). */
  host: string;
  port: number;
  starttls?: StartTlsProtocol | 'none';
  /** SNI to send; false for none. Default: the host when it is a name, none for addresses. */
  sni?: string | false;
  /** Address to connect to instead of resolving `host` (the target form HOST=ADDRESS). */
  address?: string;
}

export const DEFAULT_PORT = 443;

/**
 * Reads "host", "host:port", "[v6]:port", "[v6]" or a bare IPv6 address. Throws UsageError naming the
 * input when it is none of these.
 */
export function parseTarget(text: string, defaultPort = DEFAULT_PORT): ProbeTarget {
  const t = text.trim();
  let host: string;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2];
    if (isIP(host) !== 6) throw new UsageError(`"${text}" is not a valid target: ${host} in brackets is not an IPv6 address.`);
  } else if (isIP(t) === 6) {
    host = t;
  } else {
    const m = /^([^:\s/]+)(?::(\d*))?$/.exec(t);
    if (!m) throw new UsageError(`"${text}" is not a valid target: use HOST, HOST:PORT or [IPv6]:PORT.`);
    host = m[1]!;
    portText = m[2];
    if (portText === '') throw new UsageError(`"${text}" is not a valid target: the port after ":" is missing.`);
  }
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`"${text}" is not a valid target: port ${portText} is not between 1 and 65535.`);
  return { host, port };
}

export function formatTarget(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
