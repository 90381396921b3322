// Canonical encoding: a strict, deterministic subset of CBOR, with the number rule of DAG-CBOR.
// It is not RFC 8949 §4.2.1 "core deterministic encoding": that asks for the shortest float form,
// where this always writes a non-integer as float64 (as DAG-CBOR does), and it sorts map keys
// length-first (RFC 8949 §4.2.3, the canonical order of RFC 7049). The golden vectors pin the
// bytes, so neither rule may change.
//
// It owns the one rule that makes ids portable: the same value is always the same bytes, on
// every platform. Event ids, projection output hashes and report body hashes are SHA-256 over
// these bytes, and the golden vectors in test/golden pin them.
//
// Rules:
//  - integers that are safe in IEEE-754 (|n| <= 2^53-1) use the shortest CBOR integer form;
//    every other finite number is a float64; NaN and infinities are refused;
//  - maps have text keys, sorted by their encoded bytes (length first, then bytewise); keys whose
//    value is `undefined` are omitted, as JSON does;
//  - no tags, no indefinite lengths, no float16/32, no simple values but false/true/null.
// The decoder refuses anything the encoder would not have produced, so decode(encode(v)) is the
// identity and encode(decode(b)) === b for every b it accepts.
import { ByteReader, DecodeError } from './reader';
import { ByteWriter } from './writer';
import type { Hasher } from '../crypto/ports';
import { compareBytes, utf8DecodeRange, utf8Encode } from './bytes';

export type Value = null | boolean | number | string | Uint8Array | readonly Value[] | ValueMap;
export interface ValueMap {
  readonly [key: string]: Value | undefined;
}

export class CanonicalError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CanonicalError';
  }
}

export interface DecodeLimits {
  maxDepth: number;
  maxItems: number;
}

const DEFAULT_LIMITS: DecodeLimits = { maxDepth: 32, maxItems: 100_000 };

function writeHead(w: ByteWriter, major: number, arg: number): void {
  const m = major << 5;
  if (arg < 24) w.u8(m | arg);
  else if (arg < 0x100) w.u8(m | 24).u8(arg);
  else if (arg < 0x10000) w.u8(m | 25).u16(arg);
  else if (arg < 0x1_0000_0000) w.u8(m | 26).u32(arg);
  else w.u8(m | 27).u64(arg);
}

function compareKeys(a: Uint8Array, b: Uint8Array): number {
  return a.length !== b.length ? a.length - b.length : compareBytes(a, b);
}

/** compareKeys over two ranges of one buffer. */
function compareKeyRanges(buf: Uint8Array, a: number, aLen: number, b: number, bLen: number): number {
  if (aLen !== bLen) return aLen - bLen;
  for (let i = 0; i < aLen; i++) {
    const d = buf[a + i]! - buf[b + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Canonical key order for strings: UTF-8 length first, then bytewise (RFC 8949 §4.2.3). */
function compareKeyStrings(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) {
    // For ASCII, UTF-8 bytes are the char codes: compare without encoding.
    if (a.length !== b.length) return a.length - b.length;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return compareKeys(utf8Encode(a), utf8Encode(b));
}

function inCanonicalOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (compareKeyStrings(keys[i - 1]!, keys[i]!) >= 0) return false;
  return true;
}

function writeText(w: ByteWriter, s: string): void {
  if (s.length < 256 && isAscii(s)) {
    writeHead(w, 3, s.length);
    w.ascii(s);
    return;
  }
  const b = utf8Encode(s);
  writeHead(w, 3, b.length);
  w.bytes(b);
}

function encodeInto(w: ByteWriter, v: Value, depth: number): void {
  if (depth > 64) throw new CanonicalError('too_deep', 'value nests deeper than 64 levels');
  if (v === null) {
    w.u8(0xf6);
  } else if (v === true) {
    w.u8(0xf5);
  } else if (v === false) {
    w.u8(0xf4);
  } else if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) {
      if (v >= 0) writeHead(w, 0, v);
      else writeHead(w, 1, -1 - v);
    } else if (Number.isFinite(v)) {
      w.u8(0xfb).f64(v);
    } else {
      throw new CanonicalError('non_finite_number', `cannot encode ${v}`);
    }
  } else if (typeof v === 'string') {
    writeText(w, v);
  } else if (v instanceof Uint8Array) {
    writeHead(w, 2, v.length);
    w.bytes(v);
  } else if (Array.isArray(v)) {
    writeHead(w, 4, v.length);
    for (const item of v as readonly Value[]) encodeInto(w, item, depth + 1);
  } else if (typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => (v as ValueMap)[k] !== undefined);
    if (keys.includes('__proto__')) throw new CanonicalError('forbidden_key', 'map key __proto__ is refused (it cannot round-trip through JavaScript objects)');
    // Most maps are built with their keys already in canonical order; check before sorting.
    if (!inCanonicalOrder(keys)) keys.sort(compareKeyStrings);
    writeHead(w, 5, keys.length);
    for (const k of keys) {
      writeText(w, k);
      encodeInto(w, (v as ValueMap)[k]!, depth + 1);
    }
  } else {
    throw new CanonicalError('unsupported_type', `cannot encode a ${typeof v}`);
  }
}

