import { isIP } from 'node:net';
import type { TargetObservation } from '../model/target.js';

/** The address a target was reached on: its `address`, or its `host` when that is an IP literal. */
export function addressOf(target: Pick<TargetObservation, 'host' | 'address'>): string | undefined {
  if (target.address !== undefined && target.address !== '') return target.address.toLowerCase();
  const host = target.host.replace(/^\[|\]$/g, '');
  return isIP(host) ? host.toLowerCase() : undefined;
}

/** `host:port`, with IPv6 literals bracketed as in a URL. */
export function endpointLabel(target: Pick<TargetObservation, 'host' | 'port'>): string {
  return `${isIP(target.host) === 6 ? `[${target.host}]` : target.host}:${target.port}`;
}

/**
 * Groups targets that are the same server. Targets with an address meet on address and port, so a name
 * given to nmap and the same name assessed by SSL Labs join on the address both resolved it to. Several
 * names on one address and port are virtual hosts told apart by SNI, which may be configured differently
 * (one IP serving both 3des.example and modern.example), so they stay apart; a target known only by that
 * address then stays apart too, since it cannot say which name's configuration it saw.
 * A target without an address (a name that did not resolve, an assessment that failed early) joins the one
 * addressed group that has its name on that port; when its name is on several addresses (round-robin DNS,
 * which SSL Labs assesses per endpoint) it cannot say which, so it stays with the other address-less
 * targets of that name rather than wrongly merging distinct servers.
 *
 * The result is independent of input order: each group lists its members' indexes ascending, and the
 * groups are ordered by their first member.
 */
export function groupTargets(targets: readonly Pick<TargetObservation, 'host' | 'address' | 'port'>[]): number[][] {
  const byAddress = new Map<string, number[]>();
  const addressless = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  const nameOf = (t: Pick<TargetObservation, 'host'>) => (isIP(t.host.replace(/^\[|\]$/g, '')) ? '' : t.host.toLowerCase());
  targets.forEach((t, i) => {
    const address = addressOf(t);
    if (address !== undefined) push(byAddress, `${address}\u0000${t.port}`, i);
    else push(addressless, `${t.host.toLowerCase()}\u0000${t.port}`, i);
  });
  const groups = new Map<string, number[]>();
  for (const [key, members] of byAddress) {
    const names = new Set(members.map((i) => nameOf(targets[i]!)).filter((n) => n !== ''));
    if (names.size <= 1) groups.set(key, members);
    else for (const i of members) push(groups, `${key}\u0000${nameOf(targets[i]!)}`, i);
  }
  // Which addressed groups carry each name on each port.
  const nameToGroups = new Map<string, Set<string>>();
  for (const [key, members] of groups) {
    for (const i of members) {
      const t = targets[i]!;
      const nameKey = `${t.host.toLowerCase()}\u0000${t.port}`;
      let set = nameToGroups.get(nameKey);
      if (!set) nameToGroups.set(nameKey, (set = new Set()));
      set.add(key);
    }
  }
  for (const [nameKey, members] of addressless) {
    const candidates = nameToGroups.get(nameKey);
    if (candidates && candidates.size === 1) {
      const [only] = candidates;
      groups.get(only!)!.push(...members);
    } else {
      groups.set(`name\u0000${nameKey}`, members);
    }
  }
  return [...groups.values()].map((m) => [...m].sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
}
