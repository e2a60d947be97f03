import type { TargetObservation } from '../model/target.js';
import { mergeTargetObservations } from './merge-reports.js';
import { groupTargets } from './target-identity.js';

/**
 * One endpoint, one target: observations of the same server within one input (a host nmap scanned
 * twice, an SSL Labs array naming a host twice) are merged exactly as `tlsaudit merge` would merge them,
 * so the report never holds two targets for one host:port that contradict each other. Duplicate suites
 * collapse into one with the evidence of both. Order is that of each endpoint's first observation; an
 * endpoint seen once is passed through unchanged.
 */
export function collapseDuplicates(observations: readonly TargetObservation[]): TargetObservation[] {
  const groups = groupTargets(observations);
  if (groups.length === observations.length) return [...observations];
  return groups.map((g) => (g.length === 1 ? observations[g[0]!]! : mergeTargetObservations(g.map((i) => observations[i]!))));
}

/**
 * The same for observations that stream in. Whether a later observation repeats an endpoint is known
 * only at the end, so they are held until then. A failure while reading still hands out what came
 * before it, then rethrows, so nothing gathered is lost.
 */
export async function* collapseDuplicatesOf(
  observations: AsyncIterable<TargetObservation> | Iterable<TargetObservation>,
): AsyncGenerator<TargetObservation> {
  const all: TargetObservation[] = [];
  let failure: { error: unknown } | undefined;
  try {
    for await (const o of observations) all.push(o);
  } catch (error) {
    failure = { error };
  }
  yield* collapseDuplicates(all);
  if (failure) throw failure.error;
}
