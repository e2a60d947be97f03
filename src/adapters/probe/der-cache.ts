/**
 * A cache keyed by DER bytes, bounded by the bytes it holds as keys (and so by what a hostile server
 * can make it hold): emptied when the next entry would pass the limit, and certificates larger than a
 * sixteenth of it are never kept.
 */
export class DerCache<V> {
  private readonly entries = new Map<string, V>();
  private bytes = 0;

  constructor(private readonly limitBytes: number) {}

  /** The value kept for these bytes, or `make(der)` (kept for next time when the bytes are not too many). */
  get(der: Uint8Array, make: (der: Uint8Array) => V): V {
    if (der.byteLength > this.limitBytes / 16) return make(der);
    const id = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
    if (this.entries.has(id)) return this.entries.get(id) as V;
    const value = make(der);
    if (this.bytes + id.length > this.limitBytes) {
      this.entries.clear();
      this.bytes = 0;
    }
    this.entries.set(id, value);
    this.bytes += id.length;
    return value;
  }
}
