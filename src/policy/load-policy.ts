import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PolicyError, errorMessage } from '../errors.js';
import { packagePath } from '../package-root.js';
import { describeSchemaError, schemaValidator } from '../schema/json-validator.js';
import { NAMED_GROUPS, groupByName } from '../registry/index.js';
import { SUGGESTIONS_PER_POLICY, selectorProblems } from './check-selector.js';
import { nearest, quoted } from './did-you-mean.js';
import { MAX_POLICY_DEPTH, shortPath, tooDeepAt } from './nesting-depth.js';
import { RULE_TYPES_V1, type Policy, type Rule } from './policy.js';

export const DEFAULT_POLICY_ID = 'dataverse';

const builtinDir = () => packagePath('policies');

export function builtinPolicyPath(id: string): string {
  return packagePath('policies', `${id}.json`);
}

/** Ids of the policies shipped in policies/, sorted with the default first. */
export function builtinPolicyIds(): string[] {
  const ids = readdirSync(builtinDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
  return [DEFAULT_POLICY_ID, ...ids.filter((id) => id !== DEFAULT_POLICY_ID)];
}

function selectorsOf(rule: Rule) {
  return rule.type === 'require-any-suite' || rule.type === 'forbid-suites' || rule.type === 'source-marked-weak' ? [rule.suites] : [];
}

export interface ValidateOptions {
  /** The document is one of policies/*.json, so it may carry a built-in id. */
  builtin?: boolean;
}

/** How many problems the one-line error names before it only counts the rest. */
const PROBLEMS_SHOWN = 3;

function oneLine(origin: string, problems: readonly string[]): string {
  const shown = problems.slice(0, PROBLEMS_SHOWN).join('; ');
  const rest = problems.length - PROBLEMS_SHOWN;
  return `Policy ${origin} is invalid at ${shown}${rest > 0 ? ` (and ${rest} more problem${rest === 1 ? '' : 's'})` : ''}.`;
}

/**
 * Validates a parsed policy against schemas/policy.schema.json and the registry: every name, code and
 * property value in a selector must exist and every selector must match some suite, so that a typo is
 * an error rather than a rule that never fires. `origin` names the file in the one-line error.
 */
export function validatePolicy(data: unknown, origin: string, options: ValidateOptions = {}): Policy {
  const deep = tooDeepAt(data);
  if (deep !== undefined) {
    throw new PolicyError(`Policy ${origin} is invalid at ${shortPath(deep)}: nested deeper than ${MAX_POLICY_DEPTH} levels.`);
  }
  const validate = schemaValidator('policy');
  if (!validate(data)) {
    throw new PolicyError(`Policy ${origin} is invalid ${describeSchemaError(validate.errors)}.`);
  }
  const policy = data as Policy;
  // A file that takes a built-in id would make its reports cite the built-in policy (and `explain`
  // load the built-in one), so a report could say "dataverse: pass" for rules Dataverse never had.
  if (!options.builtin && builtinPolicyIds().includes(policy.id)) {
    throw new PolicyError(`Policy ${origin} is invalid at /id: ${quoted(policy.id)} is the id of a built-in policy; give the file its own id.`);
  }
  const ids = new Set<string>();
  const problems: string[] = [];
  const budget = { left: SUGGESTIONS_PER_POLICY };
  policy.rules.forEach((rule, i) => {
    if (ids.has(rule.id)) problems.push(`/rules/${i}/id: rule id '${rule.id}' is used twice`);
    ids.add(rule.id);
    for (const selector of selectorsOf(rule)) problems.push(...selectorProblems(selector, `/rules/${i}/suites`, budget));
    if (policy.schemaVersion === 1 && !(RULE_TYPES_V1 as readonly string[]).includes(rule.type)) {
      problems.push(`/rules/${i}/type: rule type '${rule.type}' needs "schemaVersion": 2`);
    }
    if (rule.type === 'key-exchange') {
      rule.curves?.forEach((curve, j) => {
        const group = groupByName(curve);
        if (!group) {
          const near = budget.left-- > 0 ? nearest(curve, NAMED_GROUPS.filter((g) => g.kind === 'ec').map((g) => g.name)) : undefined;
          problems.push(`/rules/${i}/curves/${j}: ${quoted(curve)} is not a group in the IANA TLS Supported Groups registry${near ? ` (did you mean ${near}?)` : ''}`);
        } else if (group.kind !== 'ec') problems.push(`/rules/${i}/curves/${j}: '${curve}' is not an elliptic curve (minFfdhBits judges finite-field groups)`);
      });
    }
  });
  if (problems.length > 0) throw new PolicyError(oneLine(origin, problems));
  return policy;
}

export function parsePolicy(text: string, origin: string, options: ValidateOptions = {}): Policy {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`Policy ${origin} is not valid JSON: ${errorMessage(error)}.`, error);
  }
  return validatePolicy(data, origin, options);
}

/** Loads a built-in policy by id, or a policy file by path. */
export function loadPolicy(idOrFile: string = DEFAULT_POLICY_ID): Policy {
  const ids = builtinPolicyIds();
  if (ids.includes(idOrFile)) {
    // Built-in policies are validated against the schema by the test suite (test/policy/load-policy.test.ts),
    // not on every run: that would load ajv and compile the schema for nothing.
    return JSON.parse(readFileSync(builtinPolicyPath(idOrFile), 'utf8')) as Policy;
  }
  if (!existsSync(idOrFile)) {
    throw new PolicyError(
      `Unknown policy '${idOrFile}': not a built-in policy (${ids.join(', ')}) and no such file.`,
    );
  }
  let text: string;
  try {
    text = readFileSync(idOrFile, 'utf8');
  } catch (error) {
    throw new PolicyError(`Cannot read policy file ${idOrFile}: ${errorMessage(error)}.`, error);
  }
  return parsePolicy(text, idOrFile);
}
