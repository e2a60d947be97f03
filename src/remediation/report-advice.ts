import type { Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import { compilePolicy, type CompiledPolicy } from '../policy/compile-policy.js';
import { builtinPolicyIds, loadPolicy } from '../policy/load-policy.js';
import type { Policy } from '../policy/policy.js';
import { adviceFor, type PolicyAdvice, type RemediateOptions } from './remediate.js';

const builtins = new Map<string, CompiledPolicy>();

function builtin(id: string): CompiledPolicy | undefined {
  if (!builtins.has(id)) {
    if (!builtinPolicyIds().includes(id)) return undefined;
    builtins.set(id, compilePolicy(loadPolicy(id)));
  }
  return builtins.get(id);
}

/**
 * Advice for one target of a report under each of the report's policies, for renderers that hold only
 * the report: the policies come from `policies` when given (a custom policy file), else from the
 * built-in ones by id; a policy that is neither is skipped.
 */
export function adviceForReportTarget(
  report: Pick<Report, 'policy' | 'policies'>,
  target: Target,
  options: RemediateOptions & { policies?: readonly Policy[] } = {},
): PolicyAdvice[] {
  const given = new Map((options.policies ?? []).map((p) => [p.id, p]));
  const refs = report.policies ?? [report.policy];
  const policies = refs.flatMap((ref) => {
    const p = given.get(ref.id);
    const compiled = p ? compilePolicy(p) : builtin(ref.id);
    return compiled ? [compiled] : [];
  });
  return adviceFor(target, policies, options.servers ? { servers: options.servers } : {});
}
