import type {
  CertificateSummary,
  CipherObservation,
  CipherPreference,
  ProtocolObservation,
  ProtocolVersion,
  SourceRun,
  SuiteEvidence,
  TargetObservation,
} from '../../model/index.js';
import { compareProtocolVersions, protocolFromWire } from '../../model/index.js';
import { formatCode, formatSslV2Code, groupById, groupByName, sslv2SpecByCode, suiteByCode } from '../../registry/index.js';
import type {
  SslLabsCert,
  SslLabsEndpoint,
  SslLabsHost,
  SslLabsProtocolSuites,
  SslLabsSuite,
} from './api-types.js';

export interface SslLabsNormaliseOptions {
  /** Where the response came from: the API base URL, a file name, "stdin". */
  origin?: string;
  /** The name the user asked for, when it differs from the Host's `host` (case, trailing dot). */
  host?: string;
}

/** The statusMessage of an endpoint whose assessment succeeded (API docs, "Endpoint"). */
const READY_MESSAGE = 'Ready';
const DEFAULT_PORT = 443;

/**
 * One SSL Labs Host object (an `analyze` response, or an element of ssllabs-scan's output) into one
 * TargetObservation per endpoint. Pure: no I/O, never throws on odd shapes; what cannot be judged
 * becomes an observation with `error` set.
 */
export function normaliseSslLabsHost(host: SslLabsHost, options: SslLabsNormaliseOptions = {}): TargetObservation[] {
  const name = options.host ?? (typeof host.host === 'string' ? host.host : '');
  const port = Number.isInteger(host.port) && host.port! > 0 && host.port! <= 65535 ? host.port! : DEFAULT_PORT;
  const observedAt = toIso(host.testTime) ?? toIso(host.startTime);
  const base: SourceRun = { source: 'ssllabs' };
  if (observedAt !== undefined) base.observedAt = observedAt;
  if (options.origin !== undefined) base.origin = options.origin;

  const failed = (message: string, address?: string, extra: Partial<SourceRun> = {}): TargetObservation => {
    const observation: TargetObservation = {
      host: name || address || '',
      port,
      service: 'https',
      sources: ['ssllabs'],
      runs: [{ ...base, ...extra, error: message }],
      protocols: [],
      error: message,
    };
    if (address !== undefined) observation.address = address;
    return observation;
  };

  if (host.status === 'ERROR') {
    return [failed(textOf(host.statusMessage) || 'SSL Labs could not assess the host.')];
  }
  if (host.status !== 'READY') {
    const status = host.status === undefined ? 'no status' : `status ${String(host.status)}`;
    return [failed(`The SSL Labs assessment had not finished (${status}).`)];
  }
  const endpoints = objectsOf(host.endpoints);
  if (endpoints.length === 0) return [failed('SSL Labs returned no endpoints for the host.')];

  const hostNotes = hostLevelNotes(host);
  return endpoints.map((endpoint) => {
    const address = typeof endpoint.ipAddress === 'string' ? endpoint.ipAddress : undefined;
    if (endpoint.statusMessage !== READY_MESSAGE) {
      return failed(textOf(endpoint.statusMessage) || 'SSL Labs could not assess this endpoint.', address);
    }
    const details = isObject(endpoint.details) ? endpoint.details : undefined;
    if (details === undefined || (details.protocols === undefined && details.suites === undefined)) {
      // Without details (a response fetched without all=on/done) there is nothing to judge, and judging
      // nothing would wrongly report "TLS 1.2 not offered".
      return failed('The SSL Labs response has no endpoint details (it was fetched without all=done).', address, {
        ...(endpoint.grade ? { grade: endpoint.grade } : {}),
      });
    }
    return normaliseEndpoint(endpoint, host, { name, port, address, base, hostNotes });
  });
}

interface EndpointContext {
  name: string;
  port: number;
  address: string | undefined;
  base: SourceRun;
  hostNotes: string[];
}

