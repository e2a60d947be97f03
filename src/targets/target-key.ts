import { STARTTLS_PORTS } from '../adapters/probe/starttls.js';
import { formatTarget, type ProbeTarget } from '../adapters/probe/target.js';
import { canonicalAddress } from './ip-range.js';

/**
 * The one spelling of a target, for collapsing duplicates, sharding and resuming: names lower-cased
 * without a trailing dot, addresses in canonical form (RFC 5952), the upgrade the port implies written
 * out, and the SNI. "Example.org", "example.org:443" and "https://example.org/" are the same target.
 */
export function targetKey(t: ProbeTarget): string {
  const host = canonicalAddress(t.host.toLowerCase().replace(/\.$/, ''));
  const starttls = t.starttls === 'none' ? '' : (t.starttls ?? STARTTLS_PORTS[t.port] ?? '');
  const sni = t.sni === false ? '-' : (t.sni ?? '').toLowerCase();
  const address = t.address === undefined ? '' : canonicalAddress(t.address);
  return [host, t.port, address, starttls, sni === host ? '' : sni].join(' ');
}

/** "mail.example.org:25", "www.example.org:443 at 192.0.2.10": a target for people. */
export function describeTarget(t: ProbeTarget): string {
  const where = formatTarget(t.host, t.port);
  return t.address === undefined ? where : `${where} at ${t.address}`;
}
