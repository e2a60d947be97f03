import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { XMLParser } from 'fast-xml-parser';
import { UNTRUSTED_XML_OPTIONS } from '../untrusted-xml-options.js';
import { InputError, errorMessage } from '../../errors.js';
import { STARTTLS_PORTS, isStartTlsProtocol, type StartTlsProtocol } from '../probe/starttls.js';
import { nmapTreatsAsTls, starttlsOf } from './nmap-tls-ports.js';
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

const parser = new XMLParser({ ...UNTRUSTED_XML_OPTIONS, isArray: (name) => ['address', 'hostname', 'port'].includes(name) });

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
    const tunnel = p.service?.tunnel;
    // Where nmap's own port rule would run ssl-enum-ciphers (nmap-tls-ports.ts), and the upgrade it needs:
    // by service name, else RDP's X.224 on 3389 and the STARTTLS the probe picks by port number.
    if (!nmapTreatsAsTls({ port, ...(service && { service }), ...(tunnel && { tunnel }) })) continue;
    const plain = tunnel !== 'ssl';
    const upgrade = starttlsOf(service, tunnel) ?? (plain && port === 3389 ? 'rdp' : undefined) ?? (plain && service === undefined ? STARTTLS_PORTS[port] : undefined);
    const base = { host: name, address, port, ...(service && { service }) };
    if (upgrade === undefined) out.push({ ...base, starttls: 'none' });
    else if (isStartTlsProtocol(upgrade)) out.push({ ...base, starttls: upgrade });
    else skipped.push({ host: name, port, service: service ?? upgrade, reason: `its TLS comes after a ${upgrade} upgrade, which the probe does not speak` });
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
