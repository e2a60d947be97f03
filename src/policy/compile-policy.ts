import { groupByName } from '../registry/index.js';
import type { Policy, Rule } from './policy.js';
import { compileSelector, type SuiteRef } from './suite-selector.js';

export interface CompiledRule {
  rule: Rule;
  /** Present for rules that select suites. */
  matches?: (ref: SuiteRef) => boolean;
  /** Present for key-exchange rules with a curve list: the allowed groups' IANA names. */
  curves?: ReadonlySet<string>;
}

/** A policy with its suite selectors turned into predicates once, ready to evaluate many targets. */
export interface CompiledPolicy {
  policy: Policy;
  rules: CompiledRule[];
}

export function compilePolicy(policy: Policy): CompiledPolicy {
  return {
    policy,
    rules: policy.rules.map((rule): CompiledRule => {
      if (rule.type === 'require-any-suite' || rule.type === 'forbid-suites' || rule.type === 'source-marked-weak') return { rule, matches: compileSelector(rule.suites) };
      if (rule.type === 'key-exchange' && rule.curves) {
        return { rule, curves: new Set(rule.curves.map((c) => groupByName(c)?.name ?? c)) };
      }
      return { rule };
    }),
  };
}