/** Canonical bytes of `value`. Throws CanonicalError for values outside the model. */
export function encodeCanonical(value: Value): Uint8Array {
  const w = new ByteWriter(128);
  encodeInto(w, value, 0);
  return w.finish();
}

/** SHA-256 of the canonical bytes of `value`, streamed: no buffer of the whole encoding is built. */
export function hashCanonical(value: Value, hasher: Hasher): Uint8Array {
  const stream = hasher.sha256Stream();
  const w = new ByteWriter(64 * 1024, (chunk) => stream.update(chunk));
  encodeInto(w, value, 0);
  w.flush();
  return stream.digest();
}

/**
 * Canonical bytes written piece by piece, for a value too large to build whole (a projection's
 * view over a season of history): the caller writes each container's header, then its items, and
 * the bytes are exactly what encoding the whole value gives. Map keys must be written in
 * canonical order (`sortCanonicalKeys`), and none may have an undefined value.
 */
export interface CanonicalStream {
  mapHeader(entries: number): void;
  arrayHeader(items: number): void;
  text(s: string): void;
  value(v: Value): void;
}

/** Keys in canonical map order (UTF-8 length first, then bytewise). */
export function sortCanonicalKeys(keys: readonly string[]): string[] {
  return [...keys].sort(compareKeyStrings);
}

/** SHA-256 of canonical bytes written piece by piece; equal to hashCanonical of the whole value. */
export function hashCanonicalStream(hasher: Hasher, write: (s: CanonicalStream) => void): Uint8Array {
  const stream = hasher.sha256Stream();
  const w = new ByteWriter(64 * 1024, (chunk) => stream.update(chunk));
  write({
    mapHeader: (n) => writeHead(w, 5, n),
    arrayHeader: (n) => writeHead(w, 4, n),
    text: (s) => writeText(w, s),
    value: (v) => encodeInto(w, v, 1),
  });
  w.flush();
  return stream.digest();
}

/**
 * Pieces of canonical bytes for a hot path that writes a known shape without building it as a
 * value (a fix's view, once per fix of a season): the caller keeps map keys in canonical order
 * and counts the entries it writes, as for CanonicalStream.
 */
export const canonicalPieces = {
  mapHeader: (w: ByteWriter, entries: number): void => writeHead(w, 5, entries),
  text: (w: ByteWriter, s: string): void => writeText(w, s),
  value: (w: ByteWriter, v: Value): void => encodeInto(w, v, 1),
};

/** Appends the canonical bytes of `value` to an existing writer. */
export function writeCanonical(w: ByteWriter, value: Value): void {
  encodeInto(w, value, 0);
}

function readArg(r: ByteReader, info: number): number {
  if (info < 24) return info;
  let v: number;
  if (info === 24) v = r.u8();
  else if (info === 25) v = r.u16();
  else if (info === 26) v = r.u32();
  else if (info === 27) v = r.u64();
  else throw new DecodeError('unsupported_cbor', `additional info ${info} (indefinite or reserved)`);
  const min = info === 24 ? 24 : info === 25 ? 0x100 : info === 26 ? 0x10000 : 0x1_0000_0000;
  if (v < min) throw new DecodeError('non_canonical', 'integer not in its shortest form');
  return v;
}

/** The next `n` bytes as strict UTF-8 text, read in place. */
function textOf(r: ByteReader, n: number): string {
  const start = r.skip(n);
  try {
    return utf8DecodeRange(r.source, start, start + n);
  } catch {
    throw new DecodeError('bad_utf8', 'text string is not valid UTF-8');
  }
}

interface DecodeBudget {
  items: number;
}