function normaliseEndpoint(endpoint: SslLabsEndpoint, host: SslLabsHost, ctx: EndpointContext): TargetObservation {
  const details = endpoint.details ?? {};
  const notes = [...ctx.hostNotes];
  const evidenceBase = provenanceOf(ctx.base);
  const byVersion = new Map<string, ProtocolObservation>();

  const protocolOf = (wire: number | undefined): ProtocolObservation | undefined => {
    if (typeof wire !== 'number') return undefined;
    const version = versionOfProtocolId(wire);
    if (version === undefined) {
      notes.push(`SSL Labs reported an unknown protocol id ${wire}; ignored.`);
      return undefined;
    }
    let protocol = byVersion.get(version);
    if (protocol === undefined) {
      protocol = { version, ciphers: [], evidence: [{ ...evidenceBase }] };
      byVersion.set(version, protocol);
    }
    return protocol;
  };

  for (const p of objectsOf(details.protocols)) {
    const protocol = protocolOf(p.id);
    if (protocol === undefined) continue;
    if (p.q === 0) addWarning(protocol, 'SSL Labs marks this protocol insecure.');
    if (p.v2SuitesDisabled === true) addWarning(protocol, 'SSLv2 is enabled but all its cipher suites are disabled.');
  }

  for (const group of asSuitesArray(details.suites)) {
    if (group.protocol === undefined) {
      notes.push('SSL Labs listed suites without a protocol (an API v2 shape); they were not attributed to a version.');
      continue;
    }
    const protocol = protocolOf(group.protocol);
    if (protocol === undefined) continue;
    const preference = preferenceOf(group.preference);
    if (preference !== undefined) protocol.cipherPreference = preference;
    for (const suite of objectsOf(group.list)) {
      const cipher = cipherOf(suite, evidenceBase, notes);
      if (cipher === undefined) continue;
      const existing = protocol.ciphers.find((c) => c.code === cipher.code);
      if (existing === undefined) protocol.ciphers.push(cipher);
      else existing.evidence.push(...cipher.evidence);
    }
  }

  const noSni = asSuitesArray(details.noSniSuites ?? undefined);
  for (const group of noSni) {
    const version = typeof group.protocol === 'number' ? versionOfProtocolId(group.protocol) : undefined;
    const list = objectsOf(group.list)
      .map((s) => (typeof s.id === 'number' ? codeOf(s.id) + (s.name ? ` ${s.name}` : '') : s.name))
      .filter((s): s is string => typeof s === 'string');
    if (list.length > 0) {
      notes.push(`Without SNI the server offers other suites (${version ?? 'unknown protocol'}): ${list.join(', ')}.`);
    }
  }

  const run: SourceRun = { ...ctx.base };
  if (typeof endpoint.grade === 'string' && endpoint.grade !== '') run.grade = endpoint.grade;
  if (endpoint.gradeTrustIgnored && endpoint.gradeTrustIgnored !== endpoint.grade) {
    notes.push(`Grade if certificate trust issues are ignored: ${endpoint.gradeTrustIgnored}.`);
  }
  if (endpoint.futureGrade) notes.push(`Grade under upcoming SSL Labs criteria: ${endpoint.futureGrade}.`);
  if (endpoint.hasWarnings === true) notes.push('SSL Labs reports warnings that may affect the grade.');
  if (notes.length > 0) run.notes = notes;

  const observation: TargetObservation = {
    host: ctx.name || ctx.address || '',
    port: ctx.port,
    service: 'https',
    sources: ['ssllabs'],
    runs: [run],
    protocols: [...byVersion.values()].sort((a, b) => compareProtocolVersions(a.version, b.version)),
  };
  if (ctx.address !== undefined) observation.address = ctx.address;
  const certificate = certificateOf(endpoint, host);
  if (certificate !== undefined) observation.certificate = certificate;
  return observation;
}

