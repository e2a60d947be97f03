import { ServerFlightReader } from './codec/server-flight.js';
import { Connection, ConnectionFailure } from './connection.js';
import { judgeAnswer, type HelloResult, type Offer } from './judge-answer.js';
import { startTls, type StartTlsProtocol } from './starttls.js';

/** Where and how to reach a target's TLS layer. */
export interface Endpoint {
  address: string;
  port: number;
  starttls?: StartTlsProtocol;
  /** Domain for protocols that name it in plaintext (XMPP's stream `to`). */
  domain?: string;
  /** Per-handshake deadline in ms, from connect to the last byte needed. */
  timeoutMs: number;
  /** How long to wait for the rest of a flight once an acceptable ServerHello has arrived (default FLIGHT_GRACE_MS). */
  flightGraceMs?: number;
  signal?: AbortSignal;
  onConnect?: () => void;
}

/**
 * After a ServerHello that picks an offered suite, the Certificate and ServerKeyExchange come in the same
 * flight, written together by every stack we know of; a server that sends the ServerHello and then nothing
 * must not cost the whole deadline on every handshake.
 */
export const FLIGHT_GRACE_MS = 2000;

/** Opens a connection (running STARTTLS first when asked), sends `hello`, and judges the server's first flight. */
export async function exchangeHello(endpoint: Endpoint, hello: Uint8Array, offer: Offer): Promise<HelloResult> {
  const deadline = Date.now() + endpoint.timeoutMs;
  let conn: Connection | undefined;
  const reader = new ServerFlightReader();
  try {
    conn = await Connection.open({ address: endpoint.address, port: endpoint.port, deadline, signal: endpoint.signal, onConnect: endpoint.onConnect });
    if (endpoint.starttls) await startTls(conn, endpoint.starttls, endpoint.domain);
    conn.write(hello);
    let graceSet = false;
    for (;;) {
      const outcome = reader.push(await conn.read());
      if (outcome) return judgeAnswer(offer, outcome);
      // A ServerHello that breaks the offer needs no further waiting.
      const partial = reader.partial;
      if (partial) {
        const early = judgeAnswer(offer, partial);
        if (early.kind === 'failed' || early.kind === 'downgraded') return early;
        if (!graceSet) {
          graceSet = true;
          const grace = endpoint.flightGraceMs ?? FLIGHT_GRACE_MS;
          conn.shortenDeadline(grace, `the server sent its ServerHello, then nothing more within ${grace} ms`);
        }
      }
    }
  } catch (error) {
    if (!(error instanceof ConnectionFailure)) throw error;
    // A server that sends its ServerHello and then hangs up (or goes quiet) has still answered: the suite
    // is chosen, only what follows it is missing.
    const partial = reader.partial;
    if (partial) {
      const r = judgeAnswer(offer, partial);
      if (r.kind === 'accepted' && partial.kind === 'server-hello' && partial.serverHello.version < 0x0304 && !partial.serverHello.helloRetryRequest) r.flightComplete = false;
      return r;
    }
    return failureResult(error, endpoint.timeoutMs);
  } finally {
    conn?.close();
  }
}

export function failureResult(error: ConnectionFailure, timeoutMs: number): HelloResult {
  switch (error.kind) {
    case 'closed':
    case 'reset':
      return error.bytesReceived === 0 ? { kind: 'silent', reason: error.message } : { kind: 'failed', fatal: false, reason: error.message };
    case 'timeout':
      return {
        kind: 'failed',
        fatal: false,
        timeout: true,
        reason: error.bytesReceived === 0
          ? `no answer within ${timeoutMs} ms`
          : `only ${error.bytesReceived} bytes of an answer within ${timeoutMs} ms`,
      };
    case 'refused':
      return { kind: 'failed', fatal: true, connectionRefused: true, reason: error.message };
    case 'unreachable':
    case 'starttls':
      return { kind: 'failed', fatal: true, reason: error.message };
    case 'aborted':
      return { kind: 'failed', fatal: false, reason: error.message };
    case 'local':
      return { kind: 'failed', fatal: false, local: true, reason: error.message };
    default:
      return { kind: 'failed', fatal: false, reason: error.message };
  }
}
