// The cell layout of a truck's fixes, and the packed form of the trail's older fixes. A fix in
// its cells is 14 32-bit integers (56 bytes); a season of them was most of a node's memory. A
// trail's fixes older than its newest few hundred are sealed in chunks: each field as the
// difference from the fix before it (zigzag varints), about 15 bytes a fix for a moving truck,
// and a byte of judgement (flag and historical mark) kept apart so that judging never repacks.
// A chunk is unpacked into a cache shared by the fold's trails when something reads it.

// Fix i is S 32-bit integers at i * S: the doubles (fix time, seq, hlc wall) as two halves each
// (high, then low as unsigned), then lat, lon, speed (-1: none), heading (-1: none), author,
// hlc counter, the flag (its code in the low byte, the historical mark in bit 8) and the
// accuracy radius in whole metres (-1: none).
export const S = 14;
export const FIX_MS = 0;
export const SEQ = 2;
export const WALL = 4;
export const LAT = 6;
export const LON = 7;
export const SPEED = 8;
export const HEADING = 9;
export const AUTHOR = 10;
export const COUNTER = 11;
export const FLAG = 12;
export const ACC = 13;
export const HISTORICAL = 0x100;
export const TWO_32 = 0x1_0000_0000;
const BIG_FIELDS = [FIX_MS, SEQ, WALL] as const;

/** Fixes sealed at a time (a trail keeps up to twice as many unpacked); a chunk a late fix lands in grows, and splits past twice this. */
export const CHUNK = 256;
/** A chunk's judgement byte: the flag code in the low 7 bits, the historical mark in the top one. */
export const SEALED_HISTORICAL = 0x80;
/**
 * A big value's high half at or past this (2^50: the year 37,000 in ms) would make a
 * difference whose zigzag loses precision: such fixes stay unpacked.
 */
const PACKABLE_HIGH = 2 ** 50 / TWO_32;
/** Fields packed per fix (flag apart), 1 to 8 bytes each as varints of values below 2^53. */
export const PACKED_FIELDS = 10;

/** The cells packed after the fix time, seq and the wall's lag, in packing order. */
const INT_FIELDS = [LAT, LON, SPEED, HEADING, AUTHOR, COUNTER, ACC] as const;

/** Fix `c`'s packed fields, in packing order: fix time, seq, the HLC wall's lag behind the fix time, then INT_FIELDS. */
function fieldsOf(cells: Int32Array, c: number, into: Float64Array): void {
  const fixMs = bigAt(cells, c + FIX_MS);
  into[0] = fixMs;
  into[1] = bigAt(cells, c + SEQ);
  into[2] = bigAt(cells, c + WALL) - fixMs;
  for (let j = 0; j < INT_FIELDS.length; j++) into[3 + j] = cells[c + INT_FIELDS[j]!]!;
}

/** Writes a fix's cells at offset `c`, unjudged. */
export function writeFix(cells: Int32Array, c: number, fixMs: number, seq: number, wall: number, lat: number, lon: number, speed: number, heading: number, author: number, counter: number, accuracy: number): void {
  setBigAt(cells, c + FIX_MS, fixMs);
  setBigAt(cells, c + SEQ, seq);
  setBigAt(cells, c + WALL, wall);
  cells[c + LAT] = lat;
  cells[c + LON] = lon;
  cells[c + SPEED] = speed;
  cells[c + HEADING] = heading;
  cells[c + AUTHOR] = author;
  cells[c + COUNTER] = counter;
  cells[c + FLAG] = 0;
  cells[c + ACC] = accuracy;
}

export interface SealedChunk {
  readonly count: number;
  /** The first and last fix times: a search by fix time picks its chunk without unpacking. */
  readonly firstFixMs: number;
  readonly lastFixMs: number;
  /** One judgement byte per fix; the only part that ever changes. */
  readonly judged: Uint8Array;
  /** The packed fixes, or null when `raw` keeps their cells as they are (values too large to pack). */
  readonly packed: Uint8Array | null;
  readonly raw: Int32Array | null;
}

export function bigAt(cells: Int32Array, at: number): number {
  return cells[at]! * TWO_32 + (cells[at + 1]! >>> 0);
}

export function setBigAt(cells: Int32Array, at: number, v: number): void {
  cells[at] = Math.floor(v / TWO_32);
  cells[at + 1] = v >>> 0;
}

