import { readFileSync } from 'node:fs';
import { InputError, errorMessage } from '../errors.js';
import type { Report } from '../model/report.js';
import { describeSchemaError, schemaValidator } from '../schema/json-validator.js';

/**
 * Checks parsed JSON against schemas/report.schema.json. `origin` names the input in the one-line error,
 * which also gives the JSON path of the first problem.
 */
export function validateReport(data: unknown, origin: string): Report {
  const validate = schemaValidator('report');
  if (!validate(data)) throw new InputError(`Report ${origin} is not a tlsaudit report ${describeSchemaError(validate.errors)}.`);
  return data as Report;
}

export function parseReport(text: string, origin: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`Report ${origin} is not valid JSON: ${errorMessage(error)}.`, error);
  }
  return validateReport(data, origin);
}

/** Reads and validates a JSON report file; '-' reads stdin. */
export function readReport(path: string): Report {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error);
    throw new InputError(`Cannot read report ${path}: ${reason}.`, error);
  }
  return parseReport(text, path === '-' ? 'stdin' : path);
}
