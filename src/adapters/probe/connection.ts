import { connect, type Socket } from 'node:net';
import { connectRequest, type HttpProxy } from './http-proxy.js';

/**
 * Why a connection ended before the probe got what it wanted; `fatal` ones say the target cannot be probed
 * at all. `local` is this machine running short (file descriptors, ephemeral ports, buffers): never the
 * server's doing.
 */
export type ConnectionFailureKind = 'timeout' | 'closed' | 'reset' | 'refused' | 'unreachable' | 'aborted' | 'starttls' | 'network' | 'local';

export class ConnectionFailure extends Error {
  constructor(
    readonly kind: ConnectionFailureKind,
    message: string,
    /** Bytes the server had sent on this connection when it failed. */
    readonly bytesReceived = 0,
  ) {
    super(message);
    this.name = 'ConnectionFailure';
  }
}

export interface ConnectionOptions {
  address: string;
  port: number;
  /** Absolute time (ms since the epoch) by which everything on this connection must be done. */
  deadline: number;
  signal?: AbortSignal;
  /** Called once the TCP connection is established (the probe counts them). */
  onConnect?: () => void;
  /** Reach address:port through this HTTP proxy's CONNECT tunnel; `address` may then be a name the proxy resolves. */
  proxy?: HttpProxy;
}

/** A layer some protocols put around TLS records (MSSQL's TDS packets during the handshake). */
export interface Framing {
  wrap(data: Uint8Array): Buffer;
  /** Takes bytes as they arrive; returns the payload they complete (possibly none). */
  unwrap(chunk: Buffer): Buffer;
}

/** Longest CONNECT answer header read from a proxy. */
const MAX_PROXY_HEADER = 16 * 1024;

/** The longest delay a Node timer holds; a longer one fires after 1 ms instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Upper bound on bytes buffered for line-based STARTTLS dialogues, so a chatty server cannot grow memory. */
const MAX_BUFFERED = 64 * 1024;

/**
 * One TCP connection with an absolute deadline: a server trickling a byte a second cannot keep it open
 * past the deadline, because the timer is set once at connect and never re-armed by incoming data.
 */
