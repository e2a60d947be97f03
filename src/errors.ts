/**
 * Every `code` a TlsAuditError carries. The strings are part of the library's contract (docs/library.md
 * lists each with its class and exit status): a caller branches on them, so a new failure gets a new code
 * here rather than a new meaning for an old one.
 */
export const ERROR_CODES = ['E_USAGE', 'E_INPUT', 'E_POLICY', 'E_PDF_BROWSER', 'E_PDF', 'E_SSLLABS_UNREGISTERED', 'E_SSLLABS'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * One error base with a stable string `code`; each subclass names itself. Messages are full sentences
 * that name the offending input, because the CLI prints them as the one line a user sees.
 */
export class TlsAuditError extends Error {
  readonly code: ErrorCode;
  /** The process exit status the CLI uses when this error ends a run. */
  readonly exitCode: number;

  constructor(message: string, options: { code: ErrorCode; exitCode?: number; cause?: unknown }) {
    // One line, whatever the input put into it (a host name with a newline, a parser's quoted context).
    super(message.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' '), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Bad command-line use: unknown option values, missing arguments. Exit 2. */
export class UsageError extends TlsAuditError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'E_USAGE', exitCode: 2, cause });
  }
}

/** Input that could not be read at all (missing file, not XML, not JSON, wrong shape). Exit 2. */
export class InputError extends TlsAuditError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'E_INPUT', exitCode: 2, cause });
  }
}

/** A policy that fails to load or validate. Exit 2. */
export class PolicyError extends TlsAuditError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'E_POLICY', exitCode: 2, cause });
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * A parser's complaint as part of a one-line message: JSON.parse and the XML parser quote the input
 * around the fault, line breaks and all.
 */
export function inlineErrorMessage(error: unknown, max = 160): string {
  const text = errorMessage(error).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