function cipherOf(raw: SslLabsSuite, provenance: SuiteEvidence, notes: string[]): CipherObservation | undefined {
  // Texts only where text belongs, so a damaged entry is read as far as it goes instead of throwing.
  const suite: SslLabsSuite = { ...raw, name: textOf(raw.name), kxType: textOf(raw.kxType), namedGroupName: textOf(raw.namedGroupName) };
  if (typeof suite.id !== 'number' || !Number.isInteger(suite.id) || suite.id < 0 || suite.id > 0xffffff) {
    if (suite.name) notes.push(`SSL Labs listed suite ${suite.name} without a valid id; ignored.`);
    return undefined;
  }
  const code = codeOf(suite.id);
  const known = suite.id <= 0xffff ? suiteByCode(suite.id) : sslv2SpecByCode(suite.id);
  const evidence: SuiteEvidence = { ...provenance };
  let name: string;
  if (known !== undefined) {
    name = known.name;
    if (suite.name && suite.name !== known.name) {
      evidence.sourceName = suite.name;
      if (!sameSuiteName(suite.name, known)) {
        notes.push(`SSL Labs named suite ${code} "${suite.name}"; the IANA registry names it ${known.name}.`);
      }
    }
  } else {
    name = suite.name || code;
    notes.push(`Suite ${code} (${name}) is not in the cipher suite registry.`);
  }
  if (Number.isInteger(suite.q)) evidence.q = suite.q;
  Object.assign(evidence, keyExchangeEvidence(suite));
  return { code, name, evidence: [evidence] };
}

/** A name counts as the same when it is one of the registry's spellings (OpenSSL name, aliases). */
function sameSuiteName(name: string, known: { name: string; openssl?: string; aliases?: readonly string[] }): boolean {
  const n = name.toUpperCase();
  if (n === known.name.toUpperCase() || n === known.openssl?.toUpperCase()) return true;
  if (known.aliases?.some((a) => a.toUpperCase() === n)) return true;
  // SSL Labs writes some legacy suites with the SSL_ prefix of their original specification.
  return n.replace(/^SSL_/, 'TLS_') === known.name.toUpperCase();
}

/**
 * Key exchange details as SSL Labs gives them. Static-RSA suites come without kxType/kxStrength, so
 * nothing is said about them; `dhBits` is a byte length (dhBits 128 appears with kxStrength 1024), so it
 * is multiplied by 8.
 */
export function keyExchangeEvidence(suite: SslLabsSuite): Pick<SuiteEvidence, 'kexInfo' | 'group' | 'kexBits'> {
  const out: Pick<SuiteEvidence, 'kexInfo' | 'group' | 'kexBits'> = {};
  const parts: string[] = [];
  if (suite.kxType) parts.push(suite.kxType);
  const group = groupOf(suite);
  if (group !== undefined) {
    out.group = group;
    parts.push(suite.namedGroupName ?? group);
  }
  // Whole positive numbers only: the report schema types kexBits as an integer, and a saved file may hold anything.
  const bits = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0 && (v as number) < 2 ** 31;
  if (bits(suite.namedGroupBits)) {
    out.kexBits = suite.namedGroupBits;
  } else if (bits(suite.dhBits)) {
    out.kexBits = suite.dhBits * 8;
  } else if (bits(suite.dhP)) {
    out.kexBits = suite.dhP * 8;
  } else if (suite.kxType && bits(suite.kxStrength)) {
    out.kexBits = suite.kxStrength;
  }
  if (out.kexBits !== undefined && group === undefined) parts.push(`${out.kexBits} bits`);
  if (typeof suite.kxStrength === 'number' && suite.kxStrength > 0 && suite.kxStrength !== out.kexBits) {
    parts.push(`(${suite.kxStrength} bits RSA-equivalent)`);
  }
  if (parts.length > 0) out.kexInfo = parts.join(' ');
  return out;
}

function groupOf(suite: SslLabsSuite): string | undefined {
  const byId = typeof suite.namedGroupId === 'number' ? groupById(suite.namedGroupId) : undefined;
  if (byId !== undefined) return byId.name;
  if (!suite.namedGroupName) return undefined;
  return groupByName(suite.namedGroupName)?.name ?? suite.namedGroupName;
}

/**
 * Protocol ids are wire versions (771 = 0x0303 = TLS 1.2). SSL 2.0's wire version is 0x0002, but SSL Labs
 * output also shows it as 512 (0x0200), so both are read as SSLv2.
 */
