import { lookup } from 'node:dns/promises';
import { getMaxListeners, setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ProtocolVersion } from '../../model/protocol-version.js';
import type { CertificateKeyFamily } from '../../model/certificate.js';
import type { EvidenceGap, ProtocolObservation, SourceRun, TargetObservation } from '../../model/target.js';
import type { Provenance } from '../../model/source.js';
import { formatCode } from '../../registry/index.js';
import { errorMessage } from '../../errors.js';
import { suiteInfo } from './candidates.js';
import { ConnectionFailure } from './connection.js';
import { summariseLeaf } from './describe-certificate.js';
import { enumerateProtocol, RETRY_DELAYS_MS, settleSilence, type ProtocolOutcome } from './enumerate-protocol.js';
import { fetchPeerChain, type CertificateFetchOptions, type PeerChain } from './fetch-certificates.js';
import { concurrencyThatFits } from './file-budget.js';
import { observeCertificate } from './observe-certificates.js';
import { pause } from './pause.js';
import { LOCAL_WAIT_LIMIT_MS, ProbeSession, type ProbeStats } from './probe-session.js';
import { STARTTLS_PORTS, type StartTlsProtocol } from './starttls.js';
import { formatTarget, hostOf, parseTarget, type ProbeTarget } from './target.js';
import { bundledTrustStore, type TrustStore } from './validate-chain.js';
import { orderedPool } from '../../sweep/ordered-pool.js';
import type { HttpProxy } from './http-proxy.js';
import type { HelloEvent } from './describe-hello.js';

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
  /** Fetch and judge the certificates with node:tls (default true). */
  certificate?: boolean;
  /** Roots a chain must lead to (default: Node's bundled Mozilla roots); see loadTrustStore for --ca-file. */
  trustStore?: TrustStore;
  signal?: AbortSignal;
  /** Resolves a host name to the address to connect to (default: the system resolver, first answer). */
  resolve?: (host: string) => Promise<string>;
  /** Shares the per-host cap across calls (probeMany passes its own). */
  hostLimiter?: HostLimiter;
  /** Told things about the run worth a notice (concurrency lowered to fit the open-file limit). */
  onNotice?: (message: string) => void;
  /** Tunnel every connection through this HTTP proxy with CONNECT; names are then resolved by the proxy. */
  proxy?: HttpProxy;
  /** Told of each ClientHello's outcome, with the target it was sent to (for debugging a server: the CLI's -v). */
  onHello?: (target: ProbeTarget, event: HelloEvent) => void;
}

