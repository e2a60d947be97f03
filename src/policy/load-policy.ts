import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PolicyError, errorMessage } from '../errors.js';
import { packagePath } from '../package-root.js';
import { describeSchemaError, schemaValidator } from '../schema/json-validator.js';
import { groupByName } from '../registry/index.js';
import { RULE_TYPES_V1, type Policy, type Rule } from './policy.js';
import { unknownSuiteNames } from './suite-selector.js';

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
  return rule.type === 'require-any-suite' || rule.type === 'forbid-suites' ? [rule.suites] : [];
}

/**
 * Validates a parsed policy against schemas/policy.schema.json and the registry. `origin` names the file
 * in the one-line error.
 */
export function validatePolicy(data: unknown, origin: string): Policy {
  const validate = schemaValidator('policy');
  if (!validate(data)) {
    throw new PolicyError(`Policy ${origin} is invalid ${describeSchemaError(validate.errors)}.`);
  }
  const policy = data as Policy;
  const ids = new Set<string>();
  const problems: string[] = [];
  policy.rules.forEach((rule, i) => {
    if (ids.has(rule.id)) problems.push(`/rules/${i}/id: rule id '${rule.id}' is used twice`);
    ids.add(rule.id);
    for (const selector of selectorsOf(rule)) problems.push(...unknownSuiteNames(selector, `/rules/${i}/suites`));
    if (policy.schemaVersion === 1 && !(RULE_TYPES_V1 as readonly string[]).includes(rule.type)) {
      problems.push(`/rules/${i}/type: rule type '${rule.type}' needs "schemaVersion": 2`);
    }
    if (rule.type === 'key-exchange') {
      rule.curves?.forEach((curve, j) => {
        const group = groupByName(curve);
        if (!group) problems.push(`/rules/${i}/curves/${j}: '${curve}' is not a group in the IANA TLS Supported Groups registry`);
        else if (group.kind !== 'ec') problems.push(`/rules/${i}/curves/${j}: '${curve}' is not an elliptic curve (minFfdhBits judges finite-field groups)`);
      });
    }
  });
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new PolicyError(`Policy ${origin} is invalid at ${problems[0]}${more}.`);
  }
  return policy;
}

export function parsePolicy(text: string, origin: string): Policy {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`Policy ${origin} is not valid JSON: ${errorMessage(error)}.`, error);
  }
  return validatePolicy(data, origin);
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
