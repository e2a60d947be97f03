/**
 * Runs `work` on items as they are pulled from `items`, at most `concurrency` at once, and yields the
 * results in input order. Items are pulled only as slots free up and results leave as soon as they are
 * next in line, so memory is bounded by `window` (finished results waiting behind a slow one) whatever
 * the number of items: a list of 65,536 addresses is never held whole.
 */
export async function* orderedPool<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  work: (item: T) => Promise<R>,
  concurrency: number,
  // Wide enough that one slow target (a live server among closed ports) does not idle the other
  // slots for long; results are small next to that (a few KB each).
  window = Math.max(concurrency * 16, 64),
): AsyncGenerator<R> {
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
    p.then(settle, settle);
    p.catch(() => {});
    queue.push(p);
  };
  const fill = async () => {
    while (!exhausted && running < concurrency && queue.length < window) {
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
      yield await head;
    }
  } finally {
    if (!exhausted) await source.return?.();
  }
}
