import { lookup } from 'node:dns/promises';
import { getMaxListeners, setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ProtocolVersion } from '../../model/protocol-version.js';
import type { CertificateSummary, ProtocolObservation, SourceRun, TargetObservation } from '../../model/target.js';
import type { Provenance } from '../../model/source.js';
import { formatCode } from '../../registry/index.js';
import { errorMessage } from '../../errors.js';
import { suiteInfo } from './candidates.js';
import { fetchCertificateSummary } from './certificate-summary.js';
import { enumerateProtocol, type ProtocolOutcome } from './enumerate-protocol.js';
import { ProbeSession, type ProbeStats } from './probe-session.js';
import { STARTTLS_PORTS, type StartTlsProtocol } from './starttls.js';
import { formatTarget, parseTarget, type ProbeTarget } from './target.js';
import { orderedPool } from '../../sweep/ordered-pool.js';
import type { HttpProxy } from './http-proxy.js';

/** Protocols the probe tests (SSLv2 has another hello format and is out of scope). */
export const PROBE_PROTOCOLS: readonly ProtocolVersion[] = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export interface ProbeOptions {
  /** Deadline per handshake in ms, connect to last byte (default 5000; 15000 with STARTTLS). */
  timeout?: number;
  /** STARTTLS protocol; default: by well-known port (25, 587 smtp; 143 imap; 110 pop3; 21 ftp; ...); 'none' to turn it off. */
  starttls?: StartTlsProtocol | 'none';
  /** SNI to send instead of the target's name; false for none. */
  sni?: string | false;
  protocols?: readonly ProtocolVersion[];
  /** At most this many connections to one address at a time (default 5: one per protocol). */
  maxConnectionsPerHost?: number;
  /** Targets probed at once by probeMany (default 4). */
  concurrency?: number;
  /** Fetch the certificate summary with node:tls (default true). */
  certificate?: boolean;
  signal?: AbortSignal;
  /** Resolves a host name to the address to connect to (default: the system resolver, first answer). */
  resolve?: (host: string) => Promise<string>;
  /** Shares the per-host cap across calls (probeMany passes its own). */
  hostLimiter?: HostLimiter;
  /** Tunnel every connection through this HTTP proxy with CONNECT; names are then resolved by the proxy. */
  proxy?: HttpProxy;
}

export interface ProbeResult {
  observation: TargetObservation;
  stats: ProbeStats & { durationMs: number };
}

export type HostLimiter = (address: string) => LimitFunction;

/** Past this many addresses, idle limiters are dropped, so a sweep of a /16 does not keep 65,536 of them. */
const IDLE_LIMITERS_KEPT = 1024;

export function createHostLimiter(perHost = 5): HostLimiter {
  const limits = new Map<string, LimitFunction>();
  return (address) => {
    let l = limits.get(address);
    if (!l) {
      if (limits.size >= IDLE_LIMITERS_KEPT) {
        for (const [a, other] of limits) if (other.activeCount === 0 && other.pendingCount === 0) limits.delete(a);
      }
      l = pLimit(perHost);
      limits.set(address, l);
    }
    return l;
  };
}

const DEFAULT_TIMEOUT = 5000;
// Mail servers may hold their greeting back on purpose (Postfix postscreen waits 6 s by default) and the
// STARTTLS dialogue comes before the handshake, inside the same deadline.
const DEFAULT_STARTTLS_TIMEOUT = 15000;

/** Probes one target natively and returns what it saw as a TargetObservation (source 'probe'). */
export async function probe(target: string | ProbeTarget, options: ProbeOptions = {}): Promise<TargetObservation> {
  return (await probeWithStats(target, options)).observation;
}

