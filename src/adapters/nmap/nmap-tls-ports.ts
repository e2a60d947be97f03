import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { XMLParser } from 'fast-xml-parser';
import { InputError, errorMessage } from '../../errors.js';
import type { StartTlsProtocol } from '../probe/starttls.js';
import { isStartTlsProtocol } from '../probe/starttls.js';
import { NmapXmlSplitter } from './nmap-xml-splitter.js';
import { decodeXmlText } from './nmap-xml-splitter.js';

/** An open port of an nmap scan that speaks TLS, directly or after an upgrade. */
export interface NmapTlsPort {
  /** The name nmap was given (else its reverse-DNS name), else the address. */
  host: string;
  address: string;
  port: number;
  /** nmap's service name, "ssl/" dropped. */
  service?: string;
  /** The upgrade the port needs; 'none' for implicit TLS. */
  starttls: StartTlsProtocol | 'none';
}

/** An open port nmap would try TLS on but that the probe cannot reach (its upgrade is not one the probe speaks). */
export interface NmapSkippedPort {
  host: string;
  port: number;
  service: string;
  reason: string;
}

/**
 * The ports nmap's ssl-enum-ciphers would run on (its "shortport.ssl" rule, as facts): a service nmap
 * saw inside an ssl tunnel, a service or port conventionally TLS, or a service with a STARTTLS upgrade.
 */
const TLS_SERVICES = new Set([
  'https', 'https-alt', 'ssl', 'ftps', 'ftps-data', 'ftps-control', 'imaps', 'ircs', 'ldapssl',
  'pop3s', 'sip-tls', 'smtps', 'telnets', 'tor-orport', 'nntps', 'xmpps',
]);
const TLS_PORTS = new Set([261, 271, 324, 443, 465, 563, 585, 636, 853, 989, 990, 992, 993, 994, 995, 2221, 2252, 2376, 3269, 3389, 4911, 5061, 5986, 6679, 6697, 8443, 8883, 9001]);
/** nmap service names whose TLS comes by an in-protocol upgrade, with the protocol that performs it. */
const STARTTLS_SERVICES: Readonly<Record<string, string>> = {
  smtp: 'smtp', submission: 'smtp', imap: 'imap', pop3: 'pop3', ftp: 'ftp', ldap: 'ldap', nntp: 'nntp',
  'xmpp-client': 'xmpp', 'xmpp-server': 'xmpp', postgresql: 'postgres', mysql: 'mysql', lmtp: 'lmtp',
  'ms-sql-s': 'mssql', 'ms-wbt-server': 'rdp', sieve: 'sieve', irc: 'irc',
};

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', processEntities: false, parseTagValue: false, parseAttributeValue: false, isArray: (name) => ['address', 'hostname', 'port'].includes(name) });

interface XmlHost {
  address?: { addr?: string; addrtype?: string }[];
  hostnames?: { hostname?: { name?: string; type?: string }[] } | string;
  ports?: { port?: { protocol?: string; portid?: string; state?: { state?: string }; service?: { name?: string; tunnel?: string } }[] };
}

/** Reads one <host> element's open TLS ports; pure. */
export function tlsPortsOfHost(xml: string, skipped: NmapSkippedPort[] = []): NmapTlsPort[] {
  const host = (parser.parse(xml) as { host?: XmlHost }).host;
  if (!host) return [];
  const addresses = host.address ?? [];
  const address = decodeXmlText((addresses.find((a) => a.addrtype === 'ipv4') ?? addresses.find((a) => a.addrtype === 'ipv6'))?.addr ?? '');
  if (address === '') return [];
  const names = typeof host.hostnames === 'object' ? (host.hostnames.hostname ?? []) : [];
  const chosen = names.find((n) => n.type === 'user') ?? names.find((n) => n.type === 'PTR');
  const name = chosen?.name ? decodeXmlText(chosen.name) : address;
  const out: NmapTlsPort[] = [];
  for (const p of host.ports?.port ?? []) {
    if ((p.protocol ?? 'tcp') !== 'tcp' || p.state?.state !== 'open') continue;
    const port = Number(p.portid);
    const service = p.service?.name;
    const tunnel = p.service?.tunnel === 'ssl';
    // RDP's TLS comes after X.224 negotiation whatever nmap calls the port (nmap lists 3389 as TLS).
    const upgrade =
      service !== undefined && !tunnel && Object.hasOwn(STARTTLS_SERVICES, service) ? STARTTLS_SERVICES[service]! : port === 3389 && !tunnel ? 'rdp' : undefined;
    const base = { host: name, address, port, ...(service && { service }) };
    if (upgrade) {
      if (isStartTlsProtocol(upgrade)) out.push({ ...base, starttls: upgrade });
      else skipped.push({ host: name, port, service: service ?? upgrade, reason: `its TLS comes after a ${upgrade} upgrade, which the probe does not speak` });
    } else if (tunnel || (service !== undefined && TLS_SERVICES.has(service)) || TLS_PORTS.has(port)) {
      out.push({ ...base, starttls: 'none' });
    }
  }
  return out;
}

/**
 * Streams the TLS ports of an nmap -oX document (a scan with or without -sV; no script needed), host
 * by host. Throws InputError naming `origin` for input that is not nmap XML.
 */
export async function* readNmapTlsPorts(
  input: AsyncIterable<Uint8Array | string>,
  origin: string,
  skipped: NmapSkippedPort[] = [],
): AsyncGenerator<NmapTlsPort> {
  const splitter = new NmapXmlSplitter(origin);
  const decoder = new StringDecoder('utf8');
  const hostsOf = function* (text: string) {
    for (const event of splitter.push(text)) if (event.kind === 'host') yield* tlsPortsOfHost(event.xml, skipped);
  };
  try {
    for await (const chunk of input) yield* hostsOf(typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk)));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`Cannot read ${origin}: ${describe(error)}.`, error);
  }
  yield* hostsOf(decoder.end());
  splitter.finish();
}

export function readNmapTlsPortsFile(path: string, skipped?: NmapSkippedPort[]): AsyncGenerator<NmapTlsPort> {
  if (path === '-') return readNmapTlsPorts(process.stdin, 'stdin', skipped);
  return readNmapTlsPorts(createReadStream(path), path, skipped);
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  return errorMessage(error);
}
