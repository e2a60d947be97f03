import { InputError, errorMessage } from '../../errors.js';
import type { TargetObservation } from '../../model/index.js';
import type { SslLabsHost } from './api-types.js';
import { collapseDuplicates } from '../../report/collapse-duplicates.js';
import { normaliseSslLabsHost } from './normalise-host.js';

/**
 * Saved SSL Labs JSON into observations: one Host object (an `analyze` response), or an array of them
 * as the ssllabs-scan client writes. `origin` names the input (a file name or "stdin") in errors and
 * provenance. The same endpoint twice is merged into one target. A port that is not a whole number from
 * 1 to 65535 makes the whole input an InputError naming the host.
 */
export function importSslLabsJson(text: string, origin: string): TargetObservation[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`${origin} is not JSON: ${errorMessage(error)}.`, error);
  }
  const hosts = Array.isArray(data) ? data : [data];
  if (hosts.length === 0) throw new InputError(`${origin} holds an empty array, not SSL Labs Host objects.`);
  const observations: TargetObservation[] = [];
  hosts.forEach((host, index) => {
    if (!isHostLike(host)) {
      const where = Array.isArray(data) ? `element ${index} of ${origin}` : origin;
      throw new InputError(`${where} is not an SSL Labs Host object (no "host", "status" or "endpoints").`);
    }
    observations.push(...normaliseSslLabsHost(host, { origin }));
  });
  // An array naming one host twice (two runs saved together) is one target per endpoint, as `merge` makes it.
  return collapseDuplicates(observations);
}

function isHostLike(value: unknown): value is SslLabsHost {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.host === 'string' && (typeof v.status === 'string' || Array.isArray(v.endpoints));
}
