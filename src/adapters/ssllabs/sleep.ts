/** setTimeout's longest delay; beyond it Node fires the timer after 1 ms instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms` (at most about 24.8 days: a longer wait is cut to that, never to an instant retry),
 * or rejects with the signal's reason as soon as it aborts.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(MAX_TIMER_MS, Math.max(0, ms)));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Spreads a delay by ±`fraction` so that many clients told to come back later do not all return at the
 * same moment (the API documentation asks for randomised waits after 503 and 529).
 */
export function withJitter(ms: number, fraction: number, random: () => number = Math.random): number {
  if (fraction <= 0) return ms;
  return Math.max(0, Math.round(ms * (1 + fraction * (2 * random() - 1))));
}
