/**
 * One error base with a stable string `code`; each subclass names itself. Messages are full sentences
 * that name the offending input, because the CLI prints them as the one line a user sees.
 */
export class TlsAuditError extends Error {
  readonly code: string;
  /** The process exit status the CLI uses when this error ends a run. */
  readonly exitCode: number;

  constructor(message: string, options: { code: string; exitCode?: number; cause?: unknown }) {
    // One line, always: a message may quote input (a JSON parser's snippet, an XML line) that holds line breaks.
    super(message.replace(/\r\n|\r|\n/g, '\\n'), options.cause === undefined ? undefined : { cause: options.cause });
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
