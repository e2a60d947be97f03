import { parseAlert, type Alert } from './alert.js';
import { parseCertificateList } from './certificate.js';
import { parseHandshakeMessage } from './handshake.js';
import { parseRecord } from './record.js';
import type { CodecError } from './result.js';
import { parseServerHello, type ServerHello } from './server-hello.js';
import { CONTENT_TYPES, HANDSHAKE_TYPES } from './tables.js';

export type FlightOutcome =
  | { kind: 'server-hello'; serverHello: ServerHello; certificates?: Uint8Array[]; serverKeyExchange?: Uint8Array }
  | { kind: 'alert'; alert: Alert }
  | { kind: 'error'; error: CodecError };

/** More than any honest first flight (a long certificate chain is ~20 KB). */
export const MAX_FLIGHT_BYTES = 2 ** 18;

/**
 * Reads a server's first flight as bytes arrive, up to what a probe needs: ServerHello and, for
 * TLS <= 1.2, Certificate and ServerKeyExchange (stopping at ServerKeyExchange or ServerHelloDone).
 * A TLS 1.3 ServerHello or a HelloRetryRequest ends it at once: the rest is encrypted (RFC 8446 §2).
 * Pure: the caller feeds bytes from whatever socket it owns.
 */
export class ServerFlightReader {
  private buf: Uint8Array = new Uint8Array(0);
  private consumed = 0;
  private handshake: Uint8Array = new Uint8Array(0);
  private handshakeConsumed = 0;
  private serverHello: ServerHello | undefined;
  private certificates: Uint8Array[] | undefined;
  private ske: Uint8Array | undefined;
  private received = 0;
  outcome: FlightOutcome | undefined;

  get bytesReceived(): number {
    return this.received;
  }

  /** The ServerHello seen so far, if any (for a server that closes after it). */
  get partial(): FlightOutcome | undefined {
    if (!this.serverHello) return undefined;
    return this.helloOutcome(this.serverHello);
  }

  push(chunk: Uint8Array): FlightOutcome | undefined {
    if (this.outcome) return this.outcome;
    this.received += chunk.length;
    if (this.received > MAX_FLIGHT_BYTES) {
      return this.finish({ kind: 'error', error: { code: 'message-too-long', message: `the server sent more than ${MAX_FLIGHT_BYTES} bytes without finishing its hello` } });
    }
    this.buf = concat(this.buf.subarray(this.consumed), chunk);
    this.consumed = 0;
    for (;;) {
      const rec = parseRecord(this.buf, this.consumed);
      if (rec.kind === 'need-more') return undefined;
      if (rec.kind === 'error') return this.finish({ kind: 'error', error: rec.error });
      this.consumed = rec.offset;
      const { contentType, fragment } = rec.value;
      if (contentType === CONTENT_TYPES.alert) {
        const a = parseAlert(fragment);
        if (a.kind !== 'ok') return this.finish({ kind: 'error', error: a.kind === 'error' ? a.error : { code: 'decode-error', message: 'truncated alert' } });
        // A warning (unrecognized_name, RFC 6066 §3) does not end the handshake.
        if (!a.value.fatal && a.value.name !== 'close_notify') continue;
        return this.finish({ kind: 'alert', alert: a.value });
      }
      if (contentType !== CONTENT_TYPES.handshake) {
        if (this.serverHello && contentType === CONTENT_TYPES.change_cipher_spec) continue;
        return this.finish({ kind: 'error', error: { code: 'unexpected-message', message: `the server sent a record of content type ${contentType} before its ServerHello` } });
      }
      const done = this.readHandshake(fragment);
      if (done) return done;
    }
  }

  private readHandshake(fragment: Uint8Array): FlightOutcome | undefined {
    this.handshake = concat(this.handshake.subarray(this.handshakeConsumed), fragment);
    this.handshakeConsumed = 0;
    for (;;) {
      const msg = parseHandshakeMessage(this.handshake, this.handshakeConsumed);
      if (msg.kind === 'need-more') return undefined;
      if (msg.kind === 'error') return this.finish({ kind: 'error', error: msg.error });
      this.handshakeConsumed = msg.offset;
      const { type, body } = msg.value;
      if (!this.serverHello) {
        if (type === HANDSHAKE_TYPES.hello_request) continue;
        if (type !== HANDSHAKE_TYPES.server_hello) {
          return this.finish({ kind: 'error', error: { code: 'unexpected-message', message: `the server sent handshake message type ${type} instead of a ServerHello` } });
        }
        const sh = parseServerHello(body);
        if (sh.kind !== 'ok') return this.finish({ kind: 'error', error: sh.kind === 'error' ? sh.error : { code: 'decode-error', message: 'truncated ServerHello' } });
        this.serverHello = sh.value;
        if (sh.value.helloRetryRequest || sh.value.version >= 0x0304) return this.finish(this.helloOutcome(sh.value));
        continue;
      }
      if (type === HANDSHAKE_TYPES.certificate) {
        const certs = parseCertificateList(body);
        if (certs.kind === 'ok') this.certificates = certs.value;
      } else if (type === HANDSHAKE_TYPES.server_key_exchange) {
        this.ske = body.slice();
        return this.finish(this.helloOutcome(this.serverHello));
      } else if (type === HANDSHAKE_TYPES.server_hello_done) {
        return this.finish(this.helloOutcome(this.serverHello));
      }
    }
  }

  private helloOutcome(serverHello: ServerHello): FlightOutcome {
    const o: FlightOutcome = { kind: 'server-hello', serverHello };
    if (this.certificates) o.certificates = this.certificates;
    if (this.ske) o.serverKeyExchange = this.ske;
    return o;
  }

  private finish(outcome: FlightOutcome): FlightOutcome {
    this.outcome = outcome;
    return outcome;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
