import { utf8EncodeInto } from './bytes';

// A growable byte writer. Used by the canonical encoding and the wire codec; it owns no
// global state, so every encoder makes its own.

export class ByteWriter {
  private buf: Uint8Array;
  /** Made on the first float written: most values are integers and text, written byte by byte. */
  private view: DataView | null = null;
  private len = 0;

  /**
   * With a `sink`, bytes are handed over in chunks once `initialCapacity` fills, so encoding a
   * large value streams (into a hash, say) instead of growing one buffer.
   */
  constructor(
    initialCapacity = 256,
    private readonly sink: ((chunk: Uint8Array) => void) | null = null,
  ) {
    this.buf = new Uint8Array(initialCapacity);
  }

  /** Hands buffered bytes to the sink (no-op without one). */
  flush(): void {
    if (!this.sink || this.len === 0) return;
    this.sink(this.buf.subarray(0, this.len));
    this.len = 0;
  }

  get length(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    if (this.sink) {
      this.flush();
      if (extra <= this.buf.length) return;
    }
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = null;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    const b = this.buf;
    b[this.len++] = (v >>> 8) & 0xff;
    b[this.len++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.put32(v >>> 0);
    return this;
  }

  /** Unsigned 64-bit big-endian from a non-negative safe integer. */
  u64(v: number): this {
    this.ensure(8);
    this.put32(Math.floor(v / 0x1_0000_0000));
    this.put32(v >>> 0);
    return this;
  }

  private put32(v: number): void {
    const b = this.buf;
    b[this.len++] = (v >>> 24) & 0xff;
    b[this.len++] = (v >>> 16) & 0xff;
    b[this.len++] = (v >>> 8) & 0xff;
    b[this.len++] = v & 0xff;
  }

  f64(v: number): this {
    this.ensure(8);
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.view.setFloat64(this.len, v);
    this.len += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** Writes a string known to be ASCII, one byte per char. */
  ascii(s: string): this {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
    return this;
  }

  /** Writes UTF-8 of `s` and returns the number of bytes written. */
  utf8(s: string): number {
    this.ensure(s.length * 3);
    const written = utf8EncodeInto(s, this.buf.subarray(this.len));
    this.len += written;
    return written;
  }

  /** Unsigned LEB128 varint of a non-negative safe integer. */
  uvarint(v: number): this {
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    return this.u8(v);
  }

  /** Zig-zag signed varint of a safe integer. */
  svarint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** A copy of what has been written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
