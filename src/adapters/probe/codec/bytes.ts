/**
 * Byte building and bounds-checked reading for the TLS codec. Readers never throw: a read past the end
 * returns undefined and marks the reader short, so callers can turn it into "need more" or a decode error.
 */

export class ByteWriter {
  // One growing buffer: a vector's length is written in place once its body is done, so building a
  // ClientHello of some 385 suites makes no small arrays (it ran a hello per connection, 5 % of the CPU).
  private buf = new Uint8Array(512);
  private size = 0;

  private room(n: number): void {
    if (this.size + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.size + n));
    grown.set(this.buf.subarray(0, this.size));
    this.buf = grown;
  }

  u8(value: number): this {
    this.room(1);
    this.buf[this.size++] = value & 0xff;
    return this;
  }

  u16(value: number): this {
    this.room(2);
    this.buf[this.size++] = (value >>> 8) & 0xff;
    this.buf[this.size++] = value & 0xff;
    return this;
  }

  u24(value: number): this {
    this.room(3);
    this.buf[this.size++] = (value >>> 16) & 0xff;
    this.buf[this.size++] = (value >>> 8) & 0xff;
    this.buf[this.size++] = value & 0xff;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.room(data.length);
    this.buf.set(data, this.size);
    this.size += data.length;
    return this;
  }

  /** Writes `body` prefixed by its length in `lengthBytes` bytes (a TLS opaque vector). */
  vector(lengthBytes: 1 | 2 | 3, body: (w: ByteWriter) => void): this {
    this.room(lengthBytes);
    const at = this.size;
    this.size += lengthBytes;
    body(this);
    const length = this.size - at - lengthBytes;
    const max = 2 ** (8 * lengthBytes) - 1;
    if (length > max) {
      this.size = at;
      throw new RangeError(`vector of ${length} bytes exceeds ${max}`);
    }
    for (let i = lengthBytes - 1, v = length; i >= 0; i--, v >>>= 8) this.buf[at + i] = v & 0xff;
    return this;
  }

  get length(): number {
    return this.size;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.size);
  }
}

export class ByteReader {
  private pos: number;
  /** Set once any read ran past `end`. */
  short = false;

  constructor(
    private readonly buf: Uint8Array,
    offset = 0,
    private readonly end = buf.length,
  ) {
    this.pos = offset;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return Math.max(0, this.end - this.pos);
  }

  u8(): number | undefined {
    if (this.pos + 1 > this.end) return this.fail();
    return this.buf[this.pos++];
  }

  u16(): number | undefined {
    if (this.pos + 2 > this.end) return this.fail();
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u24(): number | undefined {
    if (this.pos + 3 > this.end) return this.fail();
    const v = (this.buf[this.pos]! << 16) | (this.buf[this.pos + 1]! << 8) | this.buf[this.pos + 2]!;
    this.pos += 3;
    return v;
  }

  bytes(n: number): Uint8Array | undefined {
    if (n < 0 || this.pos + n > this.end) return this.fail();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads a length-prefixed opaque vector. */
  vector(lengthBytes: 1 | 2 | 3): Uint8Array | undefined {
    const n = lengthBytes === 1 ? this.u8() : lengthBytes === 2 ? this.u16() : this.u24();
    if (n === undefined) return undefined;
    return this.bytes(n);
  }

  private fail(): undefined {
    this.short = true;
    this.pos = this.end;
    return undefined;
  }
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
