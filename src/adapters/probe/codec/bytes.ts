/**
 * Byte building and bounds-checked reading for the TLS codec. Readers never throw: a read past the end
 * returns undefined and marks the reader short, so callers can turn it into "need more" or a decode error.
 */

export class ByteWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  u8(value: number): this {
    return this.bytes(Uint8Array.of(value & 0xff));
  }

  u16(value: number): this {
    return this.bytes(Uint8Array.of((value >>> 8) & 0xff, value & 0xff));
  }

  u24(value: number): this {
    return this.bytes(Uint8Array.of((value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff));
  }

  bytes(data: Uint8Array): this {
    this.chunks.push(data);
    this.size += data.length;
    return this;
  }

  /** Writes `body` prefixed by its length in `lengthBytes` bytes (a TLS opaque vector). */
  vector(lengthBytes: 1 | 2 | 3, body: (w: ByteWriter) => void): this {
    const inner = new ByteWriter();
    body(inner);
    const data = inner.finish();
    const max = 2 ** (8 * lengthBytes) - 1;
    if (data.length > max) throw new RangeError(`vector of ${data.length} bytes exceeds ${max}`);
    if (lengthBytes === 1) this.u8(data.length);
    else if (lengthBytes === 2) this.u16(data.length);
    else this.u24(data.length);
    return this.bytes(data);
  }

  get length(): number {
    return this.size;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
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
