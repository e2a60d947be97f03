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

  it('with groups, starts items of idle groups first within the look-ahead, and still yields in input order', async () => {
    // Three hosts, ten ports each, sorted by host: the first six in input order all belong to host a.
    const items = ['a', 'b', 'c'].flatMap((h) => Array.from({ length: 10 }, (_, i) => `${h}${i}`));
    const run = async (grouped: boolean) => {
      const runningBy = new Map<string, number>();
      let mostHosts = 0;
      const seen: string[] = [];
      for await (const r of orderedPool(
        items,
        async (item) => {
          const host = item[0]!;
          runningBy.set(host, (runningBy.get(host) ?? 0) + 1);
          mostHosts = Math.max(mostHosts, [...runningBy.values()].filter((n) => n > 0).length);
          await new Promise((resolve) => setTimeout(resolve, 2));
          runningBy.set(host, runningBy.get(host)! - 1);
          return item;
        },
        6,
        grouped ? { groupOf: (item) => item[0]!, lookahead: 30 } : {},
      )) {
        seen.push(r);
      }
      expect(seen).toEqual(items);
      return mostHosts;
    };
    expect(await run(false)).toBeLessThanOrEqual(2);
    expect(await run(true)).toBe(3);
  });

  it('with groups, a failure still comes out in its place', async () => {
    const out: string[] = [];
    await expect(
      (async () => {
        for await (const r of orderedPool(
          ['a1', 'a2', 'b1', 'a3'],
          async (item) => {
            if (item === 'a2') throw new Error('a2 failed');
            return item;
          },
          2,
          { groupOf: (item) => item[0]! },
        ))
          out.push(r);
      })(),
    ).rejects.toThrow('a2 failed');
    expect(out).toEqual(['a1']);
  });
});
