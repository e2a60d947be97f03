export interface OrderedPoolOptions<T, R> {
  /** Most weight held at once: items waiting to start, running, or finished and waiting behind a slower one. */
  budget?: number;
  /** A finished result's weight (default 1; items waiting or running weigh 1). */
  weigh?: (result: R) => number;
  /**
   * The group an item belongs to (for targets: the host). Items are then started out of order within a
   * look-ahead of `lookahead` items, the one whose group has the fewest items running first, so a list
   * sorted by host (100 ports of one host, then the next host's) keeps several hosts busy instead of
   * queueing every running item behind one host's connection cap. Results still leave in input order.
   */
  groupOf?: (item: T) => string;
  /** How many pulled items the group choice looks over (default 4 x concurrency). */
  lookahead?: number;
}

interface Slot<T, R> {
  item: T;
  /** groupOf(item), worked out once when the item is pulled. */
  group: string | undefined;
  promise: Promise<R>;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
  weight: number;
}

/**
 * Runs `work` on items as they are pulled from `items`, at most `concurrency` at once, and yields the
 * results in input order. Items are pulled only as slots free up and results leave as soon as they are
 * next in line, so memory is bounded by the budget (results waiting behind a slow one) whatever the
 * number of items: a list of 65,536 addresses is never held whole. With `weigh`, small results (a
 * closed port) can wait in large numbers behind one slow item (a live server) while big ones cannot.
 */
export async function* orderedPool<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  work: (item: T) => Promise<R>,
  concurrency: number,
  options: OrderedPoolOptions<T, R> | number = {},
): AsyncGenerator<R> {
  const { budget: window = Math.max(concurrency * 16, 64), weigh, groupOf, lookahead = groupOf ? concurrency * 4 : 1 } =
    typeof options === 'number' ? { budget: options } : options;
  let held = 0;
  const source = (Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]()) as
    | AsyncIterator<T>
    | Iterator<T>;
  /** Every pulled item in input order, until its result is handed out. */
  const queue: Slot<T, R>[] = [];
  /** Pulled items not started yet, in input order. */
  const waiting: Slot<T, R>[] = [];
  const runningIn = new Map<string, number>();
  let running = 0;
  let exhausted = false;
  let wake: (() => void) | undefined;
  const settle = (group: string | undefined) => {
    running--;
    if (group !== undefined) {
      const n = runningIn.get(group)! - 1;
      if (n === 0) runningIn.delete(group);
      else runningIn.set(group, n);
    }
    const w = wake;
    wake = undefined;
    w?.();
  };
  const pull = (item: T) => {
    let resolve!: (r: R) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<R>((res, rej) => ((resolve = res), (reject = rej)));
    // Errors from the work are yielded in order (as rejections); none is left unhandled meanwhile.
    promise.catch(() => {});
    const slot: Slot<T, R> = { item, group: groupOf?.(item), promise, resolve, reject, weight: 1 };
    held++;
    queue.push(slot);
    waiting.push(slot);
  };
  /** The waiting item to start next: the earliest of those whose group has the fewest running. */
  const choose = (): Slot<T, R> => {
    if (!groupOf) return waiting.shift()!;
    let best = 0;
    let fewest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < waiting.length && fewest > 0; i++) {
      const n = runningIn.get(waiting[i]!.group!) ?? 0;
      if (n < fewest) {
        fewest = n;
        best = i;
      }
    }
    return waiting.splice(best, 1)[0]!;
  };
  const start = (slot: Slot<T, R>) => {
    running++;
    const group = slot.group;
    if (group !== undefined) runningIn.set(group, (runningIn.get(group) ?? 0) + 1);
    let p: Promise<R>;
    try {
      p = work(slot.item);
    } catch (error) {
      p = Promise.reject(error);
    }
    p.then(
      (r) => {
        if (weigh) {
          slot.weight = weigh(r);
          held += slot.weight - 1;
        }
        slot.resolve(r);
        settle(group);
      },
      (error: unknown) => {
        slot.reject(error);
        settle(group);
      },
    );
  };
  const fill = async () => {
    while (running < concurrency) {
      while (!exhausted && waiting.length < lookahead && held < window) {
        const next = await source.next();
        if (next.done) exhausted = true;
        else pull(next.value);
      }
      if (waiting.length === 0) return;
      start(choose());
    }
  };
  try {
    for (;;) {
      await fill();
      const head = queue[0];
      if (head === undefined) {
        if (exhausted) return;
        continue;
      }
      // Wait for the head, but keep the slots busy while it runs.
      let headDone = false;
      void head.promise.then(
        () => (headDone = true),
        () => (headDone = true),
      );
      while (!headDone) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          void head.promise.then(
            () => resolve(),
            () => resolve(),
          );
        });
        await fill();
      }
      queue.shift();
      held -= head.weight;
      yield await head.promise;
    }
  } finally {
    if (!exhausted) await source.return?.();
  }
}
