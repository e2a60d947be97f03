import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { errorMessage } from '../errors.js';
import type { TargetObservation } from '../model/target.js';
import type { SslLabsAssessOptions } from '../adapters/ssllabs/index.js';
import { concurrencyThatFits } from '../adapters/probe/file-budget.js';
import { allowTargetListeners, probe, createHostLimiter, type ProbeOptions } from '../adapters/probe/probe.js';
import { STARTTLS_PORTS } from '../adapters/probe/starttls.js';
import { formatTarget, parseTarget, type ProbeTarget } from '../adapters/probe/target.js';
import pLimit from 'p-limit';

export interface ScanOptions extends ProbeOptions {
  /** SSL Labs settings (apiUrl, email, fromCache, maxAgeHours, ...); the signal is shared with the probe. */
  sslLabs?: SslLabsAssessOptions;
  /** All addresses of a name, for telling public names from private ones (default: the system resolver). */
  resolveAll?: (host: string) => Promise<string[]>;
  /** Told which source serves a target, once it is known, and again when the probe takes over from SSL Labs. */
  onRoute?: (target: ProbeTarget, route: Route) => void;
}

export type Route = { source: 'ssllabs' } | { source: 'probe'; reason: string };

/** Names that never resolve publicly (RFC 6761, RFC 6762, RFC 8375, common private suffixes). */
const PRIVATE_SUFFIXES = ['.localhost', '.local', '.internal', '.intranet', '.lan', '.home.arpa', '.corp', '.test', '.invalid', '.example'];

/** Loopback, private (RFC 1918, RFC 4193), link-local, CGNAT (RFC 6598) and unspecified addresses. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a = 0, b = 0] = address.split('.').map(Number);
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const v6 = address.toLowerCase();
  if (v6 === '::1' || v6 === '::') return true;
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7));
  return /^f[cd][0-9a-f]{2}:/.test(v6) || /^fe[89ab][0-9a-f]:/.test(v6);
}

/** The SSL Labs client (and its HTTP stack) loads only when a target needs it, keeping `probe` start-up light. */
const sslLabs = () => import('../adapters/ssllabs/index.js');

export async function sslLabsConfigured(options: SslLabsAssessOptions | undefined): Promise<boolean> {
  if (!options) return false;
  const api = new (await sslLabs()).SslLabsApi(options);
  return api.version === 'v3' || api.email !== undefined;
}

/**
 * Which source serves a target: SSL Labs only for a public host name on port 443 without STARTTLS when
 * its API is configured; the native probe otherwise, with the reason.
 */
export async function routeTarget(target: ProbeTarget, options: ScanOptions): Promise<Route> {
  const starttls = target.starttls ?? options.starttls;
  const viaStartTls = starttls === 'none' ? undefined : (starttls ?? STARTTLS_PORTS[target.port]);
  if (viaStartTls) return { source: 'probe', reason: `SSL Labs cannot use STARTTLS (${viaStartTls})` };
  if (isIP(target.host)) return { source: 'probe', reason: `SSL Labs assesses host names, not addresses like ${target.host}` };
  const name = target.host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || !name.includes('.') || PRIVATE_SUFFIXES.some((s) => name.endsWith(s))) {
    return { source: 'probe', reason: `${target.host} is a private name SSL Labs cannot reach` };
  }
  if (target.port !== 443) return { source: 'probe', reason: `SSL Labs assesses port 443 only, not ${target.port}` };
  if (!(await sslLabsConfigured(options.sslLabs))) {
    return { source: 'probe', reason: 'the SSL Labs API is not configured (give --email or SSLLABS_EMAIL, or a v3 --api-url)' };
  }
  let addresses: string[];
  try {
    addresses = options.resolveAll ? await options.resolveAll(target.host) : (await lookup(target.host, { all: true })).map((a) => a.address);
  } catch (error) {
    return { source: 'probe', reason: `${target.host} does not resolve here (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}), so SSL Labs is not asked` };
  }
  const inside = addresses.find(isPrivateAddress);
  if (inside) return { source: 'probe', reason: `${target.host} resolves to the private address ${inside}, which SSL Labs cannot reach` };
  return { source: 'ssllabs' };
}

/**
 * Assesses targets with SSL Labs where it can serve and the native probe where it cannot, or where SSL
 * Labs failed for that host. Each observation's probe run says in `reason` why the probe served it; a
 * failed SSL Labs run stays in `runs`. Yields in input order.
 */
