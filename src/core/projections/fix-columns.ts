// A truck's fixes as packed numeric columns in trail order: about 50 bytes a fix where objects
// cost several hundred, and nothing for the garbage collector to trace however long the history.
// A fix is made an object only when something reads it (a view, a trail slice, a judgement).
// The columns live in two strided arrays (one of doubles, one of 32-bit integers), not one array
// each: a typed array costs a few hundred bytes of its own, and a fleet has many short trails.
import type { Value } from '../encoding/canonical';
import { KINDS } from '../events/kinds';
import { e6ToDegrees } from '../geo/geo';
import type { EvaluatedFix, Fix, FixFlag } from './fleet-trail';
import type { AuthorTable } from './snapshot-codec';

const FLAGS: readonly (FixFlag | null)[] = [null, 'coordinates_out_of_range', 'null_island', 'fix_in_future', 'teleport', 'implied_speed_over_limit'];

export function flagCode(flag: FixFlag | null): number {
  return FLAGS.indexOf(flag);
}

// Doubles of fix i at i * F + (fix time, seq, hlc wall).
const F = 3;
const FIX_MS = 0;
const SEQ = 1;
const WALL = 2;
// Integers of fix i at i * I + (lat, lon, speed (-1: none), heading (-1: none), author, hlc counter, flag).
const I = 7;
const LAT = 0;
const LON = 1;
const SPEED = 2;
const HEADING = 3;
const AUTHOR = 4;
const COUNTER = 5;
const FLAG = 6;

/** A checkpoint's fix columns (every truck's, one after another). */
export interface CheckpointColumns {
  readonly fixMs: Float64Array;
  readonly seq: Float64Array;
  readonly wall: Float64Array;
  readonly lat: Int32Array;
  readonly lon: Int32Array;
  readonly speed: Int32Array;
  readonly heading: Int32Array;
  readonly author: Int32Array;
  readonly counter: Int32Array;
}

export class FixColumns {
  length = 0;
  private f64 = new Float64Array(2 * F);
  private i32 = new Int32Array(2 * I);

  constructor(
    readonly truck: string,
    /** Authors as small numbers, shared by every trail of one fleet fold. */
    readonly authors: AuthorTable,
  ) {}

  /** Room for `n` fixes in all. */
  reserve(n: number): void {
    const have = this.f64.length / F;
    if (n <= have) return;
    const cap = Math.max(n, have * 2);
    const f64 = new Float64Array(cap * F);
    f64.set(this.f64.subarray(0, this.length * F));
    const i32 = new Int32Array(cap * I);
    i32.set(this.i32.subarray(0, this.length * I));
    this.f64 = f64;
    this.i32 = i32;
  }

  /** Puts `fix` at index `at`, moving what was there on by one. */
  insertAt(at: number, fix: Fix): void {
    this.reserve(this.length + 1);
    if (at < this.length) {
      this.f64.copyWithin((at + 1) * F, at * F, this.length * F);
      this.i32.copyWithin((at + 1) * I, at * I, this.length * I);
    }
    const f = at * F;
    this.f64[f + FIX_MS] = fix.fixMs;
    this.f64[f + SEQ] = fix.at.seq;
    this.f64[f + WALL] = fix.at.hlc.wall;
    const i = at * I;
    this.i32[i + LAT] = fix.latE6;
    this.i32[i + LON] = fix.lonE6;
    this.i32[i + SPEED] = fix.speedKmh ?? -1;
    this.i32[i + HEADING] = fix.headingDeg ?? -1;
    this.i32[i + AUTHOR] = this.authors.idx(fix.at.author);
    this.i32[i + COUNTER] = fix.at.hlc.counter;
    this.i32[i + FLAG] = 0;
    this.length++;
  }

  fixMsAt(i: number): number {
    return this.f64[i * F + FIX_MS]!;
  }

  seqAt(i: number): number {
    return this.f64[i * F + SEQ]!;
  }

  wallAt(i: number): number {
    return this.f64[i * F + WALL]!;
  }

  /** The fix's author as its number in `authors`. */
  authorAt(i: number): number {
    return this.i32[i * I + AUTHOR]!;
  }

  /** The plausibility judgement (flagCode), valid for the trail's judged prefix. */
  flagAt(i: number): number {
    return this.i32[i * I + FLAG]!;
  }

  setFlag(i: number, code: number): void {
    this.i32[i * I + FLAG] = code;
  }

