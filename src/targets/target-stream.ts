import { UsageError } from '../errors.js';
import type { ProbeTarget } from '../adapters/probe/target.js';
import type { TargetFilter } from './exclude.js';
import { rangeAddresses } from './ip-range.js';
import { parseTargetText } from './parse-target-text.js';
import { inShard, type Shard } from './shard.js';
import { describeTarget, targetKey } from './target-key.js';

/** One target as written (a line of a list, an argument) with where it came from, or one already read (an nmap port). */
export type TargetInput = { text: string; where?: string } | { target: ProbeTarget; where?: string };

export interface TargetStreamOptions {
  exclude?: TargetFilter;
  shard?: Shard;
  defaultPort?: number;
}

/** A target with its key, as the stream hands it on. */
export interface KeyedTarget {
  target: ProbeTarget;
  key: string;
}

/** Duplicates named in the notice; the rest are counted. */
const NAMED_DUPLICATES = 5;

/**
 * Expands, excludes, collapses and shards targets one at a time: CIDR blocks are walked, never built
 * as arrays, so memory grows with the distinct targets seen (one key each, for duplicates), not with
 * the work. Counts are read as the run goes (progress) and once it is over (notices).
 */
export class TargetStream implements AsyncIterable<KeyedTarget> {
  /** Targets handed on so far. */
  count = 0;
  /** The input is read to its end: `count` is the total. */
  exhausted = false;
  duplicates = 0;
  excluded = 0;
  /** Targets left to the other shards. */
  otherShards = 0;
  private readonly seen = new Set<string>();
  private readonly duplicateNames: string[] = [];

  constructor(
    private readonly inputs: AsyncIterable<TargetInput> | Iterable<TargetInput>,
    private readonly options: TargetStreamOptions = {},
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<KeyedTarget> {
    for await (const input of this.inputs) {
      for (const target of this.expand(input)) {
        if (this.options.exclude?.(target)) {
          this.excluded++;
          continue;
        }
        const key = targetKey(target);
        if (this.seen.has(key)) {
          this.duplicates++;
          if (this.duplicateNames.length < NAMED_DUPLICATES) this.duplicateNames.push(describeTarget(target));
          continue;
        }
        this.seen.add(key);
        if (this.options.shard && !inShard(key, this.options.shard)) {
          this.otherShards++;
          continue;
        }
        this.count++;
        yield { target, key };
      }
    }
    this.exhausted = true;
  }

  private *expand(input: TargetInput): Generator<ProbeTarget> {
    if ('target' in input) {
      yield input.target;
      return;
    }
    const text = input.text.trim();
    let entry;
    try {
      entry = parseTargetText(text, this.options.defaultPort);
    } catch (error) {
      if (error instanceof UsageError && input.where) throw new UsageError(`${input.where}: ${error.message}`, error);
      throw error;
    }
    if (entry.kind === 'target') {
      yield entry.target;
      return;
    }
    for (const host of rangeAddresses(entry.range)) yield { host, port: entry.port };
  }

  /** What the run should tell the user about the list, once it is over. */
  notices(): string[] {
    const out: string[] = [];
    if (this.duplicates > 0) {
      const more = this.duplicates - this.duplicateNames.length;
      out.push(`${this.duplicates} duplicate target(s) collapsed into one each: ${this.duplicateNames.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`);
    }
    if (this.excluded > 0) out.push(`${this.excluded} target(s) excluded by --exclude.`);
    return out;
  }

  /**
   * How the shard split the list: for stderr, not for the report, so that the shards' reports merge
   * into exactly the report of one unsharded run.
   */
  shardSummary(): string | undefined {
    if (!this.options.shard) return undefined;
    const { index, count } = this.options.shard;
    return `Shard ${index}/${count}: ${this.count} target(s) here, ${this.otherShards} left to the other shards.`;
  }
}