function putZigzag(out: Uint8Array, p: number, d: number): number {
  let v = d >= 0 ? d * 2 : -d * 2 - 1;
  if (v < 0x8000_0000) {
    while (v >= 0x80) {
      out[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
  } else {
    while (v >= 0x80) {
      out[p++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
  }
  out[p++] = v;
  return p;
}

/** Holds the scratch a fold's trails share: the unpacked chunks most recently read, and the packing buffer. */
export class ChunkCache {
  private readonly keys: (SealedChunk | null)[] = [null, null];
  private readonly slots: Int32Array[];
  private newest = 0;
  private out: Uint8Array;
  /** Where `unpack` left its reading (one varint after another). */
  private p = 0;
  /** A fix's packed fields (fieldsOf), and the fix's before it: the differences are what is packed. */
  private readonly now = new Float64Array(PACKED_FIELDS);
  private readonly last = new Float64Array(PACKED_FIELDS);
  /** One fix's cells, where a late fix is written before it is put among the sealed ones. */
  readonly one = new Int32Array(S);
  /** The most fixes a chunk holds before it splits, and the most a trail keeps unpacked. */
  readonly chunkMax: number;

  /** `chunk`: fixes sealed at a time (small ones let a test seal a short trail). */
  constructor(readonly chunk = CHUNK) {
    this.chunkMax = 2 * chunk;
    this.slots = [new Int32Array(this.chunkMax * S), new Int32Array(this.chunkMax * S)];
    this.out = new Uint8Array(this.chunkMax * PACKED_FIELDS * 8);
  }

  /** The cells of `chunk`'s fixes (their flag cells not kept: read the judgement bytes). Valid until the next call. */
  cellsOf(chunk: SealedChunk): Int32Array {
    if (this.keys[this.newest] === chunk) return this.slots[this.newest]!;
    const other = 1 - this.newest;
    if (this.keys[other] !== chunk) {
      // A checkpoint's chunk may be larger than this cache's own (sealed under another size).
      if (chunk.count * S > this.slots[other]!.length) this.slots[other] = new Int32Array(chunk.count * S);
      this.unpack(chunk, this.slots[other]!);
      this.keys[other] = chunk;
    }
    this.newest = other;
    return this.slots[other]!;
  }

  /** Seals `count` fixes of `cells` from fix `from` (their flag cells read as judgement bytes). */
  seal(cells: Int32Array, from: number, count: number): SealedChunk {
    const judged = new Uint8Array(count);
    let packable = true;
    for (let k = 0; k < count; k++) {
      const c = (from + k) * S;
      const flag = cells[c + FLAG]!;
      judged[k] = (flag & 0x7f) | (flag & HISTORICAL ? SEALED_HISTORICAL : 0);
      for (const at of BIG_FIELDS) if (Math.abs(cells[c + at]!) >= PACKABLE_HIGH) packable = false;
    }
    const firstFixMs = bigAt(cells, from * S + FIX_MS);
    const lastFixMs = bigAt(cells, (from + count - 1) * S + FIX_MS);
    if (!packable) {
      return { count, firstFixMs, lastFixMs, judged, packed: null, raw: cells.slice(from * S, (from + count) * S) };
    }
    // A checkpoint's chunk (sealed under another size) may hold more than chunkMax fixes.
    if (count * PACKED_FIELDS * 8 > this.out.length) this.out = new Uint8Array(count * PACKED_FIELDS * 8);
    const out = this.out;
    const { now, last } = this;
    last.fill(0);
    let p = 0;
    for (let k = 0; k < count; k++) {
      fieldsOf(cells, (from + k) * S, now);
      for (let j = 0; j < PACKED_FIELDS; j++) {
        p = putZigzag(out, p, now[j]! - last[j]!);
        last[j] = now[j]!;
      }
    }
    return { count, firstFixMs, lastFixMs, judged, packed: out.slice(0, p), raw: null };
  }

  /** Unpacks every cell of `chunk` into `into`, the flag cells from its judgement bytes. */
  unpackWhole(chunk: SealedChunk, into: Int32Array): void {
    this.unpack(chunk, into);
    for (let k = 0; k < chunk.count; k++) {
      const b = chunk.judged[k]!;
      into[k * S + FLAG] = (b & 0x7f) | (b & SEALED_HISTORICAL ? HISTORICAL : 0);
    }
  }

  /** The zigzag varint at `this.p`, moving on past it. */
  private next(buf: Uint8Array): number {
    let b = buf[this.p++]!;
    let v = b & 0x7f;
    let mul = 0x80;
    while (b >= 0x80) {
      b = buf[this.p++]!;
      v += (b & 0x7f) * mul;
      mul *= 0x80;
    }
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  /** `next`, with a one-byte value (most differences) read without the loop. */
  private nextQuick(buf: Uint8Array): number {
    const b = buf[this.p]!;
    if (b >= 0x80) return this.next(buf);
    this.p++;
    return b & 1 ? -((b + 1) >> 1) : b >> 1;
  }

  private unpack(chunk: SealedChunk, into: Int32Array): void {
    if (chunk.raw) {
      into.set(chunk.raw);
      return;
    }
    const buf = chunk.packed!;
    const last = this.last;
    last.fill(0);
    this.p = 0;
    for (let k = 0; k < chunk.count; k++) {
      for (let j = 0; j < PACKED_FIELDS; j++) last[j] = last[j]! + this.nextQuick(buf);
      const fixMs = last[0]!;
      writeFix(into, k * S, fixMs, last[1]!, fixMs + last[2]!, last[3]!, last[4]!, last[5]!, last[6]!, last[7]!, last[8]!, last[9]!);
    }
  }
}
