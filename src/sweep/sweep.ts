import type { TargetObservation } from '../model/target.js';
import type { KeyedTarget } from '../targets/target-stream.js';
import { orderedPool } from './ordered-pool.js';
import { hostOf } from '../adapters/probe/target.js';
import type { ResumeLog } from './resume-log.js';

export interface SweepOptions {
  concurrency: number;
  /** Finished targets are read from and recorded to it. */
  resume?: ResumeLog;
  /** Once aborted, targets still finishing are not recorded as done (they ran cut short). */
  signal?: AbortSignal;
  /** Called as each target finishes (progress). */
  onDone?: (target: KeyedTarget, observations: TargetObservation[], resumed: boolean) => void;
  onStart?: (target: KeyedTarget) => void;
}

/**
 * Assesses a stream of targets in bounded memory and yields their observations in input order. With a
 * resume log, targets it holds are replayed from it instead of assessed again, and each newly finished
 * one is recorded before it is yielded, so the report of a resumed run equals an uninterrupted one's.
 */
export async function* sweep(
  targets: AsyncIterable<KeyedTarget>,
  /** Assesses one target (given with its key, for progress lines and the like). */
  assess: (target: KeyedTarget) => Promise<TargetObservation[]>,
  options: SweepOptions,
): AsyncGenerator<TargetObservation> {
  const { resume, signal } = options;
  const work = async (t: KeyedTarget): Promise<TargetObservation[]> => {
    const stored = resume?.read(t.key);
    if (stored) {
      options.onDone?.(t, stored, true);
      return stored;
    }
    options.onStart?.(t);
    const observations = await assess(t);
    if (resume && !signal?.aborted) resume.append(t.key, observations);
    options.onDone?.(t, observations, false);
    return observations;
  };
  // An unreachable target's result is a line; an assessed one carries every suite's evidence. Many
  // of the first may wait behind one slow live server, few of the second.
  const weigh = (o: TargetObservation[]) => (o.some((x) => x.protocols.length > 0) ? 64 : 1);
  // After an abort the rest still come through, at once: an assessor told to stop answers for a target in
  // flight with what it saw and for one not started with that fact, so every target asked for is reported.
  for await (const observations of orderedPool(targets, work, options.concurrency, {
    budget: Math.max(options.concurrency * 256, 1024),
    weigh,
    // The per-host connection cap is per address: a list sorted by host keeps several hosts busy at once.
    groupOf: (t) => hostOf(t.target),
  })) {
    yield* observations;
  }
}
