import { isIP } from 'node:net';
import type { CertificateDetails, CertificateObservation } from '../model/certificate.js';
import { compareProtocolVersions, type ProtocolVersion } from '../model/protocol-version.js';
import type { Provenance, SourceKind } from '../model/source.js';
import type {
  CertificateSummary,
  CipherObservation,
  CipherPreference,
  ProtocolObservation,
  SourceRun,
  SuiteEvidence,
  TargetObservation,
} from '../model/target.js';
import { groupByName, parseSuiteCode, suiteByCode, suiteByName, sslv2SpecByCode, sslv2SpecByName } from '../registry/index.js';

/** What an importing adapter hands back: the targets it read, and what the user must hear about them. */
export interface ImportResult {
  observations: TargetObservation[];
  /** Suites that could not be placed, unreadable entries: one line each, naming the input. */
  notices: string[];
}

/** A suite as a tool reports it: a code point, a name, or both, and the tool's key exchange evidence. */
export interface ReportedSuite {
  /** The code point as the tool wrote it ("0xC02F", "xc02f", 0xc02f). */
  code?: number | string;
  /** The tool's name for it (OpenSSL's, IANA's). */
  name?: string;
  /** Other names the tool gave it, tried when `name` is not known. */
  aliases?: readonly string[];
  kexInfo?: string;
  group?: string;
  kexBits?: number;
}

interface ProtocolDraft {
  suites: CipherObservation[];
  preference?: CipherPreference;
}

/**
 * Builds one target's observation from one tool's findings, placing each suite through the registry.
 * A suite the registry cannot place is never dropped silently: it becomes a note on the run and a
 * notice for the user.
 */
export class ObservationBuilder {
  readonly #protocols = new Map<ProtocolVersion, ProtocolDraft>();
  readonly #notes: string[] = [];
  readonly #warnings: string[] = [];
  readonly #provenance: Provenance;
  readonly #where: string;
  #certificate: CertificateObservation | undefined;
  #error: string | undefined;
  #grade: string | undefined;

  constructor(
    /** Mutable until build(): some tools name the service late in their output. */
    readonly target: { host: string; address?: string; port: number; service?: string; starttls?: string },
    provenance: Provenance,
  ) {
    this.#provenance = provenance;
    const host = target.host.includes(':') ? `[${target.host}]` : target.host;
    this.#where = `${provenance.origin ?? provenance.source}: ${host}:${target.port}`;
  }

  /** The tool saw this protocol enabled (with or without suites). */
  protocol(version: ProtocolVersion): ProtocolDraft {
    let draft = this.#protocols.get(version);
    if (!draft) {
      draft = { suites: [] };
      this.#protocols.set(version, draft);
    }
    return draft;
  }