/** The error of a target the run was interrupted in, and of one it never reached. */
export const INTERRUPTED = 'interrupted before the enumeration finished';
export const NOT_STARTED = 'not started: the run was interrupted first';

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
  const stats: ProbeStats = { connections: 0, handshakes: 0, retries: 0, localWaits: 0 };
  const finish = (): ProbeResult => {
    const durationMs = Date.now() - started;
    const waits = stats.localWaits > 0 ? [`waited ${stats.localWaits} times for this machine's resources (open files, local ports) to free up`] : [];
    const proxy = options.proxy ? [`through the proxy ${options.proxy.label}`] : [];
    run.notes = [...(run.notes ?? []), ...waits, ...proxy, `${stats.connections} TCP connections, ${stats.handshakes} ClientHellos in ${(durationMs / 1000).toFixed(2)} s`];
    return { observation, stats: { ...stats, durationMs } };
  };

  // Queued behind other targets when Ctrl-C came: shown, but never connected to.
  if (options.signal?.aborted) {
    observation.error = `${formatTarget(t.host, t.port)}: ${NOT_STARTED}`;
    run.error = observation.error;
    return finish();
  }

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
  const onHello = options.onHello;
  const session = new ProbeSession(endpoint, serverName, limiter(address), undefined, options.signal, onHello && ((event) => onHello(t, event)));
  const protocols = options.protocols ?? PROBE_PROTOCOLS;

  let enumerationDone!: () => void;
  const enumerated = new Promise<'done'>((resolve) => (enumerationDone = () => resolve('done')));
  // The certificate connection waits for the first accepted handshake, so a target that speaks no TLS costs none.
  const certificate: Promise<FetchedChain[] | CertificateFailure | undefined> =
    options.certificate === false
      ? Promise.resolve(undefined)
      : Promise.race([session.firstAccepted.then(() => 'accepted' as const), enumerated]).then((why) =>
          why === 'done' || session.stopped
            ? undefined
            : fetchCertificateWithRetries(session, () =>
                fetchChains((keyFamily) =>
                  fetchPeerChain({ ...endpoint, serverName, signal: session.signal, onConnect: () => stats.connections++, ...(keyFamily && { keyFamily }) }),
                ),
              ),
        );

  let outcomes: ProtocolOutcome[];
  let cert: FetchedChain[] | CertificateFailure | undefined;
  try {
    outcomes = await Promise.all(protocols.map((v) => enumerateProtocol(session, v)));
    await Promise.all(outcomes.map((o) => settleSilence(session, o)));
    enumerationDone();
    cert = await certificate;
  } finally {
    session.dispose();
  }
  stats.connections += session.stats.connections;
  stats.handshakes += session.stats.handshakes;
  stats.retries += session.stats.retries;
  stats.localWaits += session.stats.localWaits;

  const notes: string[] = [];
  for (const o of outcomes) notes.push(...o.notes);
  if (session.fatal) {
    observation.error = describeFatal(session.fatal, t.host, t.port, starttls);
    run.error = observation.error;
    if (notes.length) run.notes = notes;
    return finish();
  }
  const gaps: EvidenceGap[] = [];
  for (const o of outcomes) {
    if (o.accepted.length > 0) observation.protocols.push(toObservation(o, provenance));
    if (o.error) notes.push(`${o.version}: ${o.error}${o.accepted.length > 0 ? ' (suite list may be incomplete)' : ''}`);
    for (const reason of [...(o.error !== undefined ? [o.error] : []), ...o.gaps]) gaps.push({ source: 'probe', protocol: o.version, reason });
  }
  if (isFailure(cert)) {
    notes.push(cert.message);
    if (cert.transient) gaps.push({ source: 'probe', certificate: true, reason: cert.message });
  } else if (cert && cert.length > 0 && observation.protocols.length > 0) {
    const observe = {
      provenance,
      store: options.trustStore ?? bundledTrustStore(),
      at: new Date(started),
      sentChain: (der: Uint8Array) => session.sentChain(der),
      ...(serverName !== undefined && { serverName }),
      hostname: serverName ?? t.host.replace(/^\[|\]$/g, ''),
    };
    observation.certificates = cert.map((c) => observeCertificate(c.peer, c.keyFamily, observe));
    observation.certificate = summariseLeaf(observation.certificates[0]!.chain[0]!);
  }
  if (notes.length) run.notes = notes;
  // Cancelled before this target was done (mid-enumeration, mid-preference, mid-certificate).
  if (session.cancelled) {
    // What was seen stays as evidence; a verdict on part of an enumeration would be a guess.
    observation.error = `${formatTarget(t.host, t.port)}: ${INTERRUPTED}`;
    run.error = observation.error;
    if (gaps.length > 0) observation.incomplete = gaps;
    return finish();
  }
  if (observation.protocols.length === 0) {
    observation.error = describeNothing(outcomes, formatTarget(t.host, t.port));
    run.error = observation.error;
    return finish();
  }
  if (gaps.length > 0) observation.incomplete = gaps;
  return finish();
}

/** Why the certificate could not be read; `transient` when it was a reset, a close or a timeout, not a TLS refusal. */
interface CertificateFailure {
  failed: true;
  message: string;
  transient: boolean;
}

function isFailure<T>(c: T | CertificateFailure | undefined): c is CertificateFailure {
  return typeof c === 'object' && c !== null && 'failed' in c;
}

/**
 * The certificate handshake, retried like a hello after a reset, a close or a timeout (and waiting out a
 * local resource shortage); a TLS-level refusal (node:tls cannot speak what the server does) is final.
 */