function versionOfProtocolId(id: number): ProtocolVersion | undefined {
  return id === 0x0200 ? 'SSLv2' : protocolFromWire(id);
}

/** SSL Labs gives SSLv2 cipher specs as 3-byte ids (e.g. 0x010080), TLS suites as 2-byte ones. */
function codeOf(id: number): string {
  return id > 0xffff ? formatSslV2Code(id) : formatCode(id);
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The elements of an array that are objects: a null or a stray value in a list is not an entry. */
function objectsOf<T>(value: readonly (T | null)[] | T | null | undefined): T[] {
  return Array.isArray(value) ? value.filter((v): v is T => isObject(v)) : [];
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asSuitesArray(value: SslLabsProtocolSuites[] | SslLabsProtocolSuites | undefined | null): SslLabsProtocolSuites[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v) => v !== null && typeof v === 'object');
  return typeof value === 'object' ? [value] : [];
}

function preferenceOf(value: boolean | null | undefined): CipherPreference | undefined {
  if (value === true) return 'server';
  if (value === false) return 'client';
  if (value === null) return 'indeterminate';
  return undefined;
}

function addWarning(protocol: ProtocolObservation, warning: string): void {
  (protocol.warnings ??= []).push(warning);
}

function provenanceOf(run: SourceRun): SuiteEvidence {
  const p: SuiteEvidence = { source: run.source };
  if (run.observedAt !== undefined) p.observedAt = run.observedAt;
  if (run.origin !== undefined) p.origin = run.origin;
  return p;
}

function hostLevelNotes(host: SslLabsHost): string[] {
  const notes: string[] = [];
  if (host.engineVersion || host.criteriaVersion) {
    notes.push(`SSL Labs engine ${host.engineVersion ?? '?'}, criteria ${host.criteriaVersion ?? '?'}.`);
  }
  if (Array.isArray(host.certHostnames) && host.certHostnames.length > 0) {
    notes.push(`The certificate does not match the host name; it names ${host.certHostnames.join(', ')}.`);
  }
  return notes;
}

function certificateOf(endpoint: SslLabsEndpoint, host: SslLabsHost): CertificateSummary | undefined {
  const chains = objectsOf(endpoint.details?.certChains);
  const chain = chains.find((c) => c.noSni !== true) ?? chains[0];
  const leafId = Array.isArray(chain?.certIds) ? chain.certIds[0] : undefined;
  if (leafId === undefined) return undefined;
  const cert: SslLabsCert | undefined = objectsOf(host.certs).find((c) => c.id === leafId);
  if (cert === undefined) return undefined;
  // Texts only where text belongs: a saved file can hold anything, and the report schema holds to types.
  const summary: CertificateSummary = {};
  const subject = textOf(cert.subject);
  if (subject) summary.subject = subject;
  if (Array.isArray(cert.altNames)) summary.subjectAltNames = cert.altNames.filter((n): n is string => typeof n === 'string');
  const issuer = textOf(cert.issuerSubject);
  if (issuer) summary.issuer = issuer;
  const notBefore = toIso(cert.notBefore);
  const notAfter = toIso(cert.notAfter);
  if (notBefore !== undefined) summary.notBefore = notBefore;
  if (notAfter !== undefined) summary.notAfter = notAfter;
  const keyType = textOf(cert.keyAlg);
  if (keyType) summary.keyType = keyType;
  if (Number.isInteger(cert.keySize) && (cert.keySize as number) > 0) summary.keyBits = cert.keySize as number;
  const sigAlg = textOf(cert.sigAlg);
  if (sigAlg) summary.signatureAlgorithm = sigAlg;
  const sha256 = textOf(cert.sha256Hash);
  if (sha256) summary.fingerprintSha256 = sha256;
  return summary;
}

function toIso(ms: number | undefined): string | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return undefined;
  const date = new Date(ms);
  // Beyond ±8.64e15 ms a Date is invalid and toISOString throws.
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
