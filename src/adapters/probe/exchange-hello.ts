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
  signal?: AbortSignal;
  onConnect?: () => void;
}

/** Opens a connection (running STARTTLS first when asked), sends `hello`, and judges the server's first flight. */
export async function exchangeHello(endpoint: Endpoint, hello: Uint8Array, offer: Offer): Promise<HelloResult> {
  const deadline = Date.now() + endpoint.timeoutMs;
  let conn: Connection | undefined;
  const reader = new ServerFlightReader();
  // Bytes the plaintext dialogue took, so that only the answer to the hello counts as "an answer".
  let helloAt = 0;
  try {
    conn = await Connection.open({ address: endpoint.address, port: endpoint.port, deadline, signal: endpoint.signal, onConnect: endpoint.onConnect });
    if (endpoint.starttls) await startTls(conn, endpoint.starttls, endpoint.domain);
    helloAt = conn.bytesReceived;
    conn.write(hello);
    for (;;) {
      const outcome = reader.push(await conn.read());
      if (outcome) return judgeAnswer(offer, outcome);
      // A ServerHello that breaks the offer needs no further waiting.
      const partial = reader.partial;
      if (partial) {
        const early = judgeAnswer(offer, partial);
        if (early.kind === 'failed' || early.kind === 'downgraded') return early;
      }
    }
  } catch (error) {
    if (!(error instanceof ConnectionFailure)) throw error;
    // A server that sends its ServerHello and then hangs up is still an answer.
    const partial = reader.partial;
    if (partial) return judgeAnswer(offer, partial);
    const answer = helloAt > 0 ? new ConnectionFailure(error.kind, error.message, Math.max(0, error.bytesReceived - helloAt)) : error;
    return failureResult(answer, endpoint.timeoutMs, endpoint.starttls);
  } finally {
    conn?.close();
  }
}

export function failureResult(error: ConnectionFailure, timeoutMs: number, starttls?: StartTlsProtocol): HelloResult {
  const after = starttls ? ` after ${starttls.toUpperCase()} STARTTLS` : '';
  switch (error.kind) {
    case 'closed':
    case 'reset':
      return error.bytesReceived === 0 ? { kind: 'silent', reason: error.message } : { kind: 'failed', fatal: false, reason: error.message };
    case 'timeout':
      return {
        kind: 'failed',
        fatal: false,
        reason: error.bytesReceived === 0
          ? `no answer to the TLS hello${after} within ${timeoutMs} ms`
          : `only ${error.bytesReceived} bytes of an answer to the TLS hello${after} within ${timeoutMs} ms`,
      };
    case 'refused':
    case 'unreachable':
    case 'starttls':
      return { kind: 'failed', fatal: true, reason: error.message };
    case 'aborted':
      return { kind: 'failed', fatal: false, reason: error.message };
    default:
      return { kind: 'failed', fatal: false, reason: error.message };
  }
}
