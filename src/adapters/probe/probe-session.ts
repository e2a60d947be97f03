import { createECDH, createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { LimitFunction } from 'p-limit';
import type { ProtocolVersion } from '../../model/protocol-version.js';
import { PROTOCOL_WIRE_VERSIONS } from '../../model/protocol-version.js';
import { buildClientHello, type KeyShareEntry } from './codec/client-hello.js';
import { GROUP_SECP256R1, GROUP_X25519 } from './codec/tables.js';
import { OFFERED_SIGNATURE_SCHEMES, offeredGroups } from './candidates.js';
import { exchangeHello, type Endpoint } from './exchange-hello.js';
import type { HelloResult } from './judge-answer.js';
import type { HelloEvent } from './describe-hello.js';
import { pause } from './pause.js';

export interface ProbeStats {
  /** TCP connections opened (handshake attempts, STARTTLS included, plus the certificate connection). */
  connections: number;
  /** ClientHellos sent. */
  handshakes: number;
  /** Hellos sent again after a reset, a close without an answer or a timeout. */
  retries: number;
  /** Waits for this machine's resources (file descriptors, ports) to free up. */
  localWaits: number;
}

/** A hello the server is known to accept: asked again, it tells a live server from one that stopped answering. */
export interface KnownGood {
  version: ProtocolVersion;
  suite: number;
}

/**
 * A local resource error (EMFILE, EADDRNOTAVAIL, ...) is this machine's, not the server's: wait for
 * other connections to close and try again, doubling the pause up to 2 s, for at most this long in all.
 */
export const LOCAL_WAIT_LIMIT_MS = 60_000;

/**
 * Real X25519 and P-256 public keys for TLS 1.3 key_share (RFC 8446 §4.2.8): the probe never completes
 * a handshake, but servers check that a share is a valid point.
 */
export function makeKeyShares(): KeyShareEntry[] {
  const x = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' });
  const p256 = createECDH('prime256v1');
  p256.generateKeys();
  return [
    { group: GROUP_X25519, key: Uint8Array.from(x.subarray(x.length - 32)) },
    { group: GROUP_SECP256R1, key: Uint8Array.from(p256.getPublicKey()) },
  ];
}

let shared: KeyShareEntry[] | undefined;

/**
 * One set of key shares for the whole process, made at the first hello that is sent: no secret is ever
 * derived from them (no handshake completes), so fresh keys per target only cost CPU, about a tenth of
 * a sweep's, and a closed port needs none at all.
 */
export function sharedKeyShares(): KeyShareEntry[] {
  return (shared ??= makeKeyShares());
}

/**
 * The reason every session's signal carries (nothing reads it; the session's `fatal` says why). Without
 * one, abort() makes a DOMException with a stack trace, a noticeable cost when most targets of a range
 * sweep are closed ports stopped at their first connection.
 */
const STOPPED = Object.freeze({ stopped: true });

/** Everything one target's probe shares across its protocols: endpoint, keys, the per-host cap, counters, the fatal stop. */
export class ProbeSession {
  readonly stats: ProbeStats = { connections: 0, handshakes: 0, retries: 0, localWaits: 0 };
  readonly controller = new AbortController();
  fatal: string | undefined;
  /** Set once the server answered a hello with more than 128 suites cleanly, so long hellos need no fallback. */
  longHellosOk = false;
  /** Set once the server has answered any hello with TLS (a ServerHello or an alert). */
  answered = false;
  /** The first hello the server accepted, kept as a control for telling deliberate silence from an outage. */
  knownGood: KnownGood | undefined;
  /**
   * Set once a hello met with a reset, a close or a timeout was answered when asked again: this server (or
   * the path to it) drops connections at random, so silence on every retry is no longer its answer.
   */
  flaky = false;
  private readonly groups = offeredGroups();
  /** Certificate lists exactly as TLS <= 1.2 servers sent them, by the leaf's SHA-256. */
  private readonly sent = new Map<string, Uint8Array[]>();
  private acceptedOnce!: () => void;
  /** Resolves at the first accepted handshake: only then is a certificate connection worth making. */
  readonly firstAccepted = new Promise<void>((resolve) => (this.acceptedOnce = resolve));

  constructor(
    readonly endpoint: Omit<Endpoint, 'signal' | 'onConnect'>,
    readonly serverName: string | undefined,
    private readonly limit: LimitFunction,
    private readonly keyShares?: KeyShareEntry[],
    private readonly outerSignal?: AbortSignal,
    /** Told of every hello's outcome (the CLI's -v). */
    private readonly onHello?: (event: HelloEvent) => void,
  ) {
    // A listener added to a signal that already fired never runs: a target that waited in the queue
    // past Ctrl-C must not start probing.
    if (outerSignal?.aborted) this.controller.abort(STOPPED);
    else outerSignal?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  private readonly onOuterAbort = (): void => this.controller.abort(STOPPED);

  /** Lets go of the caller's signal, which outlives this target (one listener per target would pile up). */
  dispose(): void {
    this.outerSignal?.removeEventListener('abort', this.onOuterAbort);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /**
   * Settles once the first connection is up, or the first attempt is over: until then the other
   * protocols wait, so a closed port or a dark address costs one connection attempt, not one per
   * protocol (in a sweep of a range, nearly every target is one of those).
   */
  private firstContact: Promise<void> | undefined;
  private contacted!: () => void;

  /** Sends one ClientHello offering `suites` with `version`; a fatal answer stops the whole target. */
  async hello(version: ProtocolVersion, suites: readonly number[]): Promise<HelloResult> {
    if (this.stopped) return { kind: 'failed', fatal: false, reason: this.fatal ?? 'the probe was cancelled' };
    let first = false;
    if (this.firstContact === undefined) {
      first = true;
      this.firstContact = new Promise((resolve) => (this.contacted = resolve));
    } else {
      await this.firstContact;
      if (this.stopped) return { kind: 'failed', fatal: false, reason: this.fatal ?? 'the probe was cancelled' };
    }
    const wire = PROTOCOL_WIRE_VERSIONS[version];
    // Built once the connection is up (and any upgrade done): a closed port costs no hello at all.
    const bytes = () => {
      // Counted when sent: a refused connection sends none, whatever the timing of the other protocols.
      this.stats.handshakes++;
      return buildClientHello({
        version: wire,
        cipherSuites: suites,
        ...randomAndSessionId(),
        serverName: this.serverName,
        groups: this.groups,
        signatureSchemes: OFFERED_SIGNATURE_SCHEMES,
        keyShares: this.keyShares ?? sharedKeyShares(),
      });
    };
    let result!: HelloResult;
    try {
      for (let waited = 0, pauseMs = 100; ; pauseMs = Math.min(2000, pauseMs * 2)) {
        result = await this.limit(() => {
          if (this.stopped) return Promise.resolve<HelloResult>({ kind: 'failed', fatal: false, reason: this.fatal ?? 'the probe was cancelled' });
          return exchangeHello(
            {
              ...this.endpoint,
              signal: this.signal,
              onConnect: () => {
                this.stats.connections++;
                if (first) this.contacted();
              },
            },
            bytes,
            { version: wire, suites },
          );
        });
        if (!(result.kind === 'failed' && result.local) || this.stopped || waited >= LOCAL_WAIT_LIMIT_MS) break;
        this.stats.localWaits++;
        await pause(pauseMs, this.signal);
        waited += pauseMs;
      }
    } finally {
      if (first) this.contacted();
    }
    // A server that answered before and now refuses connections (fail2ban's REJECT) or the STARTTLS
    // upgrade (a mail server's "421 too many connections") is rate-limiting us: a fault to retry and,
    // failing that, a gap, not a reason to drop what was seen.
    if (result.kind === 'failed' && result.turnedAway && this.answered) result = { kind: 'failed', fatal: false, reason: `${result.reason} after it had answered` };
    if (result.kind === 'failed' && result.fatal) this.stop(result.reason);
    if (result.kind === 'accepted' || result.kind === 'refused' || result.kind === 'downgraded') this.answered = true;
    if (((result.kind === 'refused' && result.clean) || result.kind === 'accepted') && suites.length > 128) this.longHellosOk = true;
    if (result.kind === 'accepted') {
      this.knownGood ??= { version, suite: result.suite };
      this.acceptedOnce();
    }
    if (result.kind === 'accepted' && result.certificates?.[0]) {
      const key = derSha256(result.certificates[0]);
      if (!this.sent.has(key)) this.sent.set(key, result.certificates);
    }
    this.onHello?.({ version, offered: suites.length, result });
    return result;
  }

  /** The certificate list a TLS <= 1.2 handshake of this probe received with this leaf, in the order sent. */
  sentChain(leafDer: Uint8Array): Uint8Array[] | undefined {
    return this.sent.get(derSha256(leafDer));
  }

  /** Runs `fn` under the per-host connection cap (for the node:tls certificate connection). */
  withConnection<T>(fn: () => Promise<T>): Promise<T> {
    return this.limit(fn);
  }

  /** Stopped by the caller's signal (Ctrl-C), not by a fatal answer. */
  get cancelled(): boolean {
    return this.stopped && this.fatal === undefined;
  }

  stop(reason: string): void {
    this.fatal ??= reason;
    this.controller.abort(STOPPED);
  }
}

let randomPool = Buffer.alloc(0);
let randomAt = 0;

/**
 * A hello's random and legacy session id (RFC 8446 §4.1.2: 32 random bytes each), cut from a pool
 * drawn 256 hellos at a time: one draw per hello was 1.5 % of a sweep's CPU.
 */
function randomAndSessionId(): { random: Uint8Array; sessionId: Uint8Array } {
  if (randomAt + 64 > randomPool.length) {
    randomPool = randomBytes(64 * 256);
    randomAt = 0;
  }
  const bytes = randomPool.subarray(randomAt, (randomAt += 64));
  return { random: bytes.subarray(0, 32), sessionId: bytes.subarray(32) };
}

function derSha256(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}
