import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Class, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { packagePath } from '../package-root.js';

// ajv is loaded on first use, synchronously: most runs never validate a schema (built-in policies are
// validated by the test suite), and loading it costs more start-up time than the rest of the CLI.
const require = createRequire(import.meta.url);

function newAjv(): Ajv2020Class {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  // ajv-formats is CommonJS with `exports.default`.
  const formats = require('ajv-formats') as { default?: (ajv: Ajv2020Class) => void } & ((ajv: Ajv2020Class) => void);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (formats.default ?? formats)(ajv);
  return ajv;
}

export type SchemaName = 'report' | 'policy';

const validators = new Map<SchemaName, ValidateFunction>();
const compilers = new Map<SchemaName, { ajv: Ajv2020Class; id: string }>();

/** The compiled validator for one of the committed schemas (schemas/NAME.schema.json), compiled once. */
export function schemaValidator(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    const ajv = newAjv();
    const schema = JSON.parse(readFileSync(packagePath('schemas', `${name}.schema.json`), 'utf8')) as { $id?: string };
    validate = ajv.compile(schema);
    validators.set(name, validate);
    compilers.set(name, { ajv, id: schema.$id ?? '' });
  }
  return validate;
}

/**
 * The one error worth showing: the deepest one, since a `oneOf` over rule types reports a failure for
 * every branch and only the deepest says what is really wrong.
 */
export function describeSchemaError(errors: readonly ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'does not match the schema';
  const useful = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'const'].includes(e.keyword));
  const pool = useful.length > 0 ? useful : [...errors];
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  const best = pool.reduce((a, b) => (depth(b) > depth(a) ? b : a));
  const where = best.instancePath === '' ? '(top level)' : best.instancePath;
  let what = best.message ?? 'is invalid';
  const params = best.params as Record<string, unknown>;
  if (typeof params.additionalProperty === 'string') what += `: '${params.additionalProperty}'`;
  if (typeof params.unevaluatedProperty === 'string') what += `: '${params.unevaluatedProperty}'`;
  if (Array.isArray(params.allowedValues)) what += ` (${params.allowedValues.map(String).join(', ')})`;
  return `at ${where}: ${what}`;
}

/**
 * The validator of one definition (`$defs/NAME`) of a committed schema, e.g. one report target: a report
 * read as a stream is validated a target at a time instead of as one document held whole.
 */
export function definitionValidator(name: SchemaName, definition: string): ValidateFunction {
  schemaValidator(name);
  const { ajv, id } = compilers.get(name)!;
  const validate = ajv.getSchema(`${id}#/$defs/${definition}`);
  if (!validate) throw new Error(`schemas/${name}.schema.json has no $defs/${definition}`);
  return validate;
}
