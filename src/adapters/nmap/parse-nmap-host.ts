import { XMLParser } from 'fast-xml-parser';
import { UNTRUSTED_XML_OPTIONS } from '../untrusted-xml-options.js';
import { InputError, inlineErrorMessage } from '../../errors.js';
import { compareProtocolVersions, parseProtocolVersion } from '../../model/protocol-version.js';
import type { ProtocolVersion } from '../../model/protocol-version.js';
import type {
  CipherObservation,
  CipherPreference,
  ProtocolObservation,
  SourceRun,
  SuiteEvidence,
  TargetObservation,
} from '../../model/target.js';
import { groupByName, suiteByName } from '../../registry/index.js';
import type { SkippedPort } from '../../model/report.js';
import { certificateSummary } from '../observation-builder.js';
import { decodeXmlText } from './nmap-xml-splitter.js';
import { nmapTreatsAsTls, skipReason, starttlsOf } from './nmap-tls-ports.js';
import { readSslCert } from './read-ssl-cert.js';
import { slimNmapHost } from './slim-nmap-host.js';
import { readSslEnumCiphersText, type ScriptTable } from './ssl-enum-ciphers-text.js';

export interface NmapHostContext {
  /** File name or "stdin". */
  origin: string;
  /** The scan's start (nmaprun start), used when the host has no starttime. */
  runStartedAt?: string;
}

export interface NmapHostResult {
  /**
   * One per open TCP port nmap treated as TLS: with protocols when ssl-enum-ciphers reported, with
   * `error` when it did not.
   */
  observations: TargetObservation[];
  /** Open TCP ports nmap never treated as TLS (ssh/22, http/80): not targets. */
  skipped: SkippedPort[];
  /** How many ports carried an ssl-enum-ciphers result. */
  tlsPorts: number;
  /** Things worth telling the user (suites tlsaudit does not know, unreadable tables). */
  notices: string[];
}

const CIPHER_PREFERENCES = new Set<CipherPreference>(['server', 'client', 'indeterminate']);

// Entities are decoded by decodeXmlText (XML's five plus character references) and nothing else:
// a DOCTYPE never reaches this parser, and undeclared references stay as written. The ordered tree
// (preserveOrder) and no jPath bookkeeping make fast-xml-parser about a fifth faster on nmap's output.
const parser = new XMLParser({
  preserveOrder: true,
  ...UNTRUSTED_XML_OPTIONS,
  jPath: false,
});

/**
 * ssl-enum-ciphers writes each suite as a keyless <table> of <elem key=K>V</elem> (name, strength,
 * kex_info, in any order). Folded into one <suite K="V".../> element before fast-xml-parser sees it,
 * a host has about half the elements and parses about a fifth faster; nothing is lost, as the
 * values move verbatim (a raw '"' escaped) into attributes, decoded like any other.
 */
const SUITE_TABLE = /<table>\s*((?:<elem key="[\w-]+">[^<]*<\/elem>\s*)+)<\/table>/g;
const SUITE_ELEM = /<elem key="([\w-]+)">([^<]*)<\/elem>\s*/g;

export function foldSuiteTables(xml: string): string {
  return xml.replace(
    SUITE_TABLE,
    (_table, body: string) => `<suite${body.replace(SUITE_ELEM, (_elem, key: string, value: string) => ` ${key}="${value.replaceAll('"', '&quot;')}"`)}/>`,
  );
}

/** One node of fast-xml-parser's ordered tree: { tag: children, ':@': attributes } or { '#text': text }. */
type OrderedNode = Record<string, unknown>;
type Attributes = Record<string, string>;

const NO_ATTRIBUTES: Attributes = {};
const NO_CHILDREN: OrderedNode[] = [];

// The tree is walked node by node without building wrapper objects: this runs for every element of
// every host. fast-xml-parser creates each node with its tag name as the first key.
function tagOf(node: OrderedNode): string | undefined {
  for (const key in node) return key === ':@' || key === '#text' ? undefined : key;
  return undefined;
}

function childrenOf(node: OrderedNode, tag: string): OrderedNode[] {
  const children = node[tag];
  return Array.isArray(children) ? (children as OrderedNode[]) : NO_CHILDREN;
}

function attrsOf(node: OrderedNode | undefined): Attributes {
  return (node?.[':@'] as Attributes | undefined) ?? NO_ATTRIBUTES;
}

