import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import Assembler from 'stream-json/assembler.js';
import parser from 'stream-json/parser.js';
import { InputError, errorMessage } from '../errors.js';
import type { Report } from '../model/report.js';
import type { Target } from '../model/target.js';
import { definitionValidator, describeSchemaError, schemaValidator } from '../schema/json-validator.js';

/** A report without its targets: what is left once they have streamed past. */
export type ReportHeader = Omit<Report, 'targets'>;

interface Token {
  name: string;
  value?: string;
}

/**
 * Reads a JSON report as a stream of tokens and hands each target to `onTarget` as soon as it is complete
 * and valid (against the report schema's `target` definition), so a report of a million targets never
 * exists as one string or one object: memory holds one target at a time plus what `onTarget` keeps.
 * The rest of the report (policy, summary, notices...) is validated at the end, against the whole schema
 * with the targets left out. Errors are the one-line ones `readReport` gives, naming the JSON path.
 */
export async function readReportStream(path: string, onTarget: (target: Target, index: number) => void): Promise<ReportHeader> {
  const origin = path === '-' ? 'stdin' : path;
  const input: Readable = path === '-' ? process.stdin : createReadStream(path);
  const notReport = (where: string): InputError => new InputError(`Report ${origin} is not a tlsaudit report ${where}.`);
  const validateTarget = definitionValidator('report', 'target');
  const header: Record<string, unknown> = {};
  const strings = new Map<string, string>();
  let sawTargets = false;
  let index = 0;
  // Depth 0 outside everything, 1 inside the top object, 2 inside the targets array.
  let depth = 0;
  let key: string | undefined;
  let assembler: Assembler | undefined;
  let inTargets = false;

  const finishValue = (value: unknown): void => {
    if (inTargets) {
      if (!validateTarget(value)) {
        const where = describeSchemaError(validateTarget.errors).replace(/^at (\(top level\))?/, `at /targets/${index}`);
        throw notReport(where);
      }
      onTarget(shareStrings(value, strings) as Target, index++);
    } else if (key !== undefined) {
      header[key] = value;
    }
  };

  // Packed tokens only: a key, string or number arrives whole, as one token.
  const consume = (token: Token): void => {
    if (assembler) {
      assembler.consume(token as never);
      if (assembler.done) {
        const value = assembler.current;
        assembler = undefined;
        finishValue(value);
      }
      return;
    }
    if (depth === 0) {
      if (token.name !== 'startObject') throw notReport('at (top level): must be object');
      depth = 1;
      return;
    }
    if (depth === 1) {
      if (token.name === 'keyValue') {
        key = token.value;
        return;
      }
      if (token.name === 'endObject') {
        depth = 0;
        return;
      }
      if (key === 'targets' && token.name === 'startArray') {
        sawTargets = true;
        inTargets = true;
        depth = 2;
        return;
      }
    } else if (depth === 2 && token.name === 'endArray') {
      inTargets = false;
      depth = 1;
      return;
    }
    // Any other value, at the top level or as one target, is assembled whole.
    assembler = new Assembler();
    consume(token);
  };

  // Packed tokens only: a key, string or number arrives whole, as one token. Tokens are taken from
  // 'data' events, synchronously: an async iterator would cost a promise per token.
  const tokens = parser.asStream({ streamKeys: false, streamStrings: false, streamNumbers: false });
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown): void => {
        input.destroy();
        tokens.destroy();
        reject(error);
      };
      input.on('error', fail);
      tokens.on('error', fail);
      tokens.on('data', (token: Token) => {
        try {
          consume(token);
        } catch (error) {
          fail(error);
        }
      });
      tokens.on('end', resolve);
      input.pipe(tokens);
    });
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && /^E[A-Z]+$/.test(code)) {
      throw new InputError(`Cannot read report ${path}: ${code === 'ENOENT' ? 'no such file' : errorMessage(error)}.`, error);
    }
    throw new InputError(`Report ${origin} is not valid JSON: ${errorMessage(error)}.`, error);
  }
  if (depth !== 0) throw new InputError(`Report ${origin} is not valid JSON: it ends before the report does.`);
  const whole = sawTargets ? { ...header, targets: [] } : header;
  const validate = schemaValidator('report');
  if (!validate(whole)) throw notReport(describeSchemaError(validate.errors));
  return whole as ReportHeader;
}

/** Strings shared across targets (names, codes, sources, times) up to this length are kept once. */
const SHARED_STRING_LENGTH = 128;
const SHARED_STRINGS = 200_000;

/**
 * Replaces each short string in a parsed target by one equal string kept for the whole read. A streaming
 * parser's strings are slices of its input chunks, so without this every suite name would keep a 64 KB
 * chunk alive, and a million targets would hold a million copies of "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".
 */
function shareStrings(value: unknown, strings: Map<string, string>): unknown {
  if (typeof value === 'string') {
    if (value.length > SHARED_STRING_LENGTH) return value;
    const known = strings.get(value);
    if (known !== undefined) return known;
    // A flat copy, detached from the parser's chunk.
    const own = (' ' + value).slice(1);
    if (strings.size < SHARED_STRINGS) strings.set(own, own);
    return own;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = shareStrings(value[i], strings);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    for (const k of Object.keys(object)) object[k] = shareStrings(object[k], strings);
    return object;
  }
  return value;
}
