import { describe, expect, it } from 'vitest';
import { concurrencyThatFits, openFileBudget } from '../../../src/adapters/probe/file-budget.js';

describe('concurrency within the open-file limit', () => {
  it('reads this process\'s limit and open descriptors from /proc', () => {
    const budget = openFileBudget();
    // Linux CI always has /proc; the limit is whatever the shell set, and some descriptors are always open.
    expect(budget).toBeDefined();
    expect(budget!.limit).toBeGreaterThan(budget!.open);
    expect(budget!.open).toBeGreaterThan(2);
  });

  it('keeps what fits, lowers what does not (32 descriptors kept back), never below one', () => {
    expect(concurrencyThatFits(4, 5, { limit: 1024, open: 20 })).toEqual({ concurrency: 4 });
    const lowered = concurrencyThatFits(1000, 5, { limit: 256, open: 24 });
    expect(lowered.concurrency).toBe(40);
    expect(lowered.reason).toMatch(/open-file limit is 256 \(24 in use\)/);
    expect(concurrencyThatFits(10, 5, { limit: 40, open: 30 }).concurrency).toBe(1);
    expect(concurrencyThatFits(10, 5, undefined)).toEqual({ concurrency: 10 });
  });
});