/** Like probe(), with the number of connections and handshakes it took. */
export async function probeWithStats(target: string | ProbeTarget, options: ProbeOptions = {}): Promise<ProbeResult> {
  const t = typeof target === 'string' ? parseTarget(target) : target;
  const started = Date.now();
  const observedAt = new Date(started).toISOString();
  const provenance: Provenance = { source: 'probe', observedAt, origin: 'probe' };
  const starttlsOption = t.starttls ?? options.starttls;
  const starttls = starttlsOption === 'none' ? undefined : (starttlsOption ?? STARTTLS_PORTS[t.port]);
  const sniOption = t.sni ?? options.sni;
  // SNI carries no trailing dot (RFC 6066 §3) and never an address.
  const serverName = sniOption === false ? undefined : (sniOption ?? (isIP(t.host) ? undefined : t.host.replace(/\.$/, '')));
  const observation: TargetObservation = { host: t.host, port: t.port, sources: ['probe'], runs: [], protocols: [] };
  if (starttls) {
    observation.service = starttls;
    observation.starttls = starttls;
  }
  const run: SourceRun = { ...provenance };
  observation.runs.push(run);
  const stats: ProbeStats = { connections: 0, handshakes: 0 };
  const finish = (): ProbeResult => {
    const durationMs = Date.now() - started;
    if (options.proxy) run.notes = [...(run.notes ?? []), `through the proxy ${options.proxy.label}`];
    run.notes = [...(run.notes ?? []), `${stats.connections} TCP connections, ${stats.handshakes} ClientHellos in ${(durationMs / 1000).toFixed(2)} s`];
    return { observation, stats: { ...stats, durationMs } };
  };

  let address: string;
  try {
    // Through a proxy the name goes in the CONNECT request: the proxy resolves it, as it would for a browser.
    address = t.address ?? (isIP(t.host) || options.proxy ? t.host : options.resolve ? await options.resolve(t.host) : (await lookup(t.host)).address);
  } catch (error) {
    observation.error = `cannot resolve ${t.host}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`;
    run.error = observation.error;
    return finish();
  }
  if (isIP(address)) observation.address = address;
  if (serverName !== undefined) observation.sni = serverName;

  const timeoutMs = options.timeout ?? (starttls ? DEFAULT_STARTTLS_TIMEOUT : DEFAULT_TIMEOUT);
  const limiter = options.hostLimiter ?? createHostLimiter(options.maxConnectionsPerHost ?? 5);
  const endpoint = { address, port: t.port, timeoutMs, ...(starttls && { starttls }), domain: serverName ?? t.host, ...(options.proxy && { proxy: options.proxy }) };
  const session = new ProbeSession(endpoint, serverName, limiter(address), undefined, options.signal);
  const protocols = options.protocols ?? PROBE_PROTOCOLS;

  let enumerationDone!: () => void;
  const enumerated = new Promise<'done'>((resolve) => (enumerationDone = () => resolve('done')));
  // The certificate connection waits for the first accepted handshake, so a target that speaks no TLS costs none.
  const certificate: Promise<CertificateSummary | string | undefined> =
    options.certificate === false
      ? Promise.resolve(undefined)
      : Promise.race([session.firstAccepted.then(() => 'accepted' as const), enumerated]).then((why) =>
          why === 'done' || session.stopped
            ? undefined
            : session
                .withConnection(() =>
                  session.stopped
                    ? Promise.resolve(undefined)
                    : fetchCertificateSummary({ ...endpoint, serverName, signal: session.signal, onConnect: () => stats.connections++ }),
                )
                .catch((error: unknown) => `certificate: ${errorMessage(error)}`),
        );

  let outcomes: ProtocolOutcome[];
  let cert: CertificateSummary | string | undefined;
  try {
    outcomes = await Promise.all(protocols.map((v) => enumerateProtocol(session, v)));
    enumerationDone();
    cert = await certificate;
  } finally {
    session.dispose();
  }
  stats.connections += session.stats.connections;
  stats.handshakes += session.stats.handshakes;

  const notes: string[] = [];
  for (const o of outcomes) notes.push(...o.notes);
  if (session.fatal) {
    observation.error = describeFatal(session.fatal, t.host, t.port, starttls);
    run.error = observation.error;
    if (notes.length) run.notes = notes;
    return finish();
  }
  for (const o of outcomes) {
    if (o.accepted.length > 0) observation.protocols.push(toObservation(o, provenance));
    if (o.error) notes.push(`${o.version}: ${o.error}${o.accepted.length > 0 ? ' (suite list may be incomplete)' : ''}`);
  }
  if (observation.protocols.length === 0) {
    observation.error = describeNothing(outcomes, formatTarget(t.host, t.port));
    run.error = observation.error;
  }
  if (typeof cert === 'string') notes.push(cert);
  else if (cert && observation.protocols.length > 0) observation.certificate = cert;
  if (notes.length) run.notes = notes;
  return finish();
}

function describeFatal(reason: string, host: string, port: number, starttls: string | undefined): string {
  return `${formatTarget(host, port)}${starttls ? ` (${starttls.toUpperCase()} STARTTLS)` : ''}: ${reason}`;
}

/** One line saying why no protocol was found: the failure if any, else what every protocol answered. */
function describeNothing(outcomes: ProtocolOutcome[], where: string): string {
  const failure = outcomes.find((o) => o.error);
  if (failure) return `${where}: ${failure.error}`;
  const answers = new Map<string, ProtocolVersion[]>();
  for (const o of outcomes) {
    const key = o.unsupported ?? 'no suite accepted';
    answers.set(key, [...(answers.get(key) ?? []), o.version]);
  }
  const parts = [...answers].map(([why, versions]) => `${versions.join(', ')}: ${why}`);
  return `${where}: no TLS handshake succeeded (${parts.join('; ')})`;
}

function toObservation(o: ProtocolOutcome, provenance: Provenance): ProtocolObservation {
  const p: ProtocolObservation = {
    version: o.version,
    ciphers: o.accepted.map((a) => {
      const info = suiteInfo(a.code);
      const evidence = { ...provenance, ...(a.group && { group: a.group }), ...(a.kexBits !== undefined && { kexBits: a.kexBits }), ...(a.kexInfo && { kexInfo: a.kexInfo }) };
      return { code: formatCode(a.code), name: info?.name ?? formatCode(a.code), evidence: [evidence] };
    }),
    evidence: [{ ...provenance }],
  };
  if (o.preference) p.cipherPreference = o.preference;
  if (o.error) p.warnings = [`enumeration cut short: ${o.error}`];
  return p;
}

/**
 * Each target in flight listens on the caller's signal until it finishes (and then lets go), so more than
 * ten listeners at once is expected with a high concurrency, not the leak Node warns about by default.
 */
export function allowTargetListeners(signal: AbortSignal | undefined, concurrency: number): void {
  if (signal && getMaxListeners(signal) < concurrency + 10) setMaxListeners(concurrency + 10, signal);
}

/**
 * Probes many targets, `concurrency` at a time, sharing one per-host connection cap; yields in input
 * order. Targets are pulled from `targets` only as slots free up, so a long list or a generator of
 * addresses streams through in bounded memory. A failing target is yielded with `error` set; it never
 * stops the others.
 */
export async function* probeMany(
  targets: Iterable<string | ProbeTarget> | AsyncIterable<string | ProbeTarget>,
  options: ProbeOptions = {},
): AsyncGenerator<TargetObservation> {
  const concurrency = options.concurrency ?? 4;
  const hostLimiter = options.hostLimiter ?? createHostLimiter(options.maxConnectionsPerHost ?? 5);
  allowTargetListeners(options.signal, concurrency);
  yield* orderedPool(targets, (t) => probe(t, { ...options, hostLimiter }), concurrency);
}
