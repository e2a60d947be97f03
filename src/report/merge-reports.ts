import { isIP } from 'node:net';
import { compareProtocolVersions, type ProtocolVersion } from '../model/protocol-version.js';
import type { Report } from '../model/report.js';
import { SOURCE_KINDS, type Provenance, type SourceKind } from '../model/source.js';
import type {
  CertificateSummary,
  CipherObservation,
  CipherPreference,
  Disagreement,
  ProtocolObservation,
  SourceRun,
  SuiteEvidence,
  Target,
  TargetObservation,
} from '../model/target.js';
import type { Policy } from '../policy/policy.js';
import { buildReport, type ReportOptions } from './build-report.js';
import { canonicalJson, compareText, uniqueBy } from './canonical.js';
import { addressOf, groupTargets } from './target-identity.js';

export type MergeOptions = ReportOptions;

/** A report's target without what a policy said about it: the observation a merge starts from. */
export function toObservation(target: Target | TargetObservation): TargetObservation {
  const { verdict: _v, verdicts: _vs, disagreements: _d, ...observation } = target as Target;
  return observation;
}

const sourceRank = (s: SourceKind) => SOURCE_KINDS.indexOf(s);

function sortSources(sources: Iterable<SourceKind>): SourceKind[] {
  return [...new Set(sources)].sort((a, b) => sourceRank(a) - sourceRank(b));
}

function compareProvenance(a: Provenance, b: Provenance): number {
  return sourceRank(a.source) - sourceRank(b.source) || compareText(a.observedAt, b.observedAt) || compareText(a.origin, b.origin);
}

/**
 * One entry per source, time and origin: the same scan read twice is one piece of evidence. When two
 * entries share that key but differ in detail, the one with the smaller canonical text is kept, so the
 * choice does not depend on input order.
 */
function dedupeEvidence<T extends Provenance>(items: Iterable<T>): T[] {
  const byKey = new Map<string, { item: T; text: string }>();
  for (const item of items) {
    const key = canonicalJson([item.source, item.observedAt ?? null, item.origin ?? null]);
    const text = canonicalJson(item);
    const seen = byKey.get(key);
    if (!seen || text < seen.text) byKey.set(key, { item, text });
  }
  return [...byKey.values()]
    .sort((a, b) => compareProvenance(a.item, b.item) || compareText(a.text, b.text))
    .map((e) => e.item);
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareText);
}

function minDefined(values: Iterable<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const v of values) if (v !== undefined && (best === undefined || v < best)) best = v;
  return best;
}

/** The contributor whose server-preference order the merged protocol keeps: the earliest by provenance. */
function preferenceOrder(contributors: readonly ProtocolObservation[]): string[] | undefined {
  const ordered = contributors
    .filter((p) => p.cipherPreference === 'server' && p.ciphers.length > 0)
    .map((p) => ({ first: dedupeEvidence(p.evidence)[0], codes: p.ciphers.map((c) => c.code) }))
    .sort(
      (a, b) =>
        (a.first && b.first ? compareProvenance(a.first, b.first) : 0) ||
        compareText(canonicalJson(a.codes), canonicalJson(b.codes)),
    );
  return ordered[0]?.codes;
}

function mergedPreference(contributors: readonly ProtocolObservation[]): CipherPreference | undefined {
  const seen = new Set(contributors.map((p) => p.cipherPreference));
  for (const p of ['server', 'client', 'indeterminate'] as const) if (seen.has(p)) return p;
  return undefined;
}

function mergeCiphers(contributors: readonly ProtocolObservation[]): CipherObservation[] {
  const byCode = new Map<string, { names: string[]; evidence: SuiteEvidence[] }>();
  for (const p of contributors) {
    for (const c of p.ciphers) {
      const entry = byCode.get(c.code) ?? { names: [], evidence: [] };
      entry.names.push(c.name);
      entry.evidence.push(...c.evidence);
      byCode.set(c.code, entry);
    }
  }
  const order = preferenceOrder(contributors) ?? [];
  const rank = (code: string) => {
    const i = order.indexOf(code);
    return i === -1 ? order.length : i;
  };
  return [...byCode.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || compareText(a, b))
    .map(([code, e]) => ({ code, name: minDefined(e.names)!, evidence: dedupeEvidence(e.evidence) }));
}

