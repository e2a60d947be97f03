import type { PolicyRef, Report, SkippedPort, Summary } from '../model/report.js';
import type { SourceKind } from '../model/source.js';
import type { CipherObservation, PolicyVerdict, Target } from '../model/target.js';
import type { Finding, Severity, Status } from '../model/verdict.js';
import { ENGINE_RULES } from '../policy/evaluate.js';
import type { Policy } from '../policy/policy.js';
import { endpointLabel } from '../report/target-identity.js';

/** What the formats that name rules (matrix, JUnit, SARIF) know about a rule. */
export interface RuleView {
  id: string;
  title: string;
  severity: Severity;
  rationale?: string;
  /** False for a rule known only because a finding named it (no policy document at hand). */
  documented: boolean;
}

export interface PolicyView {
  ref: PolicyRef;
  description?: string;
  quote?: string;
  rules: RuleView[];
}

const ENGINE_RULE_IDS: readonly string[] = Object.values(ENGINE_RULES);

/** "1 target", "3 targets". */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function isEngineRule(rule: string): boolean {
  return ENGINE_RULE_IDS.includes(rule);
}

/** Every policy a report was judged by, the main one first. */
export function policyRefs(report: Report): PolicyRef[] {
  return report.policies && report.policies.length > 0 ? report.policies : [report.policy];
}

/** A target's verdict under every policy of the report, in the report's policy order. */
export function targetVerdicts(report: Report, target: Target): PolicyVerdict[] {
  if (target.verdicts && target.verdicts.length > 0) return target.verdicts;
  return [{ policy: report.policy.id, ...target.verdict }];
}

export function verdictFor(report: Report, target: Target, policy: string): PolicyVerdict | undefined {
  return targetVerdicts(report, target).find((v) => v.policy === policy);
}

/**
 * The policies with their rules. Rule text comes from the policy documents when the caller passes them;
 * without them, the rules are those the findings name, which is all the report itself records.
 */
export function policyViews(report: Report, policies: readonly Policy[] = []): PolicyView[] {
  return policyRefs(report).map((ref) => {
    const doc = policies.find((p) => p.id === ref.id);
    if (doc) {
      const view: PolicyView = {
        ref,
        rules: doc.rules.map((r) => ({
          id: r.id,
          title: r.title ?? r.id,
          severity: r.severity,
          ...(r.rationale !== undefined && { rationale: r.rationale }),
          documented: true,
        })),
      };
      if (doc.description !== undefined) view.description = doc.description;
      if (doc.source?.quote !== undefined) view.quote = doc.source.quote;
      return view;
    }
    const rules = new Map<string, RuleView>();
    for (const t of report.targets) {
      for (const f of verdictFor(report, t, ref.id)?.findings ?? []) {
        if (isEngineRule(f.rule) || rules.has(f.rule)) continue;
        rules.set(f.rule, { id: f.rule, title: f.rule, severity: f.severity === 'info' ? 'info' : f.severity, documented: false });
      }
    }
    return { ref, rules: [...rules.values()] };
  });
}

/** How one rule came out for one target: the worst severity of its findings, or `error` when unassessed. */
export function ruleStatus(verdict: Pick<PolicyVerdict, 'status' | 'findings'>, rule: string): Status {
  if (verdict.status === 'error') return 'error';
  const severities = verdict.findings.filter((f) => f.rule === rule).map((f) => f.severity);
  if (severities.includes('fail')) return 'fail';
  if (severities.includes('warn')) return 'warn';
  return 'pass';
}

/** Counts per status under one policy. */
export function summaryFor(report: Report, policy: string): Summary {
  const summary: Summary = { pass: 0, warn: 0, fail: 0, error: 0 };
  for (const t of report.targets) {
    const v = verdictFor(report, t, policy);
    if (v) summary[v.status] += 1;
  }
  return summary;
}

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { fail: 0, warn: 1, info: 2 };

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/**
 * The findings to list for a target, each with its policy. Policy rules come from every verdict; engine
 * findings (the assessment error) are the same under every policy, so they come once, and source
 * disagreements are left to the target's own disagreements list.
 */
export function displayFindings(report: Report, target: Target): Array<{ policy: string; finding: Finding }> {
  return targetVerdicts(report, target).flatMap((v, i) =>
    sortFindings(v.findings)
      .filter((f) => f.rule !== ENGINE_RULES.sourceDisagreement && (i === 0 || !isEngineRule(f.rule)))
      .map((finding) => ({ policy: v.policy, finding })),
  );
}

export function endpoint(target: Pick<Target, 'host' | 'port'>): string {
  return endpointLabel(target);
}

/** The sources that saw a suite, in evidence order, each once. */
export function suiteSources(cipher: CipherObservation): SourceKind[] {
  return [...new Set(cipher.evidence.map((e) => e.source))];
}

/**
 * The sources that saw a suite, each marked "(protocol inferred)" when that source never named the
 * protocol and tlsaudit attributed the suite to it (SSL Labs API v2).
 */
export function suiteSourceLabels(cipher: CipherObservation): string[] {
  return suiteSources(cipher).map((source) => {
    const evidence = cipher.evidence.filter((e) => e.source === source);
    return evidence.every((e) => e.inferred === true) ? `${source} (protocol inferred)` : source;
  });
}

/** The report's skipped ports, none when it has none. */
export function skippedPorts(report: Report): SkippedPort[] {
  return report.skipped ?? [];
}

/** "host:80 (http)". */
export function skippedLabel(s: SkippedPort): string {
  return `${endpointLabel(s)}${s.service ? ` (${s.service})` : ''}`;
}

/** "1 open port skipped (no TLS service)", empty when none. */
export function skippedSummary(report: Report): string {
  const n = skippedPorts(report).length;
  return n === 0 ? '' : `${counted(n, 'open port')} skipped (no TLS service)`;
}

/** Distinct observation times of a suite, oldest first. */
export function suiteTimes(cipher: CipherObservation): string[] {
  return [...new Set(cipher.evidence.map((e) => e.observedAt).filter((t): t is string => t !== undefined))].sort();
}

/** "TLS 1.2" for "TLSv1.2": how people write it. */
export function protocolLabel(version: string): string {
  return version.replace('TLSv', 'TLS ').replace('SSLv', 'SSL ');
}

/** Cipher names for the codes a finding cites, from the target's own observations. */
export function cipherNames(target: Target, codes: readonly string[]): string[] {
  const names = new Map<string, string>();
  for (const p of target.protocols) for (const c of p.ciphers) names.set(c.code, c.name);
  return codes.map((code) => names.get(code) ?? code);
}

export function policyTitle(ref: PolicyRef): string {
  return `${ref.name} (${ref.id}${ref.version ? `, ${ref.version}` : ''})`;
}
