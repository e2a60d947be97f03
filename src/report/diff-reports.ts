import { compareProtocolVersions, type ProtocolVersion } from '../model/protocol-version.js';
import type { PolicyRef, Report, Summary } from '../model/report.js';
import type { Target, TargetObservation } from '../model/target.js';
import type { Severity, Status } from '../model/verdict.js';
import { compareText } from './canonical.js';
import { compareTargets, mergeTargetObservations, toObservation } from './merge-reports.js';
import { groupTargets } from './target-identity.js';

/**
 * How bad a status is, for telling regressions. `error` ranks above `warn`: a target that could be judged
 * and now cannot has lost its evidence of compliance. `fail` stays the worst, and a move between `fail`
 * and `error` is neither better nor worse (see statusMovement).
 */
export const STATUS_RANK: Readonly<Record<Status, number>> = { pass: 0, warn: 1, error: 2, fail: 3 };

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { fail: 0, warn: 1, info: 2 };

export type Movement = 'worse' | 'better' | 'same' | 'unknown';

/**
 * An added target is measured against `pass` (a new server that does not pass is a regression); a removed
 * target is never a regression (`unknown`). fail → error and error → fail are `unknown` too: neither says
 * more than the other about compliance.
 */
export function statusMovement(from: Status | undefined, to: Status | undefined): Movement {
  if (to === undefined) return from === undefined ? 'same' : 'unknown';
  const before = from ?? 'pass';
  if (before === to) return 'same';
  if ((before === 'fail' && to === 'error') || (before === 'error' && to === 'fail')) return 'unknown';
  return STATUS_RANK[to] > STATUS_RANK[before] ? 'worse' : 'better';
}

export interface StatusChange {
  policy: string;
  old?: Status;
  new?: Status;
  movement: Movement;
}

export interface SuiteChange {
  protocol: ProtocolVersion;
  code: string;
  name: string;
}

export interface FindingChange {
  policy: string;
  rule: string;
  severity: Severity;
  message: string;
}

export interface TargetDiff {
  host: string;
  address?: string;
  port: number;
  change: 'added' | 'removed' | 'changed';
  /** One entry per policy both reports (or the one holding the target) judged it by; the first is the main policy. */
  status: StatusChange[];
  protocols: { added: ProtocolVersion[]; removed: ProtocolVersion[] };
  suites: { added: SuiteChange[]; removed: SuiteChange[] };
  findings: { added: FindingChange[]; removed: FindingChange[] };
  /** Why the target could not be assessed in the new report (for a removed target: in the old one). */
  error?: string;
}

export interface ReportSide {
  generatedAt?: string;
  policy: PolicyRef;
  summary: Summary;
  targets: number;
}

export interface ReportDiff {
  old: ReportSide;
  new: ReportSide;
  /** Targets that appeared, disappeared or changed; unchanged targets are left out. */
  targets: TargetDiff[];
  summary: { added: number; removed: number; changed: number; unchanged: number; worse: number; better: number };
  /** True when any target's status got worse under any policy: the CI gate. */
  worsened: boolean;
}

interface Side {
  observation: TargetObservation;
  verdicts: Map<string, { status: Status; findings: FindingChange[] }>;
}

function verdictsOf(report: Report, target: Target): Array<{ policy: string; status: Status; findings: Target['verdict']['findings'] }> {
  if (target.verdicts && target.verdicts.length > 0) return target.verdicts;
  return [{ policy: report.policy.id, status: target.verdict.status, findings: target.verdict.findings }];
}

