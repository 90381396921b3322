// Byte helpers shared by the canonical encoding, the wire codec and the feed rules.
// Pure: no Buffer (which is Node-only), only Uint8Array, so the core runs in a browser too.

// Lookup tables, built once and never written: ids are converted on every event, and
// parseInt/slice per byte was the single largest cost of ingesting.
const HEX_CODES: Readonly<Uint8Array> = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const CHAR_TO_NIBBLE: Readonly<Int8Array> = Int8Array.from({ length: 128 }, (_, c) =>
  c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1,
);

/**
 * Lower-case hex of `bytes`, built as one flat string: concatenating per byte makes a rope that
 * V8 must flatten again on every comparison, regex test and map lookup of an id.
 */
export function toHex(bytes: Uint8Array): string {
  return toHexRange(bytes, 0, bytes.length);
}

/** Lower-case hex of `bytes[start, end)`, read in place (no subarray is made). */
export function toHexRange(bytes: Uint8Array, start: number, end: number): string {
  const codes = new Uint8Array((end - start) * 2);
  for (let i = start, o = 0; i < end; i++, o += 2) {
    const b = bytes[i]!;
    codes[o] = HEX_CODES[b >> 4]!;
    codes[o + 1] = HEX_CODES[b & 15]!;
  }
  return ASCII_DECODER.decode(codes);
}

/** Parses lower- or upper-case hex; returns null when `hex` is not whole bytes of hex digits. */
export function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = CHAR_TO_NIBBLE[hex.charCodeAt(i * 2)] ?? -1;
    const lo = CHAR_TO_NIBBLE[hex.charCodeAt(i * 2 + 1)] ?? -1;
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const LOWER_HEX_32 = /^[0-9a-f]{64}$/;

/** True for the canonical text form of a 32-byte key or id: 64 lower-case hex digits. */
export function isHex32(s: string): boolean {
  return s.length === 64 && LOWER_HEX_32.test(s);
}

/** Like fromHex, but throws: for hex this process produced itself. */
export function hexToBytes(hex: string): Uint8Array {
  const out = fromHex(hex);
  if (!out) throw new Error(`not hex: ${hex.slice(0, 16)}`);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bytewise lexicographic order (shorter prefix first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

// Stateless codecs (encode/decode without streaming keep no state between calls), made once:
// constructing them per call dominated the canonical encoding's cost.
const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true });
/** For hex digits only (ASCII), where latin1 and UTF-8 agree; it makes flat strings natively. */
const ASCII_DECODER = new TextDecoder('latin1');

export function utf8Encode(text: string): Uint8Array {
  return UTF8_ENCODER.encode(text);
}

/** Strict UTF-8 decode: malformed sequences throw instead of becoming U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return UTF8_DECODER.decode(bytes);
}

/**
 * Strict UTF-8 decode of `bytes[start, end)`, read in place. Short ASCII (map keys, kinds, truck
 * ids: nearly every string an event holds) is built char by char, which skips making a view and
 * calling the decoder; V8 keeps strings under 13 chars flat, so no rope is made.
 */
export function utf8DecodeRange(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 12) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c > 0x7f) return UTF8_DECODER.decode(bytes.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return UTF8_DECODER.decode(bytes.subarray(start, end));
}

/** Encodes into `target`, returning bytes written (target must have room for 3 bytes per char). */
export function utf8EncodeInto(text: string, target: Uint8Array): number {
  return UTF8_ENCODER.encodeInto(text, target).written;
}
