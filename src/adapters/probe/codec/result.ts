/** What every codec parser returns: a value and where it ended, a need for more bytes, or a typed error. */

export const CODEC_ERROR_CODES = [
  'not-tls',
  'record-overflow',
  'decode-error',
  'unexpected-message',
  'message-too-long',
] as const;
export type CodecErrorCode = (typeof CODEC_ERROR_CODES)[number];

export interface CodecError {
  code: CodecErrorCode;
  message: string;
}

export type Parsed<T> =
  | { kind: 'ok'; value: T; offset: number }
  | { kind: 'need-more'; needMore: number }
  | { kind: 'error'; error: CodecError };

export function ok<T>(value: T, offset: number): Parsed<T> {
  return { kind: 'ok', value, offset };
}

export function needMore<T>(n: number): Parsed<T> {
  return { kind: 'need-more', needMore: Math.max(1, n) };
}

export function codecError<T>(code: CodecErrorCode, message: string): Parsed<T> {
  return { kind: 'error', error: { code, message } };
}
