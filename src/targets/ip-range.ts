import { isIP } from 'node:net';

/** A CIDR block, held as numbers so it can be walked without building a list. */
export interface IpRange {
  family: 4 | 6;
  /** First address of the block (the network address). */
  first: bigint;
  /** Number of addresses in the block. */
  size: bigint;
  /** The block as the user wrote it, for messages. */
  text: string;
}

/**
 * The largest blocks expanded: 65,536 addresses (/16 for IPv4, /112 for IPv6). A larger sweep is a
 * list of such blocks, or several runs (`--shard`), so that a typo like /8 cannot start 16 million probes.
 */
export const MAX_RANGE_SIZE = 1n << 16n;

/** The number an IPv4 or IPv6 address stands for. */
export function addressToBigInt(address: string): bigint {
  if (isIP(address) === 4) return address.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n);
  // The URL parser writes any IPv6 spelling (embedded IPv4 included) as hex groups around one "::".
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function bigIntToAddress(n: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => Number((n >> s) & 0xffn)).join('.');
  const groups: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(Number((n >> s) & 0xffffn));
  return compressIpv6(groups);
}

/** RFC 5952 §4.2: the longest run of two or more zero groups (the first of equals) becomes "::". */
function compressIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The canonical spelling of an IP address (IPv6 per RFC 5952), or the text unchanged when it is none. */
export function canonicalAddress(text: string): string {
  const family = isIP(text);
  if (family === 0) return text;
  return bigIntToAddress(addressToBigInt(text), family as 4 | 6);
}

/**
 * Reads "10.0.0.0/24" or "2001:db8::/120"; undefined when the text is no CIDR block. Throws a
 * RangeError with a one-line reason when it is one but unusable (bad prefix, too large).
 */
export function parseCidr(text: string, limit: bigint | null = MAX_RANGE_SIZE): IpRange | undefined {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const family = isIP(m[1]!);
  if (family === 0) return undefined;
  const bits = family === 4 ? 32 : 128;
  const prefix = Number(m[2]);
  if (prefix > bits) throw new RangeError(`the prefix /${prefix} is longer than an IPv${family} address (${bits} bits)`);
  const hostBits = BigInt(bits - prefix);
  const size = 1n << hostBits;
  if (limit !== null && size > limit) {
    const largest = bits - (limit.toString(2).length - 1);
    throw new RangeError(
      `/${prefix} holds ${size.toLocaleString('en-US')} addresses; at most /${largest} (${limit.toLocaleString('en-US')}) is expanded, so split it into /${largest} blocks`,
    );
  }
  const first = (addressToBigInt(m[1]!) >> hostBits) << hostBits;
  return { family: family as 4 | 6, first, size, text };
}

/** Every address of the block, in order, one at a time. */
export function* rangeAddresses(range: IpRange): Generator<string> {
  for (let i = 0n; i < range.size; i++) yield bigIntToAddress(range.first + i, range.family);
}

export function rangeContains(range: IpRange, address: string): boolean {
  const family = isIP(address);
  if (family !== range.family) return false;
  const n = addressToBigInt(address);
  return n >= range.first && n < range.first + range.size;
}