export async function* scan(targets: Iterable<string | ProbeTarget>, options: ScanOptions = {}): AsyncGenerator<TargetObservation> {
  const list = [...targets].map((t) => (typeof t === 'string' ? parseTarget(t) : t));
  const hostLimiter = options.hostLimiter ?? createHostLimiter(options.maxConnectionsPerHost ?? 5);
  const wanted = options.concurrency ?? 4;
  const fit = concurrencyThatFits(wanted, options.maxConnectionsPerHost ?? 5);
  if (fit.concurrency < wanted) options.onNotice?.(`concurrency lowered from ${wanted} to ${fit.concurrency}: ${fit.reason}`);
  const limit = pLimit(fit.concurrency);
  allowTargetListeners(options.signal, fit.concurrency);
  const probeOptions: ProbeOptions = { ...options, hostLimiter };
  const routes = await Promise.all(list.map((t) => routeTarget(t, options)));

  const viaProbe = (t: ProbeTarget, reason: string, before: TargetObservation['runs'] = []) =>
    limit(() => {
      options.onRoute?.(t, { source: 'probe', reason });
      return probe(t, probeOptions);
    }).then((o) => {
      const run = o.runs.find((r) => r.source === 'probe');
      if (run) run.reason = reason;
      o.runs = [...before, ...o.runs];
      return [o];
    });

  const sslLabsHosts = [...new Set(list.filter((_, i) => routes[i]!.source === 'ssllabs').map((t) => t.host))];
  const sslLabsResults = new Map<string, Promise<TargetObservation[]>>();
  if (sslLabsHosts.length > 0) {
    const resolvers = new Map<string, (o: TargetObservation[]) => void>();
    for (const h of sslLabsHosts) sslLabsResults.set(h, new Promise((resolve) => resolvers.set(h, resolve)));
    void collectSslLabs(sslLabsHosts, { ...options.sslLabs, ...(options.signal && { signal: options.signal }) }, resolvers);
  }

  const results = list.map((t, i) => {
    const route = routes[i]!;
    if (route.source === 'probe') return viaProbe(t, route.reason);
    options.onRoute?.(t, route);
    return sslLabsResults.get(t.host)!.then((observations) => {
      const ok = observations.filter((o) => !o.error);
      if (ok.length > 0) return observations;
      const why = observations.map((o) => o.error).find(Boolean) ?? 'no result';
      const failedRuns = observations.flatMap((o) => o.runs);
      return viaProbe(t, `SSL Labs could not assess ${formatTarget(t.host, t.port)}: ${why}`, failedRuns);
    });
  });
  for (const r of results) yield* await r;
}

/** Runs SSL Labs over `hosts` and hands each host its observations; a run-ending failure becomes every remaining host's error. */
async function collectSslLabs(hosts: string[], options: SslLabsAssessOptions, resolvers: Map<string, (o: TargetObservation[]) => void>): Promise<void> {
  const byHost = new Map<string, TargetObservation[]>();
  const hand = (host: string) => {
    resolvers.get(host)?.(byHost.get(host) ?? []);
    resolvers.delete(host);
  };
  let current: string | undefined;
  try {
    const run = (await sslLabs()).assessWithSslLabs(hosts, options);
    for await (const o of run) {
      const host = hosts.find((h) => h.toLowerCase() === o.host.toLowerCase()) ?? o.host;
      if (current !== undefined && current !== host) hand(current);
      current = host;
      byHost.set(host, [...(byHost.get(host) ?? []), o]);
    }
    if (current !== undefined) hand(current);
  } catch (error) {
    if (current !== undefined) hand(current);
    const message = errorMessage(error);
    for (const h of [...resolvers.keys()]) {
      byHost.set(h, [{ host: h, port: 443, sources: ['ssllabs'], runs: [{ source: 'ssllabs', error: message }], protocols: [], error: message }]);
      hand(h);
    }
  }
  for (const h of [...resolvers.keys()]) {
    byHost.set(h, [{ host: h, port: 443, sources: ['ssllabs'], runs: [{ source: 'ssllabs', error: 'SSL Labs returned nothing for this host' }], protocols: [], error: 'SSL Labs returned nothing for this host' }]);
    hand(h);
  }
}
