import { describe, expect, it } from 'vitest';
import { DerCache } from '../../../src/adapters/probe/der-cache.js';

describe('DerCache', () => {
  it('makes a value once per distinct bytes, keeps none too large, and empties itself at its limit', () => {
    const cache = new DerCache<number>(1024);
    let made = 0;
    const make = (der: Uint8Array) => (made++, der.length);
    const a = new Uint8Array(40).fill(1);
    expect(cache.get(a, make)).toBe(40);
    // Equal bytes in another array (and a view into a larger buffer) hit the same entry.
    const inside = new Uint8Array(100).fill(1).subarray(10, 50);
    expect(cache.get(Uint8Array.from(a), make)).toBe(40);
    expect(cache.get(inside, make)).toBe(40);
    expect(made).toBe(1);
    // Over a sixteenth of the limit: made every time, never kept.
    const big = new Uint8Array(65).fill(2);
    cache.get(big, make);
    cache.get(big, make);
    expect(made).toBe(3);
    // Filling past the limit empties the cache, so `a` is made again afterwards.
    for (let i = 0; i < 30; i++) cache.get(new Uint8Array(60).fill(i + 3), make);
    made = 0;
    cache.get(a, make);
    expect(made).toBe(1);
  });
});
