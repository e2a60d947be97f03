import { readdirSync, readFileSync } from 'node:fs';

/** File descriptors kept free for everything that is not a probe socket (stdio, the report, DNS, child pipes). */
const RESERVE = 32;

/**
 * This process's open-file limit and how many descriptors it already holds, from /proc (Linux); undefined
 * where /proc is not there, and then nothing is clamped (a local EMFILE is still waited out, never blamed
 * on the server).
 */
export function openFileBudget(): { limit: number; open: number } | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    if (!m || m[1] === 'unlimited') return undefined;
    return { limit: Number(m[1]), open: readdirSync('/proc/self/fd').length };
  } catch {
    return undefined;
  }
}

/** The most targets that can be probed at once, each holding up to `socketsPerTarget` sockets, within the open-file limit. */
export function concurrencyThatFits(wanted: number, socketsPerTarget: number, budget = openFileBudget()): { concurrency: number; reason?: string } {
  if (!budget) return { concurrency: wanted };
  const free = budget.limit - budget.open - RESERVE;
  const fits = Math.max(1, Math.floor(free / Math.max(1, socketsPerTarget)));
  if (fits >= wanted) return { concurrency: wanted };
  return { concurrency: fits, reason: `the open-file limit is ${budget.limit} (${budget.open} in use) and each target needs up to ${socketsPerTarget} connections` };
}
