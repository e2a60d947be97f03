import { isIP } from 'node:net';
import { UsageError } from '../errors.js';
import { DEFAULT_PORT, parseTarget, type ProbeTarget } from '../adapters/probe/target.js';
import { parseCidr, type IpRange } from './ip-range.js';
import { URL_SCHEMES, urlScheme } from './url-schemes.js';

/** One line of target text: a single target, or a CIDR block to walk with the same port and upgrade. */
export type TargetEntry = { kind: 'target'; target: ProbeTarget } | { kind: 'range'; range: IpRange; port: number };

const invalid = (text: string, why: string) => new UsageError(`"${text}" is not a valid target: ${why}.`);

/**
 * Reads any target form: HOST, HOST:PORT, [IPv6]:PORT, a bare IPv6 address, IPv4/IPv6 CIDR (with an
 * optional port: 10.0.0.0/24:8443, [2001:db8::/120]:443), a URL whose scheme gives the port and the
 * STARTTLS upgrade (smtp://mail.example.org), or HOST=ADDRESS (that name as SNI, at that address).
 * Throws UsageError naming the text.
 */
export function parseTargetText(text: string, defaultPort = DEFAULT_PORT): TargetEntry {
  const t = text.trim();
  if (t.includes('://')) return { kind: 'target', target: parseUrlTarget(t) };
  const eq = t.indexOf('=');
  if (eq >= 0) return { kind: 'target', target: parseNamedAddress(t, eq, defaultPort) };
  const cidr = /^\[([^\]]+\/\d+)\](?::(\d+))?$/.exec(t) ?? /^([\d.]+\/\d+)(?::(\d+))?$/.exec(t) ?? /^([0-9a-fA-F:.]+\/\d+)()$/.exec(t);
  if (cidr) {
    let range: IpRange | undefined;
    try {
      range = parseCidr(cidr[1]!);
    } catch (error) {
      throw invalid(text, (error as Error).message);
    }
    if (!range) throw invalid(text, `${cidr[1]} is not an IPv4 or IPv6 CIDR block`);
    return { kind: 'range', range, port: portOf(text, cidr[2] || undefined, defaultPort) };
  }
  return { kind: 'target', target: parseTarget(t, defaultPort) };
}

function portOf(text: string, portText: string | undefined, defaultPort: number): number {
  if (portText === undefined) return defaultPort;
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(text, `port ${portText} is not between 1 and 65535`);
  return port;
}

function parseUrlTarget(text: string): ProbeTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(text, 'it is not a URL');
  }
  const name = url.protocol.slice(0, -1);
  const scheme = urlScheme(name);
  if (!scheme) throw invalid(text, `the scheme ${name}:// is not one tlsaudit knows (${Object.keys(URL_SCHEMES).join(', ')})`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') throw invalid(text, 'the URL names no host');
  const port = url.port === '' ? scheme.port : Number(url.port);
  // Implicit TLS is said out loud, so that https://host:25 is not taken for SMTP by its port.
  return { host, port, starttls: scheme.starttls ?? 'none' };
}

function parseNamedAddress(text: string, eq: number, defaultPort: number): ProbeTarget {
  const name = text.slice(0, eq);
  const addressText = text.slice(eq + 1).replace(/^\[|\]$/g, '');
  if (isIP(addressText) === 0) throw invalid(text, `"${addressText}" after "=" is not an IP address (use NAME=ADDRESS)`);
  const target = parseTarget(name, defaultPort);
  if (isIP(target.host) !== 0) throw invalid(text, `${target.host} before "=" is an address; give the server name to send as SNI`);
  return { ...target, address: addressText, sni: target.host.replace(/\.$/, '') };
}
