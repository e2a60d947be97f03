import { UsageError } from '../errors.js';

/** Shard K of N (1-based), as --shard K/N. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard "${text}" is not K/N with 1 <= K <= N (for example --shard 2/8).`);
  }
  return { index, count };
}

/**
 * Whether a target (by its key) falls in the shard: a hash of the key, so the split is the same
 * whatever order the list is in and whichever machine runs it (FNV-1a, 32 bits: fast, well spread).
 */
export function inShard(key: string, shard: Shard): boolean {
  if (shard.count === 1) return true;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shard.count === shard.index - 1;
}
