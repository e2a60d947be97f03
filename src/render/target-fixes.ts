import type { PolicyRef, Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import { compilePolicy } from '../policy/compile-policy.js';
import type { Policy } from '../policy/policy.js';
import { SERVER_KINDS, SERVER_LABELS, type Advice, type ServerKind } from '../remediation/advice.js';
import { adviceFor, type PolicyAdvice } from '../remediation/remediate.js';
import { policyRefs, verdictFor } from './report-view.js';

/** What to change on one target to meet one policy it fails or warns under. */
export interface TargetFix {
  ref: PolicyRef;
  /** The report's verdict under the policy (under --strict a deprecated setting is already a failure). */
  status: 'fail' | 'warn';
  advice: PolicyAdvice;
  /** The advice grouped by server software, in SERVER_KINDS order, servers without advice left out. */
  servers: Array<{ server: ServerKind; label: string; items: Advice[] }>;
}

/**
 * The "how to fix" part of the markdown and html reports: for each target that fails or warns, per
 * policy, the approved suites to enable and the per-server changes, generated from the target's own
 * observations. Pure: it uses only the report and the policy documents given. A policy whose document
 * is not given gets no advice (its rules are unknown, as for the rule text), and neither does a target
 * that could not be assessed.
 */
export function targetFixes(report: Report, policies: readonly Policy[] = []): (target: Target) => TargetFix[] {
  const refs = policyRefs(report);
  const compiled = refs.flatMap((ref) => {
    const doc = policies.find((p) => p.id === ref.id);
    return doc ? [compilePolicy(doc)] : [];
  });
  return (target) => {
    if (compiled.length === 0 || target.error !== undefined) return [];
    return adviceFor(target, compiled).flatMap((advice): TargetFix[] => {
      const status = verdictFor(report, target, advice.policy)?.status;
      const ref = refs.find((r) => r.id === advice.policy);
      if (!ref || (status !== 'fail' && status !== 'warn')) return [];
      if (advice.advice.length === 0 && advice.enableSuites.length === 0) return [];
      const servers = SERVER_KINDS.map((server) => ({
        server,
        label: SERVER_LABELS[server],
        items: advice.advice.filter((a) => a.server === server),
      })).filter((s) => s.items.length > 0);
      return [{ ref, status, advice, servers }];
    });
  };
}