function mergeProtocols(members: readonly TargetObservation[]): ProtocolObservation[] {
  const byVersion = new Map<ProtocolVersion, ProtocolObservation[]>();
  for (const m of members) {
    for (const p of m.protocols) {
      const list = byVersion.get(p.version);
      if (list) list.push(p);
      else byVersion.set(p.version, [p]);
    }
  }
  return [...byVersion.entries()]
    .sort(([a], [b]) => compareProtocolVersions(a, b))
    .map(([version, contributors]) => {
      const merged: ProtocolObservation = { version, ciphers: mergeCiphers(contributors), evidence: [] };
      const preference = mergedPreference(contributors);
      if (preference !== undefined) merged.cipherPreference = preference;
      merged.evidence = dedupeEvidence(contributors.flatMap((p) => p.evidence));
      const warnings = sortedUnique(contributors.flatMap((p) => p.warnings ?? []));
      if (warnings.length > 0) merged.warnings = warnings;
      // Strength letters run A (best) to F; the merged protocol is as weak as its weakest observation.
      const strengths = contributors.map((p) => p.leastStrength).filter((s): s is string => s !== undefined);
      if (strengths.length > 0) merged.leastStrength = strengths.sort(compareText).at(-1)!;
      const compressors = sortedUnique(contributors.flatMap((p) => p.compressors ?? []));
      if (compressors.length > 0) merged.compressors = compressors;
      return merged;
    });
}

function mergeRuns(members: readonly TargetObservation[]): SourceRun[] {
  return uniqueBy(
    members.flatMap((m) => m.runs ?? []),
    canonicalJson,
  ).sort((a, b) => compareProvenance(a, b) || compareText(canonicalJson(a), canonicalJson(b)));
}

/** The most complete certificate summary; ties go to the smaller canonical text. */
function pickCertificate(members: readonly TargetObservation[]): CertificateSummary | undefined {
  const certs = members.map((m) => m.certificate).filter((c): c is CertificateSummary => c !== undefined);
  return certs
    .map((c) => ({ c, keys: Object.keys(c).length, text: canonicalJson(c) }))
    .sort((a, b) => b.keys - a.keys || compareText(a.text, b.text))[0]?.c;
}

/**
 * Sources that assessed the target: a source whose every run on it failed did not, and its silence about
 * a protocol says nothing.
 */
function assessingSources(members: readonly TargetObservation[]): SourceKind[] {
  const ok = new Set<SourceKind>();
  for (const m of members) {
    if (m.error !== undefined) continue;
    for (const s of m.sources) {
      const runs = (m.runs ?? []).filter((r) => r.source === s);
      if (runs.length === 0 || runs.some((r) => r.error === undefined)) ok.add(s);
    }
  }
  return sortSources(ok);
}

function list(sources: readonly SourceKind[]): string {
  if (sources.length <= 1) return sources.join('');
  return `${sources.slice(0, -1).join(', ')} and ${sources.at(-1)}`;
}

/** Where sources that both assessed the target saw different protocols or suites. */
export function findDisagreements(
  protocols: readonly ProtocolObservation[],
  assessing: readonly SourceKind[],
): Disagreement[] {
  if (assessing.length < 2) return [];
  const out: Disagreement[] = [];
  const among = (sources: Iterable<SourceKind>, pool: readonly SourceKind[]) =>
    sortSources([...sources].filter((s) => pool.includes(s)));
  for (const p of protocols) {
    const saw = among(
      p.evidence.map((e) => e.source),
      assessing,
    );
    if (saw.length === 0) continue;
    const missing = assessing.filter((s) => !saw.includes(s));
    if (missing.length > 0) {
      out.push({
        message: `${list(saw)} saw ${p.version} enabled; ${list(missing)} did not.`,
        sources: [...assessing],
        protocols: [p.version],
      });
    }
    if (saw.length < 2) continue;
    const groups = new Map<string, { saw: SourceKind[]; missing: SourceKind[]; ciphers: CipherObservation[] }>();
    for (const c of p.ciphers) {
      const cSaw = among(
        c.evidence.map((e) => e.source),
        saw,
      );
      const cMissing = saw.filter((s) => !cSaw.includes(s));
      if (cSaw.length === 0 || cMissing.length === 0) continue;
      const key = `${cSaw.join(',')}|${cMissing.join(',')}`;
      const g = groups.get(key) ?? { saw: cSaw, missing: cMissing, ciphers: [] };
      g.ciphers.push(c);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const ciphers = [...g.ciphers].sort((a, b) => compareText(a.code, b.code));
      const n = ciphers.length;
      out.push({
        message: `${list(g.saw)} saw ${n} ${n === 1 ? 'suite' : 'suites'} with ${p.version} that ${list(g.missing)} did not: ${ciphers.map((c) => c.name).join(', ')}.`,
        sources: [...saw],
        protocols: [p.version],
        ciphers: ciphers.map((c) => c.code),
      });
    }
  }
  const versionOf = (d: Disagreement) => d.protocols?.[0];
  return out.sort(
    (a, b) => compareProtocolVersions(versionOf(a)!, versionOf(b)!) || compareText(a.message, b.message),
  );
}