function attr(node: OrderedNode | undefined, name: string): string | undefined {
  const v = attrsOf(node)[name];
  return typeof v === 'string' ? decodeXmlText(v) : undefined;
}

function textOf(children: OrderedNode[]): string {
  let t = '';
  for (const c of children) if (typeof c['#text'] === 'string') t += c['#text'];
  return decodeXmlText(t);
}

type LuaTable = ScriptTable;

function luaTable(children: OrderedNode[]): LuaTable {
  const t: LuaTable = { tables: new Map(), list: [], elems: new Map(), values: [] };
  for (const child of children) {
    const tag = tagOf(child);
    if (tag === 'table') {
      const key = attr(child, 'key');
      if (key === undefined) t.list.push(luaTable(childrenOf(child, tag)));
      else t.tables.set(key, luaTable(childrenOf(child, tag)));
    } else if (tag === 'suite') {
      const elems = new Map<string, string>();
      const attrs = attrsOf(child);
      for (const k in attrs) elems.set(k, decodeXmlText(attrs[k]!));
      t.list.push({ tables: new Map(), list: [], elems, values: [] });
    } else if (tag === 'elem') {
      const key = attr(child, 'key');
      if (key === undefined) t.values.push(textOf(childrenOf(child, tag)));
      else t.elems.set(key, textOf(childrenOf(child, tag)));
    }
  }
  return t;
}

/** "secp256r1", "ecdh_x25519", "dh 2048", "rsa 2048" into the group and size policies judge. */
export function readKexInfo(kexInfo: string): Pick<SuiteEvidence, 'group' | 'kexBits'> {
  const sized = /^(dh|dhe|rsa|ffdhe|ecdh)\s*(\d+)$/i.exec(kexInfo.trim());
  if (sized) return { kexBits: Number(sized[2]) };
  const group = groupByName(kexInfo);
  if (group) return { group: group.name, ...(group.bits !== undefined && { kexBits: group.bits }) };
  return {};
}

// A scan repeats a handful of kex_info texts ("secp256r1", "rsa 2048") thousands of times.
const KEX_CACHE = new Map<string, Pick<SuiteEvidence, 'group' | 'kexBits'>>();

function kexInfoCached(kexInfo: string): Pick<SuiteEvidence, 'group' | 'kexBits'> {
  let kex = KEX_CACHE.get(kexInfo);
  if (kex === undefined) {
    kex = readKexInfo(kexInfo);
    if (KEX_CACHE.size < 1024) KEX_CACHE.set(kexInfo, kex);
  }
  return kex;
}