async function fetchCertificateWithRetries<T>(session: ProbeSession, fetch: () => Promise<T>): Promise<T | CertificateFailure | undefined> {
  let localWaited = 0;
  for (let attempt = 0; ; ) {
    if (session.stopped) return undefined;
    try {
      return await session.withConnection(() => (session.stopped ? Promise.resolve(undefined) : fetch()));
    } catch (error) {
      const local = error instanceof ConnectionFailure && error.kind === 'local';
      const transient = local || (error instanceof ConnectionFailure ? ['closed', 'reset', 'timeout', 'network'].includes(error.kind) : /closed the connection|disconnected|ECONNRESET|EPIPE|socket hang up|no certificate within/i.test(errorMessage(error)));
      const message = `certificate: ${errorMessage(error)}`;
      if (local && localWaited < LOCAL_WAIT_LIMIT_MS) {
        session.stats.localWaits++;
        localWaited += 500;
        await pause(500, session.signal);
        continue;
      }
      if (!transient || attempt >= RETRY_DELAYS_MS.length || session.stopped) return { failed: true, message: attempt > 0 ? `${message} (${attempt + 1} attempts)` : message, transient };
      session.stats.retries++;
      await pause(RETRY_DELAYS_MS[attempt]!, session.signal);
      attempt++;
    }
  }
}

interface FetchedChain {
  peer: PeerChain;
  keyFamily?: CertificateKeyFamily;
}

function familyOf(peer: PeerChain): CertificateKeyFamily | undefined {
  const type = peer.chain[0]?.publicKey.asymmetricKeyType;
  return type === 'rsa' || type === 'rsa-pss' ? 'rsa' : type === 'ec' ? 'ecdsa' : undefined;
}

/**
 * The chain a default handshake gets, then the other signature family's, offered alone: a server with
 * RSA and ECDSA certificates shows only one to a client that accepts both.
 */
async function fetchChains(fetch: (keyFamily?: CertificateFetchOptions['keyFamily']) => Promise<PeerChain>): Promise<FetchedChain[]> {
  const first = await fetch();
  const family = familyOf(first);
  if (!family) return [{ peer: first }];
  const other: CertificateKeyFamily = family === 'rsa' ? 'ecdsa' : 'rsa';
  // A server without a certificate of the other family refuses the handshake: nothing more to see.
  const second = await fetch(other).catch(() => undefined);
  if (!second || familyOf(second) !== other || second.chain[0]!.fingerprint256 === first.chain[0]!.fingerprint256) return [{ peer: first }];
  return [
    { peer: first, keyFamily: family },
    { peer: second, keyFamily: other },
  ];
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
  if (o.gaps.length > 0) p.warnings = [...(p.warnings ?? []), ...o.gaps];
  return p;
}

/**
 * Each target in flight listens on the caller's signal until it finishes (and then lets go), so more than
 * ten listeners at once is expected with a high concurrency, not the leak Node warns about by default.
 */
export function allowTargetListeners(signal: AbortSignal | undefined, concurrency: number): void {
  if (signal && getMaxListeners(signal) < concurrency + 10) setMaxListeners(concurrency + 10, signal);
}

/** A target's host for the pool's look-ahead; a target that does not parse is its own group (probe() reports it). */
function groupOfTarget(t: string | ProbeTarget): string {
  if (typeof t !== 'string') return hostOf(t);
  try {
    return hostOf(parseTarget(t));
  } catch {
    return t;
  }
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
  const perHost = options.maxConnectionsPerHost ?? 5;
  const wanted = options.concurrency ?? 4;
  // Each target holds up to `perHost` sockets at once; more targets than the open-file limit allows only
  // turns working servers into EMFILE errors.
  const fit = concurrencyThatFits(wanted, perHost);
  if (fit.concurrency < wanted) options.onNotice?.(`concurrency lowered from ${wanted} to ${fit.concurrency}: ${fit.reason}`);
  const concurrency = fit.concurrency;
  const hostLimiter = options.hostLimiter ?? createHostLimiter(perHost);
  allowTargetListeners(options.signal, concurrency);
  yield* orderedPool(targets, (t) => probe(t, { ...options, hostLimiter }), concurrency, { groupOf: groupOfTarget });
}
