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
    if (!m) throw new UsageError(`"${shortened(text)}" is not a valid target: use HOST, HOST:PORT or [IPv6]:PORT.`);
    host = m[1]!;
    portText = m[2];
    if (portText === '') throw new UsageError(`"${text}" is not a valid target: the port after ":" is missing.`);
  }
  if (isIP(host) === 0) checkDnsName(host, `"${shortened(text)}" is not a valid target`);
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`"${text}" is not a valid target: port ${portText} is not between 1 and 65535.`);
  return { host, port };
}

export function formatTarget(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Longest DNS name in text form without the trailing dot, and longest label (RFC 1035 §2.3.4). */
export const MAX_DNS_NAME = 253;
export const MAX_DNS_LABEL = 63;

/** A long input cut for a one-line message: its start and its length. */
export function shortened(text: string, keep = 40): string {
  return text.length <= keep ? text : `${text.slice(0, keep)}... (${text.length} characters)`;
}

/**
 * Throws a UsageError (prefixed with `what`) unless `name` can be a DNS name: at most 253 characters
 * without the trailing dot, labels of 1 to 63, no spaces or control characters. SNI carries a DNS
 * host name (RFC 6066 §3), and a longer one cannot be sent in its 16-bit length fields anyway.
 */
export function checkDnsName(name: string, what: string): void {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  let why: string | undefined;
  if (bare.length === 0) why = 'the name is empty';
  else if (bare.length > MAX_DNS_NAME) why = `a DNS name has at most ${MAX_DNS_NAME} characters, this one ${bare.length}`;
  else if (/[\s\u0000-\u001F\u007F]/.test(bare)) why = 'a DNS name has no spaces or control characters';
  else {
    const label = bare.split('.').find((l) => l.length === 0 || l.length > MAX_DNS_LABEL);
    if (label !== undefined) {
      why = label.length === 0 ? 'it has an empty label (two dots in a row)' : `a DNS label has at most ${MAX_DNS_LABEL} characters, one here has ${label.length}`;
    }
  }
  if (why !== undefined) throw new UsageError(`${what}: ${why}.`);
}

/** The host a target's connections go to (what the per-host cap counts): its address when one is given, else its name. */
export function hostOf(target: ProbeTarget): string {
  return (target.address ?? target.host).toLowerCase();
}
