// A bounds-checked byte reader. Every read past the end throws DecodeError('truncated'), so a
// decoder built on it can never read garbage; callers turn DecodeError into a reason code.

export class DecodeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

export class ByteReader {
  private pos = 0;
  /** Made on the first float read only: most readers never need one, and each costs an object. */
  private view: DataView | null = null;

  constructor(private readonly buf: Uint8Array) {}

  /** Big-endian unsigned 32 bits at `at`, from the bytes (no DataView). */
  private be32(at: number): number {
    const b = this.buf;
    return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) {
      throw new DecodeError('truncated', `needed ${n} bytes at offset ${this.pos}, have ${this.remaining}`);
    }
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.be32(this.pos);
    this.pos += 4;
    return v;
  }

  /** Unsigned 64-bit; throws when above Number.MAX_SAFE_INTEGER. */
  u64(): number {
    this.need(8);
    const hi = this.be32(this.pos);
    const lo = this.be32(this.pos + 4);
    this.pos += 8;
    if (hi > 0x1fffff) throw new DecodeError('integer_too_large', 'integer exceeds 2^53');
    return hi * 0x1_0000_0000 + lo;
  }

  f64(): number {
    this.need(8);
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** The bytes being read (for decoders that look at a range in place instead of copying it). */
  get source(): Uint8Array {
    return this.buf;
  }

  /** Steps over `n` bytes and returns the offset they start at: a range read in place, no view made. */
  skip(n: number): number {
    this.need(n);
    const start = this.pos;
    this.pos += n;
    return start;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  uvarint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (i > 0 && b === 0) throw new DecodeError('non_canonical_varint', 'varint has a redundant trailing byte');
        if (result > Number.MAX_SAFE_INTEGER) throw new DecodeError('integer_too_large', 'varint exceeds 2^53');
        return result;
      }
      mul *= 0x80;
    }
    throw new DecodeError('integer_too_large', 'varint longer than 8 bytes');
  }

  svarint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  expectEnd(): void {
    if (this.pos !== this.buf.length) {
      throw new DecodeError('trailing_bytes', `${this.remaining} unexpected trailing bytes`);
    }
  }
}
