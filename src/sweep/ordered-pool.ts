export interface OrderedPoolOptions<R> {
  /** Most weight held at once: items running or finished and waiting behind a slower one. */
  budget?: number;
  /** A finished result's weight (default 1; items running weigh 1). */
  weigh?: (result: R) => number;
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
  options: OrderedPoolOptions<R> | number = {},
): AsyncGenerator<R> {
  const { budget: window = Math.max(concurrency * 16, 64), weigh } = typeof options === 'number' ? { budget: options } : options;
  let held = 0;
  const weights = new Map<Promise<R>, number>();
  const source = (Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]()) as
    | AsyncIterator<T>
    | Iterator<T>;
  const queue: Promise<R>[] = [];
  let running = 0;
  let exhausted = false;
  let wake: (() => void) | undefined;
  const settle = () => {
    running--;
    const w = wake;
    wake = undefined;
    w?.();
  };
  // Errors from the work are yielded in order (as rejections); none is left unhandled meanwhile.
  const start = (item: T) => {
    running++;
    const p = work(item);
    held++;
    weights.set(p, 1);
    p.then((r) => {
      if (weigh && weights.has(p)) {
        const w = weigh(r);
        held += w - 1;
        weights.set(p, w);
      }
      settle();
    }, settle);
    p.catch(() => {});
    queue.push(p);
  };
  const fill = async () => {
    while (!exhausted && running < concurrency && held < window) {
      const next = await source.next();
      if (next.done) exhausted = true;
      else start(next.value);
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
      void head.then(
        () => (headDone = true),
        () => (headDone = true),
      );
      while (!headDone) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          void head.then(
            () => resolve(),
            () => resolve(),
          );
        });
        await fill();
      }
      queue.shift();
      held -= weights.get(head) ?? 1;
      weights.delete(head);
      yield await head;
    }
  } finally {
    if (!exhausted) await source.return?.();
  }
}
