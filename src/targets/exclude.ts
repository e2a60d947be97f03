import { isIP } from 'node:net';
import { UsageError } from '../errors.js';
import type { ProbeTarget } from '../adapters/probe/target.js';
import { canonicalAddress, parseCidr, rangeContains, type IpRange } from './ip-range.js';

export type TargetFilter = (t: ProbeTarget) => boolean;

/**
 * nmap's --exclude: host names, addresses and CIDR blocks (any size), comma-separated. A target is
 * excluded when its name, its address or its HOST=ADDRESS address matches.
 */
export function createExcluder(specs: readonly string[]): TargetFilter {
  const names = new Set<string>();
  const ranges: IpRange[] = [];
  for (const spec of specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    let range: IpRange | undefined;
    try {
      range = parseCidr(spec, null);
    } catch (error) {
      throw new UsageError(`--exclude "${spec}": ${(error as Error).message}.`);
    }
    if (range) ranges.push(range);
    else names.add(isIP(spec) ? canonicalAddress(spec) : spec.toLowerCase().replace(/\.$/, ''));
  }
  if (names.size === 0 && ranges.length === 0) return () => false;
  const matches = (value: string | undefined): boolean => {
    if (value === undefined) return false;
    if (isIP(value)) return names.has(canonicalAddress(value)) || ranges.some((r) => rangeContains(r, value));
    return names.has(value.toLowerCase().replace(/\.$/, ''));
  };
  return (t) => matches(t.host) || matches(t.address);
}
