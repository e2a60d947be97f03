import { codecError, ok, type Parsed } from './result.js';
import { ALERT_DESCRIPTION_NAMES } from './tables.js';

export interface Alert {
  level: number;
  description: number;
  /** IANA name of the description ("handshake_failure"), or "alert 123" when unassigned. */
  name: string;
  fatal: boolean;
}

/** Reads the first alert of an alert record's fragment (RFC 5246 §7.2). */
export function parseAlert(fragment: Uint8Array, offset = 0): Parsed<Alert> {
  if (fragment.length - offset < 2) return codecError('decode-error', `an alert record of ${fragment.length} bytes is too short`);
  const level = fragment[offset]!;
  const description = fragment[offset + 1]!;
  return ok(
    { level, description, name: alertName(description), fatal: level !== 1 },
    offset + 2,
  );
}

export function alertName(description: number): string {
  return ALERT_DESCRIPTION_NAMES.get(description) ?? `alert ${description}`;
}

export function buildAlert(level: number, description: number): Uint8Array {
  return Uint8Array.of(level, description);
}
