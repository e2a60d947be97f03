import type { TargetObservation } from '../model/target.js';
import type { Verdict } from '../model/verdict.js';
import { compilePolicy, type CompiledPolicy } from '../policy/compile-policy.js';
import type { Policy } from '../policy/policy.js';
import { SERVER_KINDS, type Advice, type ServerKind } from './advice.js';
import { planRemediation, type PlannedSuite, type RemediationPlan } from './plan-remediation.js';
import { apacheAdvice } from './servers/apache.js';
import { certificateAdvice } from './servers/certificate.js';
import { nginxAdvice } from './servers/nginx.js';
import { postfixAdvice } from './servers/postfix.js';
import { windowsAdvice } from './servers/windows.js';

const GENERATORS: Readonly<Record<ServerKind, (plan: RemediationPlan, options: RemediateOptions) => Advice[]>> = {
  windows: (plan, options) => windowsAdvice(plan, options.windowsVersion === undefined ? {} : { windowsVersion: options.windowsVersion }),
  nginx: nginxAdvice,
  apache: apacheAdvice,
  postfix: postfixAdvice,
};

export interface RemediateOptions {
  /** Which servers to write advice for; default all. */
  servers?: readonly ServerKind[];
  /** The Windows version the Schannel advice is for (see WINDOWS_VERSION_IDS); default the newest server. */
  windowsVersion?: string;
}

function compiled(policy: Policy | CompiledPolicy): CompiledPolicy {
  return 'policy' in policy ? policy : compilePolicy(policy);
}

/** The advice for an already computed plan. */
export function adviceFromPlan(plan: RemediationPlan, options: RemediateOptions = {}): Advice[] {
  if (plan.findings.length === 0) return [];
  const servers = options.servers ?? SERVER_KINDS;
  return servers.flatMap((server) => [...GENERATORS[server](plan, options), ...certificateAdvice(plan, server)]);
}

/**
 * What to change on a target so that it meets a policy, for each kind of server: generated from the
 * target's own findings (disable exactly the suites and protocols it offers that the policy forbids,
 * enable an approved suite when none is offered). Pure: no I/O. Empty when the target complies or
 * could not be assessed.
 */
export function remediate(target: TargetObservation, policy: Policy | CompiledPolicy, options: RemediateOptions = {}): Advice[] {
  if (target.error !== undefined) return [];
  return adviceFromPlan(planRemediation(target, compiled(policy)), options);
}

/** One policy's verdict and advice for one target: what renderers show under the target. */
export interface PolicyAdvice {
  policy: string;
  policyName: string;
  status: Verdict['status'];
  /** The approved suites to enable when the policy wants one and none is offered. */
  enableSuites: PlannedSuite[];
  plan: RemediationPlan;
  advice: Advice[];
}

/**
 * Advice for a target under every policy of a run, one entry per policy (in the order given), for the
 * markdown/html renderers and `tlsaudit explain`. Targets that could not be assessed get none.
 */
export function adviceFor(target: TargetObservation, policies: ReadonlyArray<Policy | CompiledPolicy>, options: RemediateOptions = {}): PolicyAdvice[] {
  if (target.error !== undefined) return [];
  return policies.map((p) => {
    const c = compiled(p);
    const plan = planRemediation(target, c);
    const status = plan.findings.some((f) => f.severity === 'fail') ? 'fail' : plan.findings.length > 0 ? 'warn' : 'pass';
    return {
      policy: c.policy.id,
      policyName: c.policy.name,
      status,
      enableSuites: plan.enableSuites,
      plan,
      advice: adviceFromPlan(plan, options),
    };
  });
}