  /** An accepted suite; by code when the tool gave one (names vary between OpenSSL versions), else by name. */
  suite(version: ProtocolVersion, reported: ReportedSuite): void {
    const placed = placeSuite(version, reported);
    if (!placed) {
      const what = [reported.name, reported.code === undefined ? undefined : String(reported.code)].filter(Boolean).join(' ');
      this.warn(`${toolName(this.#provenance.source)} reported a suite tlsaudit cannot place, "${what}" (${version}); it is not judged`);
      return;
    }
    const draft = this.protocol(version);
    if (draft.suites.some((c) => c.code === placed.code)) return;
    const evidence: SuiteEvidence = { ...this.#provenance };
    if (reported.kexInfo) evidence.kexInfo = reported.kexInfo;
    if (reported.group) evidence.group = groupByName(reported.group)?.name ?? reported.group;
    if (reported.kexBits !== undefined) evidence.kexBits = reported.kexBits;
    if (reported.name && reported.name !== placed.name) evidence.sourceName = reported.name;
    draft.suites.push({ code: placed.code, name: placed.name, evidence: [evidence] });
  }

  /** The protocols seen so far, in the order first seen. */
  versions(): ProtocolVersion[] {
    return [...this.#protocols.keys()];
  }

  /** The IANA codes placed under a protocol so far. */
  codes(version: ProtocolVersion): string[] {
    return this.#protocols.get(version)?.suites.map((c) => c.code) ?? [];
  }

  suiteCount(version: ProtocolVersion): number {
    return this.#protocols.get(version)?.suites.length ?? 0;
  }

  preference(version: ProtocolVersion, preference: CipherPreference): void {
    this.protocol(version).preference = preference;
  }

  /** Puts the protocol's suites in the server's order; `codes` are IANA codes ("0xC02F"), best first. */
  order(version: ProtocolVersion, codes: readonly string[]): void {
    const draft = this.#protocols.get(version);
    if (!draft) return;
    const rank = (code: string) => {
      const i = codes.indexOf(code);
      return i === -1 ? codes.length : i;
    };
    draft.suites.sort((a, b) => rank(a.code) - rank(b.code));
  }

  /** Something worth keeping from the tool's output that no rule judges. */
  note(text: string): void {
    if (!this.#notes.includes(text)) this.#notes.push(text);
  }

  /** Something the user must hear (and the run keeps): evidence that could not be read or placed. */
  warn(text: string): void {
    this.note(text);
    if (!this.#warnings.includes(text)) this.#warnings.push(text);
  }

  error(text: string): void {
    this.#error ??= text;
  }

  grade(grade: string): void {
    this.#grade = grade;
  }

  /** The chain as the tool saw it, leaf first, with what the tool concluded about it. */
  certificate(observation: Omit<CertificateObservation, keyof Provenance>): void {
    if (observation.chain.length === 0) return;
    this.#certificate = { ...this.#provenance, ...observation };
  }

  /** The notices for the user: every warning, prefixed with the input and the target. */
  notices(): string[] {
    return this.#warnings.map((n) => `${this.#where}: ${n}`);
  }

  build(): TargetObservation {
    const { host, address, port, service, starttls } = this.target;
    const observation: TargetObservation = { host, port, sources: [this.#provenance.source], runs: [], protocols: [] };
    if (address !== undefined && address !== '') observation.address = address;
    // A tool given an address (sslscan 127.0.0.1:443) names no other: the host is the address.
    else if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) observation.address = host.replace(/^\[|\]$/g, '');
    if (service) observation.service = service;
    if (starttls) observation.starttls = starttls;
    for (const [version, draft] of [...this.#protocols].sort(([a], [b]) => compareProtocolVersions(a, b))) {
      const protocol: ProtocolObservation = { version, ciphers: draft.suites, evidence: [{ ...this.#provenance }] };
      if (draft.preference) protocol.cipherPreference = draft.preference;
      observation.protocols.push(protocol);
    }
    const leaf = this.#certificate?.chain[0];
    if (this.#certificate && leaf) {
      observation.certificates = [this.#certificate];
      const summary = certificateSummary(leaf);
      if (Object.keys(summary).length > 0) observation.certificate = summary;
    }
    const run: SourceRun = { ...this.#provenance };
    if (this.#grade) run.grade = this.#grade;
    if (this.#notes.length > 0) run.notes = [...this.#notes];
    const error = this.#error ?? (observation.protocols.length === 0 ? `${toolName(this.#provenance.source)} found no protocol enabled` : undefined);
    if (error !== undefined) {
      observation.error = error;
      run.error = error;
    }
    observation.runs.push(run);
    return observation;
  }
}

/** How the tools call themselves, for messages. */
const TOOL_NAMES: Partial<Record<SourceKind, string>> = { testssl: 'testssl.sh', ssllabs: 'SSL Labs' };

function toolName(source: SourceKind): string {
  return TOOL_NAMES[source] ?? source;
}

function placeSuite(version: ProtocolVersion, reported: ReportedSuite): { code: string; name: string } | undefined {
  if (version === 'SSLv2') {
    const n = typeof reported.code === 'string' ? parseInt(reported.code.replace(/^0?x/i, ''), 16) : reported.code;
    const spec = (n !== undefined && Number.isInteger(n) ? sslv2SpecByCode(n) : undefined) ?? (reported.name ? sslv2SpecByName(reported.name) : undefined);
    return spec ? { code: spec.hex, name: spec.name } : undefined;
  }
  if (reported.code !== undefined) {
    const n = typeof reported.code === 'number' ? reported.code : parseSuiteCode(reported.code.replace(/^x/i, ''));
    if (n !== undefined && n <= 0xffff) {
      const known = suiteByCode(n) ?? (reported.name ? suiteByName(reported.name) : undefined);
      return known ? { code: known.hex, name: known.name } : undefined;
    }
  }
  for (const name of [reported.name, ...(reported.aliases ?? [])]) {
    const known = name ? suiteByName(name) : undefined;
    if (known) return { code: known.hex, name: known.name };
  }
  return undefined;
}

export function certificateSummary(leaf: CertificateDetails): CertificateSummary {
  const summary: CertificateSummary = {};
  if (leaf.subject) summary.subject = leaf.subject;
  if (leaf.subjectAltNames?.length) summary.subjectAltNames = leaf.subjectAltNames;
  if (leaf.issuer) summary.issuer = leaf.issuer;
  if (leaf.notBefore) summary.notBefore = leaf.notBefore;
  if (leaf.notAfter) summary.notAfter = leaf.notAfter;
  if (leaf.keyType) summary.keyType = leaf.keyType;
  if (leaf.keyBits !== undefined) summary.keyBits = leaf.keyBits;
  if (leaf.signatureAlgorithm) summary.signatureAlgorithm = leaf.signatureAlgorithm;
  if (leaf.fingerprintSha256) summary.fingerprintSha256 = leaf.fingerprintSha256;
  return summary;
}

/** Whole days from `at` to `notAfter`, rounded down (negative once expired); undefined when either is unreadable. */
export function validityFacts(leaf: CertificateDetails, at: string | undefined): Pick<CertificateObservation, 'checkedAt' | 'expired' | 'notYetValid' | 'daysLeft'> {
  const when = at === undefined ? NaN : Date.parse(at);
  if (Number.isNaN(when)) return {};
  const facts: Pick<CertificateObservation, 'checkedAt' | 'expired' | 'notYetValid' | 'daysLeft'> = { checkedAt: new Date(when).toISOString() };
  const notAfter = leaf.notAfter === undefined ? NaN : Date.parse(leaf.notAfter);
  const notBefore = leaf.notBefore === undefined ? NaN : Date.parse(leaf.notBefore);
  if (!Number.isNaN(notAfter)) {
    facts.expired = notAfter < when;
    facts.daysLeft = Math.floor((notAfter - when) / 86_400_000);
  }
  if (!Number.isNaN(notBefore)) facts.notYetValid = notBefore > when;
  return facts;
}

/** A date as a tool prints it ("2026-12-09 00:28", "Dec  9 00:28:32 2026 GMT", "2026-12-09T00:28:32") in ISO 8601, or undefined. */
export function toIsoDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text.trim();
  const plain = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  const candidate = plain ? `${plain[1]}T${plain[2]}${plain[3] ?? ':00'}${plain[4] ?? 'Z'}` : t.replace(/\s+GMT$/, ' UTC');
  const ms = Date.parse(candidate);
  if (Number.isNaN(ms)) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
