import type { Target } from '../model/target.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import { endpointLabel } from '../report/target-identity.js';
import type { ServerKind } from './advice.js';
import { formatAdvice, suiteLabel } from './format-advice.js';
import { adviceFor, type PolicyAdvice } from './remediate.js';
import { protocolList } from './servers/common.js';

/** Rules of one policy that require a protocol another policy's advice turns off. */
export function policyConflicts(advice: readonly PolicyAdvice[], policies: readonly CompiledPolicy[]): string[] {
  const out: string[] = [];
  for (const a of advice) {
    for (const p of policies) {
      if (p.policy.id === a.policy) continue;
      // A requirement another version also meets (Dataverse's "TLS 1.3/1.2") clashes only when the plan keeps none of them.
      const required = p.rules.flatMap(({ rule }) =>
        rule.type === 'require-protocol' && rule.severity === 'fail' && !rule.alternatives?.some((v) => a.plan.protocols.includes(v)) ? [rule.protocol] : [],
      );
      const clash = a.plan.disableProtocols.filter((v) => required.includes(v));
      if (clash.length > 0) out.push(`${a.policy} turns off ${protocolList(clash)}, which ${p.policy.id} requires: these policies cannot both be met.`);
    }
  }
  return out;
}

/** The text `tlsaudit explain` prints for one target: findings, suites to enable, changes per server. */
export function explainTarget(target: Target, policies: readonly CompiledPolicy[], servers: readonly ServerKind[], options: { windowsVersion?: string } = {}): string {
  const lines: string[] = [];
  const address = target.address && target.address !== target.host ? ` (${target.address})` : '';
  lines.push(`${endpointLabel(target)}${address}${target.starttls ? ` [STARTTLS ${target.starttls}]` : ''}`);
  if (target.error !== undefined) {
    lines.push(`  Could not be assessed: ${target.error}`, '  Nothing to advise until it can be.');
    return `${lines.join('\n')}\n`;
  }
  const all = adviceFor(target, policies, { servers, ...(options.windowsVersion !== undefined && { windowsVersion: options.windowsVersion }) });
  for (const pa of all) {
    lines.push(`  ${pa.policyName} (${pa.policy}): ${pa.status.toUpperCase()}`);
    if (pa.plan.findings.length === 0) {
      lines.push('    Meets the policy; nothing to change.');
      continue;
    }
    for (const f of pa.plan.findings) lines.push(`    ${f.severity.toUpperCase().padEnd(4)} ${f.rule}: ${f.message}`);
    if (pa.enableSuites.length > 0) {
      lines.push('    Approved suites to enable (any one is enough where the policy asks for one):');
      for (const s of pa.enableSuites) lines.push(`      ${suiteLabel(s)}`);
    }
    const text = formatAdvice(pa.advice, '    ');
    if (text) lines.push('    What to change:', text.trimEnd());
  }
  for (const c of policyConflicts(all, policies)) lines.push(`  Note: ${c}`);
  return `${lines.join('\n')}\n`;
}

