import type { SslLabsErrorBody } from './api-types.js';

/**
 * What one API response means for the caller, from the status codes documented for API v3/v4
 * ("Error Response Status Codes"): what to do next, not how the bytes looked.
 */
export type ApiOutcome =
  | { kind: 'ok'; body: unknown }
  /** 429: too many concurrent or too rapid new assessments; wait and try again. */
  | { kind: 'rate-limited'; message: string }
  /** 503 (maintenance) or 529 (overloaded): come back in 15 or 30 minutes, or after Retry-After. */
  | { kind: 'unavailable'; status: number; retryAfterMs?: number; message: string }
  /** 500, other 5xx, a broken connection or an unreadable body: worth a few retries. */
  | { kind: 'transient'; message: string }
  /** 441, or 400 about the email field: the v4 email is not registered. */
  | { kind: 'unregistered'; message: string }
  /** Any other refusal (400 on the host parameter, 404, ...): retrying will not help. */
  | { kind: 'invalid'; message: string };

/** Reads one HTTP response (status, headers, body text) into an outcome. Pure. */
export function classifyResponse(
  statusCode: number,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  bodyText: string,
  now: number = Date.now(),
): ApiOutcome {
  const parsed = parseJson(bodyText);
  const detail = apiErrorText(parsed.value);
  if (statusCode === 200) {
    if (!parsed.ok) return { kind: 'transient', message: `malformed JSON in the response (${parsed.error})` };
    return { kind: 'ok', body: parsed.value };
  }
  if (statusCode === 441) return { kind: 'unregistered', message: detail ?? 'HTTP 441' };
  if (statusCode === 400) {
    const errors = (parsed.value as SslLabsErrorBody | undefined)?.errors;
    if (Array.isArray(errors) && errors.some((e) => e?.field === 'email')) {
      return { kind: 'unregistered', message: detail ?? 'HTTP 400 on the email field' };
    }
    return { kind: 'invalid', message: `SSL Labs refused the request: ${detail ?? 'HTTP 400'}` };
  }
  if (statusCode === 429) return { kind: 'rate-limited', message: `HTTP 429${detail ? `: ${detail}` : ''}` };
  if (statusCode === 503 || statusCode === 529) {
    const outcome: ApiOutcome = {
      kind: 'unavailable',
      status: statusCode,
      message: statusCode === 503 ? 'SSL Labs is unavailable (HTTP 503)' : 'SSL Labs is overloaded (HTTP 529)',
    };
    const retryAfter = parseRetryAfter(headerValue(headers, 'retry-after'), now);
    if (retryAfter !== undefined) outcome.retryAfterMs = retryAfter;
    return outcome;
  }
  if (statusCode >= 500) {
    return { kind: 'transient', message: `SSL Labs internal error (HTTP ${statusCode})${detail ? `: ${detail}` : ''}` };
  }
  return { kind: 'invalid', message: `SSL Labs answered HTTP ${statusCode}${detail ? `: ${detail}` : ''}` };
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export function headerValue(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The API's `{"errors":[{"field","message"}]}` body as one line ("email: ..."), when present. */
export function apiErrorText(body: unknown): string | undefined {
  const errors = (body as SslLabsErrorBody | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors
    .map((e) => [e?.field, e?.message].filter((p) => typeof p === 'string' && p !== '').join(': '))
    .filter((s) => s !== '')
    .join('; ') || undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; value: undefined; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, value: undefined, error: error instanceof Error ? error.message : String(error) };
  }
}