function decodeItem(r: ByteReader, depth: number, limits: DecodeLimits, budget: DecodeBudget): Value {
  if (depth > limits.maxDepth) throw new DecodeError('too_deep', `nesting deeper than ${limits.maxDepth}`);
  if (++budget.items > limits.maxItems) throw new DecodeError('too_many_items', `more than ${limits.maxItems} items`);
  const ib = r.u8();
  const major = ib >> 5;
  const info = ib & 31;
  switch (major) {
    case 0:
      return readArg(r, info);
    case 1: {
      const n = readArg(r, info);
      if (n >= Number.MAX_SAFE_INTEGER) throw new DecodeError('integer_too_large', 'negative integer below -2^53');
      return -1 - n;
    }
    case 2:
      return r.bytes(readArg(r, info)).slice();
    case 3:
      return textOf(r, readArg(r, info));
    case 4: {
      const n = readArg(r, info);
      if (n > r.remaining) throw new DecodeError('truncated', `array claims ${n} items, ${r.remaining} bytes left`);
      const out: Value[] = [];
      for (let i = 0; i < n; i++) out.push(decodeItem(r, depth + 1, limits, budget));
      return out;
    }
    case 5: {
      const n = readArg(r, info);
      if (n * 2 > r.remaining) throw new DecodeError('truncated', `map claims ${n} entries, ${r.remaining} bytes left`);
      const out: Record<string, Value> = {};
      const src = r.source;
      // The previous key as a range of the source: compared in place, no view made per key.
      let prevStart = -1;
      let prevLen = 0;
      for (let i = 0; i < n; i++) {
        const kb = r.u8();
        if (kb >> 5 !== 3) throw new DecodeError('non_text_key', 'map keys must be text strings');
        const len = readArg(r, kb & 31);
        const start = r.skip(len);
        if (prevStart >= 0 && compareKeyRanges(src, prevStart, prevLen, start, len) >= 0) {
          throw new DecodeError('non_canonical', 'map keys are not in canonical order or repeat');
        }
        prevStart = start;
        prevLen = len;
        let key: string;
        try {
          key = utf8DecodeRange(src, start, start + len);
        } catch {
          throw new DecodeError('bad_utf8', 'map key is not valid UTF-8');
        }
        if (key === '__proto__') throw new DecodeError('forbidden_key', 'map key __proto__ is refused');
        out[key] = decodeItem(r, depth + 1, limits, budget);
      }
      return out;
    }
    case 7: {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      if (info === 27) {
        const f = r.f64();
        if (!Number.isFinite(f)) throw new DecodeError('non_finite_number', 'NaN or infinity');
        if (Number.isSafeInteger(f) || Object.is(f, -0)) {
          throw new DecodeError('non_canonical', 'float64 holding an integer value');
        }
        return f;
      }
      throw new DecodeError('unsupported_cbor', `simple value or float form ${info} is not canonical`);
    }
    default:
      throw new DecodeError('unsupported_cbor', 'tags are not part of the canonical encoding');
  }
}

/** Decodes exactly one canonical value filling all of `bytes`; throws DecodeError with a code. */
export function decodeCanonical(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_LIMITS): Value {
  const r = new ByteReader(bytes);
  const v = decodeItem(r, 0, limits, { items: 0 });
  r.expectEnd();
  return v;
}

/**
 * Decodes one value that sits `depth` levels inside a larger value whose other `itemsBefore` items
 * were already read by hand (an event's payload, read after its envelope): the limits apply as
 * they would to the whole value.
 */
export function readNestedCanonical(r: ByteReader, depth: number, itemsBefore: number, limits: DecodeLimits = DEFAULT_LIMITS): Value {
  return decodeItem(r, depth, limits, { items: itemsBefore });
}

/** Reads a canonical unsigned integer item (major type 0, shortest form); throws DecodeError otherwise. */
export function readCanonicalUint(r: ByteReader): number {
  const ib = r.u8();
  if (ib >> 5 !== 0) throw new DecodeError('unexpected_type', 'expected an unsigned integer');
  return readArg(r, ib & 31);
}

/** Reads a canonical text item (major type 3, strict UTF-8); throws DecodeError otherwise. */
export function readCanonicalText(r: ByteReader): string {
  const ib = r.u8();
  if (ib >> 5 !== 3) throw new DecodeError('unexpected_type', 'expected a text string');
  return textOf(r, readArg(r, ib & 31));
}

/** Decodes one canonical value from the reader's position (for values embedded in frames). */
export function readCanonical(r: ByteReader, limits: DecodeLimits = DEFAULT_LIMITS): Value {
  return decodeItem(r, 0, limits, { items: 0 });
}