  /** compareFix(fixAt(i), fix), without making the object. */
  compareAt(i: number, fix: Fix): number {
    const at = fix.at;
    const d = this.fixMsAt(i) - fix.fixMs || this.wallAt(i) - at.hlc.wall || this.i32[i * I + COUNTER]! - at.hlc.counter;
    if (d) return d;
    const author = this.authors.list[this.authorAt(i)]!;
    if (author !== at.author) return author < at.author ? -1 : 1;
    return this.seqAt(i) - at.seq;
  }

  fixAt(i: number): Fix {
    const f = i * F;
    const n = i * I;
    const speed = this.i32[n + SPEED]!;
    const heading = this.i32[n + HEADING]!;
    return {
      truck: this.truck,
      fixMs: this.f64[f + FIX_MS]!,
      latE6: this.i32[n + LAT]!,
      lonE6: this.i32[n + LON]!,
      speedKmh: speed < 0 ? null : speed,
      headingDeg: heading < 0 ? null : heading,
      at: { author: this.authors.list[this.i32[n + AUTHOR]!]!, seq: this.f64[f + SEQ]!, prev: null, hlc: { wall: this.f64[f + WALL]!, counter: this.i32[n + COUNTER]! }, kind: KINDS.truckPosition, payload: null },
    };
  }

  /**
   * The fix at `i` as the fleet's view has it (read it only inside the judged prefix), its keys
   * written in canonical order so the encoder has nothing to sort.
   */
  viewAt(i: number): Value {
    const f = i * F;
    const n = i * I;
    const speed = this.i32[n + SPEED]!;
    const heading = this.i32[n + HEADING]!;
    return {
      lat: e6ToDegrees(this.i32[n + LAT]!),
      lon: e6ToDegrees(this.i32[n + LON]!),
      seq: this.f64[f + SEQ]!,
      flag: FLAGS[this.i32[n + FLAG]!] ?? undefined,
      author: this.authors.list[this.i32[n + AUTHOR]!]!,
      fix_ms: this.f64[f + FIX_MS]!,
      speed_kmh: speed < 0 ? undefined : speed,
      heading_deg: heading < 0 ? undefined : heading,
    };
  }

  /** The fix at `i` with its judgement (read it only inside the judged prefix). */
  evaluatedAt(i: number): EvaluatedFix {
    return { ...this.fixAt(i), flag: FLAGS[this.flagAt(i)]! };
  }

  /** Writes every fix into a checkpoint's columns from index `to`, authors numbered by `authorOf`. */
  exportInto(out: CheckpointColumns, to: number, authorOf: (author: string) => number): void {
    for (let k = 0; k < this.length; k++) {
      const f = k * F;
      const n = k * I;
      const j = to + k;
      out.fixMs[j] = this.f64[f + FIX_MS]!;
      out.seq[j] = this.f64[f + SEQ]!;
      out.wall[j] = this.f64[f + WALL]!;
      out.lat[j] = this.i32[n + LAT]!;
      out.lon[j] = this.i32[n + LON]!;
      out.speed[j] = this.i32[n + SPEED]!;
      out.heading[j] = this.i32[n + HEADING]!;
      out.author[j] = authorOf(this.authors.list[this.i32[n + AUTHOR]!]!);
      out.counter[j] = this.i32[n + COUNTER]!;
    }
  }

  /** Fills empty columns from a checkpoint's fixes [from, from + count), unjudged. */
  loadFrom(src: CheckpointColumns, from: number, count: number, authorOf: (checkpointAuthor: number) => number): void {
    this.reserve(count);
    for (let k = 0; k < count; k++) {
      const f = k * F;
      const n = k * I;
      const j = from + k;
      this.f64[f + FIX_MS] = src.fixMs[j]!;
      this.f64[f + SEQ] = src.seq[j]!;
      this.f64[f + WALL] = src.wall[j]!;
      this.i32[n + LAT] = src.lat[j]!;
      this.i32[n + LON] = src.lon[j]!;
      this.i32[n + SPEED] = src.speed[j]!;
      this.i32[n + HEADING] = src.heading[j]!;
      this.i32[n + AUTHOR] = authorOf(src.author[j]!);
      this.i32[n + COUNTER] = src.counter[j]!;
      this.i32[n + FLAG] = 0;
    }
    this.length = count;
  }
}
