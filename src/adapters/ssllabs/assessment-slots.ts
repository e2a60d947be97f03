import type { RateHeaders } from './ssllabs-api.js';
import { sleep } from './sleep.js';

export interface AssessmentSlotsOptions {
  maxAssessments: number;
  /** Info.newAssessmentCoolOff in milliseconds. */
  coolOffMs: number;
  /** Added to the cool-off (the reference client adds 100 ms). */
  coolOffMarginMs: number;
  /** How long to wait before asking the API again when its count says there is no free slot. */
  recheckMs: number;
  /** Fetches fresh counts (calls `info`, which feeds `update`); failures are swallowed by the caller. */
  refresh: (signal: AbortSignal | undefined) => Promise<void>;
  onMaxChange?: (max: number) => void;
}

/** A reserved right to send one request that may start a new assessment. */
export interface StartTicket {
  /** Call once the request is answered or failed; `started` when the API acknowledged an assessment. */
  done(started: boolean): void;
}

/**
 * Keeps new assessments within what the API allows, so that a correct run never sees a 429: at most
 * `maxAssessments` at once (the API's count, which includes other clients using the same account, and
 * our own count, whichever is higher), and `newAssessmentCoolOff` between two new assessments.
 *
 * Requests that may start an assessment go one at a time; the cool-off is measured from the moment the
 * previous one was answered, so the server has necessarily seen them that far apart.
 */
export class AssessmentSlots {
  private max: number;
  private readonly options: AssessmentSlotsOptions;
  /** Own assessments the API acknowledged and we still follow. */
  private own = 0;
  private lastStartDoneAt = Number.NEGATIVE_INFINITY;
  /** The API's count, only from requests sent after our last start was answered (else it may miss it). */
  private reading: { value: number; sentAt: number } | undefined;
  private queue: Promise<void> = Promise.resolve();
  private wake: () => void = () => {};
  private changed: Promise<void>;
  /** Highest own in-flight count seen; for statistics. */
  peakOwn = 0;

  constructor(options: AssessmentSlotsOptions) {
    this.options = options;
    this.max = options.maxAssessments;
    this.changed = this.nextChange();
  }

  get maxAssessments(): number {
    return this.max;
  }

  get inFlight(): number {
    return this.own;
  }

  /** Feeds the rate headers (or info's counts) of any answer. */
  update(rate: RateHeaders, sentAt: number): void {
    if (rate.maxAssessments !== undefined && rate.maxAssessments !== this.max) {
      this.max = rate.maxAssessments;
      this.options.onMaxChange?.(this.max);
      this.notify();
    }
    if (rate.currentAssessments !== undefined && sentAt >= this.lastStartDoneAt) {
      if (this.reading === undefined || sentAt >= this.reading.sentAt) {
        this.reading = { value: rate.currentAssessments, sentAt };
        this.notify();
      }
    }
  }

  /** Waits until a new assessment may be requested, then holds the right until `done`. */
  async acquire(signal?: AbortSignal): Promise<StartTicket> {
    const previous = this.queue;
    let unlock!: () => void;
    this.queue = new Promise<void>((resolve) => (unlock = resolve));
    try {
      await abortable(previous, signal);
    } catch (error) {
      // Hand the turn on only once the holder before us is done.
      void previous.then(unlock);
      throw error;
    }
    try {
      await this.waitForSlot(signal);
    } catch (error) {
      unlock();
      throw error;
    }
    let finished = false;
    return {
      done: (started: boolean) => {
        if (finished) return;
        finished = true;
        this.lastStartDoneAt = Date.now();
        if (started) {
          this.own += 1;
          this.peakOwn = Math.max(this.peakOwn, this.own);
        }
        unlock();
      },
    };
  }

  /** One of our assessments finished (or we gave up following it). */
  release(): void {
    if (this.own > 0) this.own -= 1;
    this.notify();
  }

  private async waitForSlot(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      if (this.max <= 0 || this.own >= this.max) {
        await this.waitForChange(this.options.recheckMs, signal);
        continue;
      }
      if (!this.fresh()) await this.options.refresh(signal);
      const reading = this.fresh() ? this.reading : undefined;
      if (reading !== undefined && reading.value >= this.max) {
        // Full by the API's count: other clients on this account, or one of ours that just ended.
        await this.waitForChange(this.options.recheckMs, signal);
        if (this.fresh() && (this.reading?.value ?? 0) >= this.max) await this.options.refresh(signal);
        continue;
      }
      const wait = this.lastStartDoneAt + this.options.coolOffMs + this.options.coolOffMarginMs - Date.now();
      if (wait > 0) {
        await sleep(wait, signal);
        continue;
      }
      return;
    }
  }

  private fresh(): boolean {
    return this.reading !== undefined && this.reading.sentAt >= this.lastStartDoneAt;
  }

  private async waitForChange(ms: number, signal: AbortSignal | undefined): Promise<void> {
    const timer = new AbortController();
    const both = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
    try {
      await Promise.race([this.changed, sleep(ms, both).catch(() => undefined)]);
    } finally {
      timer.abort();
    }
    if (signal?.aborted) throw signal.reason;
  }

  private notify(): void {
    this.wake();
    this.changed = this.nextChange();
  }

  private nextChange(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