function epochToIso(value: string | undefined): string | undefined {
  const n = Number(value);
  if (!value || !Number.isFinite(n) || n <= 0) return undefined;
  const date = new Date(n * 1000);
  // Beyond Date's range (±8.64e15 ms) toISOString throws; such a time is no time at all.
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * nmap writes portid as a decimal number; anything else (" 443 ", "0x1bb", "4.43e2", 0, 65536) is not a
 * port of this host, and reading it as one, or leaving the port out, would misreport the host.
 */
const PORTID = /<port\b[^>]*?\sportid\s*=\s*(["'])(.*?)\1/g;

function portNumberOf(portid: string | undefined, host: string, origin: string): number {
  const n = portid !== undefined && /^[1-9][0-9]{0,4}$/.test(portid) ? Number(portid) : NaN;
  if (n >= 1 && n <= 65535) return n;
  const shown = portid === undefined ? 'no portid' : `portid ${JSON.stringify(portid)}`;
  throw new InputError(`${origin}: host ${host} has a port with ${shown}, not a decimal port number from 1 to 65535.`);
}

/** Parses one <host> element of nmap's -oX output into one observation per open TCP port. */
export function parseNmapHost(xml: string, context: NmapHostContext): NmapHostResult {
  let doc: OrderedNode[];
  try {
    doc = parser.parse(foldSuiteTables(slimNmapHost(xml))) as OrderedNode[];
  } catch (error) {
    throw new InputError(`${context.origin}: a <host> element is not well-formed XML (${inlineErrorMessage(error)}).`, error);
  }
  const hostNode = doc.find((n) => tagOf(n) === 'host');
  let ipv4: OrderedNode | undefined;
  let ipv6: OrderedNode | undefined;
  const names: OrderedNode[] = [];
  const ports: OrderedNode[] = [];
  for (const child of hostNode ? childrenOf(hostNode, 'host') : NO_CHILDREN) {
    const tag = tagOf(child);
    if (tag === 'address') {
      const type = attr(child, 'addrtype');
      if (type === 'ipv4') ipv4 ??= child;
      else if (type === 'ipv6') ipv6 ??= child;
    } else if (tag === 'hostnames') {
      for (const h of childrenOf(child, tag)) if (tagOf(h) === 'hostname') names.push(h);
    } else if (tag === 'ports') {
      for (const p of childrenOf(child, tag)) if (tagOf(p) === 'port') ports.push(p);
    }
  }
  const address = attr(ipv4 ?? ipv6, 'addr');
  // The name the user typed on nmap's command line beats the reverse-DNS (PTR) answer.
  const chosen = names.find((n) => attr(n, 'type') === 'user') ?? names.find((n) => attr(n, 'type') === 'PTR') ?? names[0];
  const name = attr(chosen, 'name') || address || '(unknown host)';
  // The parser trims attribute values, so " 443 " is checked as written.
  for (const m of xml.matchAll(PORTID)) portNumberOf(decodeXmlText(m[2]!), name, context.origin);
  const observedAt = epochToIso(attr(hostNode, 'starttime')) ?? context.runStartedAt;
  const provenance = { source: 'nmap' as const, ...(observedAt && { observedAt }), origin: context.origin };

  const result: NmapHostResult = { observations: [], skipped: [], tlsPorts: 0, notices: [] };
  for (const port of ports) {
    if ((attr(port, 'protocol') ?? 'tcp') !== 'tcp') continue;
    const portNumber = portNumberOf(attr(port, 'portid'), name, context.origin);
    let stateNode: OrderedNode | undefined;
    let serviceNode: OrderedNode | undefined;
    let script: OrderedNode | undefined;
    let certScript: OrderedNode | undefined;
    for (const child of childrenOf(port, 'port')) {
      const tag = tagOf(child);
      if (tag === 'state') stateNode ??= child;
      else if (tag === 'service') serviceNode ??= child;
      else if (tag === 'script' && script === undefined && attr(child, 'id') === 'ssl-enum-ciphers') script = child;
      else if (tag === 'script' && certScript === undefined && attr(child, 'id') === 'ssl-cert') certScript = child;
    }
    const state = attr(stateNode, 'state');
    // Closed and filtered ports are not services; an open port, or any port the script reported on, is.
    if (state !== 'open' && !script) continue;
    const service = attr(serviceNode, 'name');
    const tunnel = attr(serviceNode, 'tunnel');
    const observation: TargetObservation = {
      host: name,
      ...(address && { address }),
      port: portNumber,
      ...(service && { service }),
      sources: ['nmap'],
      runs: [],
      protocols: [],
    };
    const run: SourceRun = { ...provenance };
    // ssl-cert (nmap --script ssl-cert) is the port's certificate evidence, with or without ssl-enum-ciphers.
    const certificate = certScript ? readSslCert(luaTable(childrenOf(certScript, 'script')), provenance) : undefined;
    const leaf = certificate?.chain[0];
    if (certificate && leaf) {
      observation.certificates = [certificate];
      observation.certificate = certificateSummary(leaf);
    }
    if (!script && !certificate && !nmapTreatsAsTls({ port: portNumber, ...(service && { service }), ...(tunnel && { tunnel }) })) {
      const facts = { port: portNumber, ...(service && { service }) };
      result.skipped.push({ host: name, ...(address && { address }), ...facts, reason: skipReason(facts) });
      continue;
    }
    if (!script) {
      const what = service ? ` (service ${tunnel === 'ssl' ? 'ssl/' : ''}${service})` : '';
      observation.error = `no TLS result from ssl-enum-ciphers on port ${portNumber}${what}`;
      run.error = observation.error;
      observation.runs.push(run);
      result.observations.push(observation);
      continue;
    }
    result.tlsPorts++;
    const starttls = starttlsOf(service, tunnel);
    if (starttls) observation.starttls = starttls;
    let top = luaTable(childrenOf(script, 'script'));
    // Before 6.25 nmap wrote the script's result only as text, in its `output` attribute.
    if (top.tables.size === 0 && top.elems.size === 0) top = readSslEnumCiphersText(attr(script, 'output') ?? '');
    const where = name.includes(':') ? `[${name}]:${portNumber}` : `${name}:${portNumber}`;
    const notes: string[] = [];
    for (const [key, table] of top.tables) {
      const version = parseProtocolVersion(key);
      if (!version) {
        notes.push(`ssl-enum-ciphers reported an unknown protocol "${key}"; it is not judged`);
        continue;
      }
      observation.protocols.push(readProtocol(version, table, provenance, notes));
    }
    observation.protocols.sort((a, b) => compareProtocolVersions(a.version, b.version));
    const least = top.elems.get('least strength');
    if (least) run.grade = least;
    if (notes.length > 0) {
      run.notes = notes;
      for (const n of notes) result.notices.push(`${context.origin}: ${where}: ${n}`);
    }
    const facts = { port: portNumber, ...(service && { service }), ...(tunnel && { tunnel }) };
    if (observation.protocols.length === 0 && !nmapTreatsAsTls(facts)) {
      // The script was forced onto a port its rule leaves out (--script +ssl-enum-ciphers) and found no
      // TLS there; nmap 6.01 still writes its "Least strength" line for such a port.
      const { tunnel: _t, ...shown } = facts;
      result.skipped.push({ host: name, ...(address && { address }), ...shown, reason: skipReason(shown, true) });
      continue;
    }
    if (observation.protocols.length === 0) {
      observation.error = `ssl-enum-ciphers on port ${portNumber} found no protocol it could connect with`;
      run.error = observation.error;
    }
    observation.runs.push(run);
    result.observations.push(observation);
  }
  return result;
}

/** Unknown suites named in a note before the rest are only counted. */
const UNKNOWN_NAMED = 5;

function readProtocol(
  version: ProtocolVersion,
  table: LuaTable,
  provenance: { source: 'nmap'; observedAt?: string; origin: string },
  notes: string[],
): ProtocolObservation {
  const ciphers: CipherObservation[] = [];
  let least = '';
  const unknown: string[] = [];
  for (const suite of table.tables.get('ciphers')?.list ?? []) {
    const sourceName = suite.elems.get('name');
    if (!sourceName) continue;
    const strength = suite.elems.get('strength');
    const kexInfo = suite.elems.get('kex_info');
    const known = suiteByName(sourceName);
    if (!known) {
      // Without a code point the suite cannot be judged, but the user must hear that nmap saw it.
      unknown.push(`"${sourceName}" (${version}${strength ? `, strength ${strength}` : ''})`);
      continue;
    }
    // Built by assignment: this runs once per suite of every host, the hottest path of a large scan.
    const evidence: SuiteEvidence = { source: provenance.source };
    if (provenance.observedAt !== undefined) evidence.observedAt = provenance.observedAt;
    evidence.origin = provenance.origin;
    if (strength) {
      evidence.strength = strength;
      // nmap grades the whole port; the protocol's own least strength is its worst suite letter (A best).
      if (strength.length === 1 && strength >= 'A' && strength <= 'F' && strength > least) least = strength;
    }
    if (kexInfo) {
      evidence.kexInfo = kexInfo;
      const kex = kexInfoCached(kexInfo);
      if (kex.group !== undefined) evidence.group = kex.group;
      if (kex.kexBits !== undefined) evidence.kexBits = kex.kexBits;
    }
    if (known.name !== sourceName) evidence.sourceName = sourceName;
    ciphers.push({ code: known.hex, name: known.name, evidence: [evidence] });
  }
  if (unknown.length === 1) notes.push(`nmap named a suite tlsaudit does not know, ${unknown[0]}; it is not judged`);
  // A hostile or broken scan may list thousands: one line names the first few and counts the rest.
  else if (unknown.length > 1) {
    const rest = unknown.length - UNKNOWN_NAMED;
    notes.push(
      `nmap named ${unknown.length} suites tlsaudit does not know, ${unknown.slice(0, UNKNOWN_NAMED).join(', ')}${rest > 0 ? ` and ${rest} more` : ''}; they are not judged`,
    );
  }
  const protocol: ProtocolObservation = { version, ciphers, evidence: [{ ...provenance }] };
  const preference = table.elems.get('cipher preference');
  if (preference && CIPHER_PREFERENCES.has(preference as CipherPreference)) {
    protocol.cipherPreference = preference as CipherPreference;
  } else if (preference) {
    notes.push(`${version}: unrecognised cipher preference "${preference}"`);
  }
  const warnings = table.tables.get('warnings')?.values;
  if (warnings && warnings.length > 0) protocol.warnings = warnings;
  const compressors = table.tables.get('compressors')?.values;
  if (compressors && compressors.length > 0) protocol.compressors = compressors;
  if (least) protocol.leastStrength = least;
  return protocol;
}