export class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private failure: ConnectionFailure | undefined;
  private ended = false;
  private received = 0;
  private timer: NodeJS.Timeout;
  private readonly onAbort: () => void;
  /** The time this connection was given, for messages. */
  private readonly budgetMs: number;
  private framingLayer: Framing | undefined;

  private constructor(
    readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    const remaining = Math.min(MAX_TIMER_MS, Math.max(0, options.deadline - Date.now()));
    this.budgetMs = remaining;
    this.timer = setTimeout(() => this.fail(new ConnectionFailure('timeout', this.timeoutMessage(), this.received)), remaining);
    this.onAbort = () => this.fail(new ConnectionFailure('aborted', 'the probe was cancelled', this.received));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    socket.on('data', (raw: Buffer) => {
      const chunk = this.framingLayer ? this.framingLayer.unwrap(raw) : raw;
      if (chunk.length === 0) return;
      this.received += chunk.length;
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => this.fail(classifySocketError(err, this.received)));
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
  }

  static async open(options: ConnectionOptions): Promise<Connection> {
    const { proxy } = options;
    if (!proxy) return Connection.openDirect(options);
    let conn: Connection;
    try {
      conn = await Connection.openDirect({ ...options, address: proxy.host, port: proxy.port, onConnect: undefined });
    } catch (error) {
      if (error instanceof ConnectionFailure && error.kind !== 'aborted' && error.kind !== 'timeout') {
        throw new ConnectionFailure('unreachable', `cannot reach the proxy ${proxy.label}: ${error.message}`);
      }
      throw error;
    }
    try {
      await conn.tunnel(options.address, options.port, proxy);
    } catch (error) {
      conn.close();
      throw error;
    }
    options.onConnect?.();
    return conn;
  }

  /** Asks the proxy for a tunnel; on "2xx" the connection then carries the target's bytes, the proxy's own not counted. */
  private async tunnel(address: string, port: number, proxy: HttpProxy): Promise<void> {
    this.write(connectRequest(address, port, proxy));
    let head = Buffer.alloc(0);
    for (;;) {
      let chunk: Buffer;
      try {
        chunk = await this.read();
      } catch (error) {
        if (error instanceof ConnectionFailure && error.kind !== 'aborted' && error.kind !== 'timeout') {
          throw new ConnectionFailure('unreachable', `the proxy ${proxy.label} ${error.kind === 'closed' ? 'closed the connection' : 'failed'} before answering CONNECT`);
        }
        throw error;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end >= 0) {
        const status = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
        if (!/^HTTP\/1\.[01] 2\d\d/.test(status)) {
          throw new ConnectionFailure('unreachable', `the proxy ${proxy.label} refused the tunnel to ${address}:${port}: ${JSON.stringify(status.slice(0, 80))}`);
        }
        // What the target sent at once (a greeting) follows the proxy's header in the same read.
        this.buffer = head.subarray(end + 4);
        this.received = this.buffer.length;
        return;
      }
      if (head.length > MAX_PROXY_HEADER) throw new ConnectionFailure('unreachable', `the proxy ${proxy.label} sent more than ${MAX_PROXY_HEADER} bytes of header`);
    }
  }

  private static openDirect(options: ConnectionOptions): Promise<Connection> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return reject(new ConnectionFailure('aborted', 'the probe was cancelled'));
      const socket = connect({ host: options.address, port: options.port });
      socket.setNoDelay(true);
      const conn = new Connection(socket, options);
      const onError = () => {
        conn.close();
        reject(conn.failure ?? new ConnectionFailure('network', 'the connection failed'));
      };
      conn.waiter = () => {
        if (conn.failure || conn.ended) onError();
      };
      socket.once('connect', () => {
        conn.waiter = undefined;
        options.onConnect?.();
        resolve(conn);
      });
    });
  }

  /**
   * Brings the deadline forward to `ms` from now (never later than it was): once a ServerHello has shown
   * the chosen suite, the rest of the flight either follows at once or is not coming.
   */
  shortenDeadline(ms: number, message: string): void {
    if (this.failure || Date.now() + ms >= this.options.deadline) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fail(new ConnectionFailure('timeout', message, this.received)), ms);
  }

  get bytesReceived(): number {
    return this.received;
  }

  write(data: Uint8Array | string): void {
    if (this.failure || this.socket.destroyed) return;
    this.socket.write(this.framingLayer && typeof data !== 'string' ? this.framingLayer.wrap(data) : data);
  }

  /** From now on, writes are wrapped and reads unwrapped by `framing` (anything already buffered is unchanged). */
  setFraming(framing: Framing): void {
    this.framingLayer = framing;
  }

  get framing(): Framing | undefined {
    return this.framingLayer;
  }

  /** Whatever has arrived (at least one byte), or a ConnectionFailure when the connection ends first. */
  async read(): Promise<Buffer> {
    for (;;) {
      if (this.buffer.length > 0) {
        const out = this.buffer;
        this.buffer = Buffer.alloc(0);
        return out;
      }
      if (this.failure) throw this.failure;
      if (this.ended) throw new ConnectionFailure('closed', this.received === 0 ? 'the server closed the connection without answering' : 'the server closed the connection in mid-answer', this.received);
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  /**
   * Reads until `complete(text)` returns true and returns the shortest such text that ends a line (or all
   * of it); anything after it stays for the next read, so one reply never swallows the start of the next.
   */
  async readUntil(complete: (text: string) => boolean, what: string): Promise<string> {
    let text = '';
    for (;;) {
      const before = text.length;
      let chunk: Buffer;
      try {
        chunk = await this.read();
      } catch (error) {
        // A server that never speaks in a plaintext dialogue (a greeting held back, a STARTTLS never
        // answered) is named by the step it stalled at; retrying other protocol versions would only wait again.
        if (error instanceof ConnectionFailure && error.kind === 'timeout') {
          throw new ConnectionFailure('starttls', `no answer: timed out after ${this.budgetMs} ms waiting for ${what}`, error.bytesReceived);
        }
        if (error instanceof ConnectionFailure && error.kind !== 'aborted') {
          throw new ConnectionFailure('starttls', `the server ${error.kind === 'closed' ? 'closed the connection' : 'failed'} while waiting for ${what}`, error.bytesReceived);
        }
        throw error;
      }
      text += chunk.toString('latin1');
      if (complete(text)) {
        const end = shortestComplete(text, before, complete);
        // latin1 maps bytes to characters one to one, so the rest goes back byte for byte.
        if (end < text.length) this.buffer = Buffer.concat([Buffer.from(text.slice(end), 'latin1'), this.buffer]);
        return text.slice(0, end);
      }
      if (text.length > MAX_BUFFERED) throw new ConnectionFailure('starttls', `the server sent more than ${MAX_BUFFERED} bytes while waiting for ${what}`, this.received);
    }
  }

  /**
   * Marks where the plaintext dialogue ends and TLS begins: bytes are counted from here, so a server that
   * hangs up on a ClientHello without a TLS byte is silent, not cut off in mid-answer.
   */
  beginTls(): void {
    this.received = this.buffer.length;
  }

  /** Hands the socket over (to node:tls): stops reading into our buffer but keeps the deadline. */
  detach(): Socket {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('end');
    return this.socket;
  }

  close(): void {
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
  }

  private timeoutMessage(): string {
    return this.received === 0
      ? 'no answer before the handshake deadline'
      : `the answer was not complete by the handshake deadline (${this.received} bytes received)`;
  }

  private fail(failure: ConnectionFailure): void {
    if (!this.failure) this.failure = failure;
    this.socket.destroy();
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

/** The first line end at or after `from` where `complete` holds, else the whole text. */
function shortestComplete(text: string, from: number, complete: (text: string) => boolean): number {
  for (let i = text.indexOf('\n', Math.max(0, from - 1)); i >= 0 && i + 1 < text.length; i = text.indexOf('\n', i + 1)) {
    if (complete(text.slice(0, i + 1))) return i + 1;
  }
  return text.length;
}

function classifySocketError(err: NodeJS.ErrnoException, received: number): ConnectionFailure {
  switch (err.code) {
    case 'ECONNREFUSED':
      return new ConnectionFailure('refused', 'the connection was refused (nothing listens on that port)', received);
    case 'ECONNRESET':
    case 'EPIPE':
      return new ConnectionFailure('reset', received === 0 ? 'the server reset the connection without answering' : 'the server reset the connection in mid-answer', received);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ConnectionFailure('unreachable', `the host is unreachable (${err.code})`, received);
    // Out of file descriptors (per process, system-wide), of local ports, of kernel memory.
    case 'EMFILE':
    case 'ENFILE':
    case 'EADDRNOTAVAIL':
    case 'ENOBUFS':
    case 'ENOMEM':
      return new ConnectionFailure('local', `this machine ran short of resources (${err.code})`, received);
    default:
      return new ConnectionFailure('network', `network error ${err.code ?? ''} ${err.message}`.trim(), received);
  }
}