function worst(a: Status, b: Status): Status {
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

/** One side of a target: its members merged (normally one), their verdicts combined, worst status kept. */
function side(report: Report, members: readonly Target[]): Side | undefined {
  if (members.length === 0) return undefined;
  const verdicts = new Map<string, { status: Status; findings: FindingChange[] }>();
  for (const t of members) {
    for (const v of verdictsOf(report, t)) {
      const entry = verdicts.get(v.policy) ?? { status: v.status, findings: [] };
      entry.status = worst(entry.status, v.status);
      for (const f of v.findings) {
        if (f.severity === 'info') continue;
        if (!entry.findings.some((e) => e.rule === f.rule && e.severity === f.severity)) {
          entry.findings.push({ policy: v.policy, rule: f.rule, severity: f.severity, message: f.message });
        }
      }
      verdicts.set(v.policy, entry);
    }
  }
  return { observation: mergeTargetObservations(members.map(toObservation)), verdicts };
}

function suitesOf(o: TargetObservation): Map<string, SuiteChange> {
  const map = new Map<string, SuiteChange>();
  for (const p of o.protocols) for (const c of p.ciphers) map.set(`${p.version} ${c.code}`, { protocol: p.version, code: c.code, name: c.name });
  return map;
}

function minus<T>(a: Map<string, T>, b: Map<string, T>): T[] {
  return [...a.entries()].filter(([k]) => !b.has(k)).map(([, v]) => v);
}

function compareSuites(a: SuiteChange, b: SuiteChange): number {
  return compareProtocolVersions(a.protocol, b.protocol) || compareText(a.code, b.code);
}

function policyOrder(oldReport: Report, newReport: Report): string[] {
  const ids = [...(newReport.policies ?? [newReport.policy]), ...(oldReport.policies ?? [oldReport.policy])].map((p) => p.id);
  return [...new Set(ids)];
}

function diffTarget(
  policies: readonly string[],
  base: TargetObservation,
  before: Side | undefined,
  after: Side | undefined,
): TargetDiff | undefined {
  const status: StatusChange[] = [];
  for (const policy of policies) {
    const o = before?.verdicts.get(policy)?.status;
    const n = after?.verdicts.get(policy)?.status;
    if (o === undefined && n === undefined) continue;
    // A policy only one report judged by is no movement of the target: compare like with like.
    const movement = before && after && (o === undefined || n === undefined) ? 'same' : statusMovement(o, n);
    status.push({ policy, ...(o !== undefined && { old: o }), ...(n !== undefined && { new: n }), movement });
  }
  const protoOld = new Set(before?.observation.protocols.map((p) => p.version) ?? []);
  const protoNew = new Set(after?.observation.protocols.map((p) => p.version) ?? []);
  const suitesOld = before ? suitesOf(before.observation) : new Map<string, SuiteChange>();
  const suitesNew = after ? suitesOf(after.observation) : new Map<string, SuiteChange>();
  const findingKey = (f: FindingChange) => `${f.policy} ${f.rule} ${f.severity}`;
  const findingsOf = (s: Side | undefined) =>
    new Map((s ? [...s.verdicts.values()].flatMap((v) => v.findings) : []).map((f) => [findingKey(f), f]));
  const findingsOld = findingsOf(before);
  const findingsNew = findingsOf(after);
  const compareFindings = (a: FindingChange, b: FindingChange) =>
        policies.indexOf(a.policy) - policies.indexOf(b.policy) || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || compareText(a.rule, b.rule);
  const diff: TargetDiff = {
    host: base.host,
    ...(base.address !== undefined && { address: base.address }),
    port: base.port,
    change: !before ? 'added' : !after ? 'removed' : 'changed',
    status,
    protocols: {
      added: [...protoNew].filter((v) => !protoOld.has(v)).sort(compareProtocolVersions),
      removed: [...protoOld].filter((v) => !protoNew.has(v)).sort(compareProtocolVersions),
    },
    suites: { added: minus(suitesNew, suitesOld).sort(compareSuites), removed: minus(suitesOld, suitesNew).sort(compareSuites) },
    findings: {
      added: minus(findingsNew, findingsOld).sort(compareFindings),
      removed: minus(findingsOld, findingsNew).sort(compareFindings),
    },
  };
  // A target that recovered shows no error: the old one is history, and the status change says so.
  const error = after ? after.observation.error : before?.observation.error;
  if (error !== undefined) diff.error = error;
  const changed =
    diff.change !== 'changed' ||
    status.some((s) => s.old !== s.new && s.old !== undefined && s.new !== undefined) ||
    diff.protocols.added.length + diff.protocols.removed.length > 0 ||
    diff.suites.added.length + diff.suites.removed.length > 0 ||
    diff.findings.added.length + diff.findings.removed.length > 0;
  return changed ? diff : undefined;
}

function reportSide(report: Report): ReportSide {
  return {
    ...(report.generatedAt !== undefined && { generatedAt: report.generatedAt }),
    policy: report.policy,
    summary: report.summary,
    targets: report.targets.length,
  };
}

/**
 * What changed between two reports, per target: targets, protocols, suites and failing or deprecated
 * findings that appeared or disappeared, and how each policy's status moved. Targets are matched as a
 * merge joins them (address and port, else name and port). Pure.
 */
export function diffReports(oldReport: Report, newReport: Report): ReportDiff {
  const all = [...oldReport.targets.map((t) => ({ t, old: true })), ...newReport.targets.map((t) => ({ t, old: false }))];
  const policies = policyOrder(oldReport, newReport);
  const targets: TargetDiff[] = [];
  let unchanged = 0;
  for (const group of groupTargets(all.map((e) => e.t))) {
    const members = group.map((i) => all[i]!);
    const before = side(oldReport, members.filter((m) => m.old).map((m) => m.t));
    const after = side(newReport, members.filter((m) => !m.old).map((m) => m.t));
    // Named from both sides, so the label does not depend on which report came first.
    const base = mergeTargetObservations(members.map((m) => toObservation(m.t)));
    const d = diffTarget(policies, base, before, after);
    if (d) targets.push(d);
    else unchanged += 1;
  }
  targets.sort((a, b) => compareTargets({ ...a, sources: [], runs: [], protocols: [] }, { ...b, sources: [], runs: [], protocols: [] }));
  const moved = (m: Movement) => targets.filter((t) => t.status.some((s) => s.movement === m)).length;
  return {
    old: reportSide(oldReport),
    new: reportSide(newReport),
    targets,
    summary: {
      added: targets.filter((t) => t.change === 'added').length,
      removed: targets.filter((t) => t.change === 'removed').length,
      changed: targets.filter((t) => t.change === 'changed').length,
      unchanged,
      worse: moved('worse'),
      better: moved('better'),
    },
    worsened: targets.some((t) => t.status.some((s) => s.movement === 'worse')),
  };
}
