import { createECDH, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import type { LimitFunction } from 'p-limit';
import type { ProtocolVersion } from '../../model/protocol-version.js';
import { PROTOCOL_WIRE_VERSIONS } from '../../model/protocol-version.js';
import { buildClientHello, type KeyShareEntry } from './codec/client-hello.js';
import { GROUP_SECP256R1, GROUP_X25519 } from './codec/tables.js';
import { OFFERED_SIGNATURE_SCHEMES, offeredGroups } from './candidates.js';
import { exchangeHello, type Endpoint } from './exchange-hello.js';
import type { HelloResult } from './judge-answer.js';

export interface ProbeStats {
  /** TCP connections opened (handshake attempts, STARTTLS included, plus the certificate connection). */
  connections: number;
  /** ClientHellos sent. */
  handshakes: number;
}

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

/** Everything one target's probe shares across its protocols: endpoint, keys, the per-host cap, counters, the fatal stop. */
export class ProbeSession {
  readonly stats: ProbeStats = { connections: 0, handshakes: 0 };
  readonly controller = new AbortController();
  fatal: string | undefined;
  /** Set once the server answered a hello with more than 128 suites, so long hellos need no fallback. */
  longHellosOk = false;
  private readonly groups = offeredGroups();
  private leafKey: { type: string; bits?: number } | null | undefined;
  private acceptedOnce!: () => void;
  /** Resolves at the first accepted handshake: only then is a certificate connection worth making. */
  readonly firstAccepted = new Promise<void>((resolve) => (this.acceptedOnce = resolve));

  constructor(
    readonly endpoint: Omit<Endpoint, 'signal' | 'onConnect'>,
    readonly serverName: string | undefined,
    private readonly limit: LimitFunction,
    private readonly keyShares?: KeyShareEntry[],
    private readonly outerSignal?: AbortSignal,
  ) {
    // A listener added to a signal that already fired never runs: a target that waited in the queue
    // past Ctrl-C must not start probing.
    if (outerSignal?.aborted) this.controller.abort();
    else outerSignal?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  private readonly onOuterAbort = (): void => this.controller.abort();

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
        random: randomBytes(32),
        sessionId: randomBytes(32),
        serverName: this.serverName,
        groups: this.groups,
        signatureSchemes: OFFERED_SIGNATURE_SCHEMES,
        keyShares: this.keyShares ?? sharedKeyShares(),
      });
    };
    const result = await this.limit(() => {
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
    }).finally(() => {
      if (first) this.contacted();
    });
    if (result.kind === 'failed' && result.fatal) this.stop(result.reason);
    if ((result.kind === 'accepted' || result.kind === 'refused') && suites.length > 128) this.longHellosOk = true;
    if (result.kind === 'accepted') this.acceptedOnce();
    if (result.kind === 'accepted' && result.certificates?.[0] && this.leafKey === undefined) this.leafKey = keyOf(result.certificates[0]);
    return result;
  }

  /** Runs `fn` under the per-host connection cap (for the node:tls certificate connection). */
  withConnection<T>(fn: () => Promise<T>): Promise<T> {
    return this.limit(fn);
  }

  /** The leaf certificate's key as seen in a TLS <= 1.2 Certificate message, for plain-RSA key exchange. */
  get leafCertificateKey(): { type: string; bits?: number } | undefined {
    return this.leafKey ?? undefined;
  }

  stop(reason: string): void {
    this.fatal ??= reason;
    this.controller.abort();
  }
}

function keyOf(der: Uint8Array): { type: string; bits?: number } | null {
  try {
    const key = new X509Certificate(der).publicKey;
    const details = key.asymmetricKeyDetails;
    const out: { type: string; bits?: number } = { type: key.asymmetricKeyType ?? 'unknown' };
    if (details?.modulusLength !== undefined) out.bits = details.modulusLength;
    return out;
  } catch {
    return null;
  }
}
