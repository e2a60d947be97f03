import { connect, type Socket } from 'node:net';

/** Why a connection ended before the probe got what it wanted; `fatal` ones say the target cannot be probed at all. */
export type ConnectionFailureKind = 'timeout' | 'closed' | 'reset' | 'refused' | 'unreachable' | 'aborted' | 'starttls' | 'network';

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
}

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
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort: () => void;
  /** The time this connection was given, for messages. */
  private readonly budgetMs: number;

  private constructor(
    readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    const remaining = Math.min(MAX_TIMER_MS, Math.max(0, options.deadline - Date.now()));
    this.budgetMs = remaining;
    this.timer = setTimeout(() => this.fail(new ConnectionFailure('timeout', this.timeoutMessage(), this.received)), remaining);
    this.onAbort = () => this.fail(new ConnectionFailure('aborted', 'the probe was cancelled', this.received));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    socket.on('data', (chunk: Buffer) => {
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

  static open(options: ConnectionOptions): Promise<Connection> {
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

  get bytesReceived(): number {
    return this.received;
  }

  write(data: Uint8Array | string): void {
    if (!this.failure && !this.socket.destroyed) this.socket.write(data);
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

  /** Reads until `complete(text)` returns true on everything read so far; returns that text. */
  async readUntil(complete: (text: string) => boolean, what: string): Promise<string> {
    let text = '';
    for (;;) {
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
      if (complete(text)) return text;
      if (text.length > MAX_BUFFERED) throw new ConnectionFailure('starttls', `the server sent more than ${MAX_BUFFERED} bytes while waiting for ${what}`, this.received);
    }
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

function classifySocketError(err: NodeJS.ErrnoException, received: number): ConnectionFailure {
  switch (err.code) {
    case 'ECONNREFUSED':
      return new ConnectionFailure('refused', 'the connection was refused (nothing listens on that port)', received);
    case 'ECONNRESET':
    case 'EPIPE':
      return new ConnectionFailure('reset', received === 0 ? 'the server reset the connection without answering' : 'the server reset the connection in mid-answer', received);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new ConnectionFailure('unreachable', `the host is unreachable (${err.code})`, received);
    default:
      return new ConnectionFailure('network', `network error ${err.code ?? ''} ${err.message}`.trim(), received);
  }
}