function isAddressLiteral(host: string): boolean {
  return isIP(host.replace(/^\[|\]$/g, '')) !== 0;
}

/** Observations of one server by several sources (or runs) folded into one. */
export function mergeTargetObservations(members: readonly TargetObservation[]): TargetObservation {
  const first = members[0];
  if (!first) throw new Error('mergeTargetObservations needs at least one observation');
  const address = minDefined(members.map((m) => (m.address !== undefined && m.address !== '' ? m.address : undefined)));
  // The name a person gave beats the address it resolved to.
  const host =
    minDefined(members.map((m) => (isAddressLiteral(m.host) ? undefined : m.host))) ??
    minDefined(members.map((m) => m.host))!;
  const merged: TargetObservation = { host, port: first.port, sources: [], runs: [], protocols: [] };
  if (address !== undefined) merged.address = address;
  const service = minDefined(members.map((m) => m.service));
  if (service !== undefined) merged.service = service;
  const starttls = minDefined(members.map((m) => m.starttls));
  if (starttls !== undefined) merged.starttls = starttls;
  merged.sources = sortSources(members.flatMap((m) => m.sources));
  merged.runs = mergeRuns(members);
  merged.protocols = mergeProtocols(members);
  const certificate = pickCertificate(members);
  if (certificate) merged.certificate = { ...certificate };
  // A target is unassessed only when no source could assess it; one success is enough to judge it.
  if (members.every((m) => m.error !== undefined)) merged.error = sortedUnique(members.map((m) => m.error!)).join('; ');
  const disagreements = findDisagreements(merged.protocols, assessingSources(members));
  if (disagreements.length > 0) merged.disagreements = disagreements;
  return merged;
}

/** Orders targets by host, port and address, so merged reports do not depend on input order. */
export function compareTargets(a: TargetObservation, b: TargetObservation): number {
  return compareText(a.host, b.host) || a.port - b.port || compareText(addressOf(a), addressOf(b));
}

/** Joins observations of the same server (see groupTargets) and merges each group. */
export function mergeObservations(observations: readonly (Target | TargetObservation)[]): TargetObservation[] {
  const plain = observations.map(toObservation);
  return groupTargets(plain)
    .map((group) => mergeTargetObservations(group.map((i) => plain[i]!)))
    .sort(compareTargets);
}

/**
 * The same targets in the same order as mergeObservations, merged one group at a time as they are read,
 * and each input observation let go (its slot in `observations` emptied) once its group is merged: a
 * streamed report of a million targets then holds the inputs, not the inputs and all merged copies too.
 */
export function* mergeObservationsOneByOne(observations: Array<TargetObservation | undefined>): Generator<TargetObservation> {
  const at = (i: number): TargetObservation => observations[i]!;
  // What compareTargets would compare on each group's merged target, known before merging it.
  const keyed = groupTargets(observations as TargetObservation[]).map((group) => {
    const members = group.map(at);
    const host = minDefined(members.map((m) => (isAddressLiteral(m.host) ? undefined : m.host))) ?? minDefined(members.map((m) => m.host))!;
    const address = minDefined(members.map((m) => (m.address !== undefined && m.address !== '' ? m.address : undefined)));
    const key: TargetObservation = { host, port: members[0]!.port, sources: [], runs: [], protocols: [] };
    if (address !== undefined) key.address = address;
    return { group, key };
  });
  keyed.sort((a, b) => compareTargets(a.key, b.key));
  for (const { group } of keyed) {
    const merged = mergeTargetObservations(group.map(at));
    for (const i of group) observations[i] = undefined;
    yield merged;
  }
}

/**
 * Several reports in, one report out: targets joined on identity, observations unioned with their
 * provenance, disagreements between sources recorded, and every target judged again under `policies`.
 * Pure; idempotent (a report merged with itself is the report merged alone) and independent of input order.
 */
export function mergeReports(reports: readonly Report[], policies: readonly Policy[], options: MergeOptions = {}): Report {
  const observations = mergeObservations(reports.flatMap((r) => r.targets));
  const notices = sortedUnique([...reports.flatMap((r) => r.notices ?? []), ...(options.notices ?? [])]);
  return buildReport(observations, policies, { ...options, notices });
}
