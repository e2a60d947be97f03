import type { Policy, Rule } from './policy.js';
import { compileSelector, type SuiteRef } from './suite-selector.js';

export interface CompiledRule {
  rule: Rule;
  /** Present for rules that select suites. */
  matches?: (ref: SuiteRef) => boolean;
}

/** A policy with its suite selectors turned into predicates once, ready to evaluate many targets. */
export interface CompiledPolicy {
  policy: Policy;
  rules: CompiledRule[];
}

export function compilePolicy(policy: Policy): CompiledPolicy {
  return {
    policy,
    rules: policy.rules.map((rule) =>
      rule.type === 'require-any-suite' || rule.type === 'forbid-suites'
        ? { rule, matches: compileSelector(rule.suites) }
        : { rule },
    ),
  };
}
