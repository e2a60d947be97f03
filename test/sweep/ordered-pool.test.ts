import { describe, expect, it } from 'vitest';
import { orderedPool } from '../../src/sweep/ordered-pool.js';

describe('orderedPool', () => {
  it('yields in input order while running several at once, and pulls items only as slots free up', async () => {
    let pulled = 0;
    let running = 0;
    let most = 0;
    function* items() {
      for (let i = 0; i < 200; i++) {
        pulled++;
        yield i;
      }
    }
    const seen: number[] = [];
    for await (const r of orderedPool(
      items(),
      async (i) => {
        running++;
        most = Math.max(most, running);
        // Later items finish first now and then, so order has to be restored.
        await new Promise((resolve) => setImmediate(resolve));
        if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
        running--;
        return i * 2;
      },
      4,
      16,
    )) {
      seen.push(r);
      // Never more than the window ahead of what has been handed out.
      expect(pulled - seen.length).toBeLessThanOrEqual(16);
    }
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    expect(most).toBe(4);
  });

  it('hands a failure out in its place and stops pulling when the consumer stops', async () => {
    let pulled = 0;
    const infinite = {
      *[Symbol.iterator]() {
        for (let i = 0; ; i++) {
          pulled++;
          yield i;
        }
      },
    };
    const out: number[] = [];
    await expect(
      (async () => {
        for await (const r of orderedPool(infinite, async (i) => {
          if (i === 5) throw new Error('five');
          return i;
        }, 2)) out.push(r);
      })(),
    ).rejects.toThrow('five');
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(pulled).toBeLessThan(100);
  });
});
