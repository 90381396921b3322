// A truck's fixes as packed numeric columns in trail order: about 50 bytes a fix where objects
// cost several hundred, and nothing for the garbage collector to trace however long the history.
// A fix is made an object only when something reads it (a view, a trail slice, a judgement).
// The columns live in one strided array of 32-bit integers, not one array each: a typed array
// costs a few hundred bytes of its own, and a fleet has many short trails.
import { canonicalPieces, type Value } from '../encoding/canonical';
import type { ByteWriter } from '../encoding/writer';
import { KINDS } from '../events/kinds';
import { e6ToDegrees } from '../geo/geo';
import type { EventBody } from '../events/event';
import type { FixFlag, JudgedPoint } from './fix-judge';
import type { EvaluatedFix, Fix } from './fleet-trail';
import type { AuthorTable } from './snapshot-codec';

// A flag's number is stored in the columns: append new codes, never reorder.
const FLAGS: readonly (FixFlag | null)[] = [
  null,
  'coordinates_out_of_range',
  'null_island',
  'fix_in_future',
  'teleport',
  'implied_speed_over_limit',
  'fix_too_old',
  'poor_accuracy',
  'duplicate_fix',
  'jump',
  'stationary_drift',
];

export function flagCode(flag: FixFlag | null): number {
  return FLAGS.indexOf(flag);
}

// Fix i is S 32-bit integers at i * S: the doubles (fix time, seq, hlc wall) as two halves each
// (high, then low as unsigned), then lat, lon, speed (-1: none), heading (-1: none), author,
// hlc counter, the flag (its code in the low byte, the historical mark in bit 8) and the
// accuracy radius in whole metres (-1: none).
const S = 14;
const FIX_MS = 0;
const SEQ = 2;
const WALL = 4;
const LAT = 6;
const LON = 7;
const SPEED = 8;
const HEADING = 9;
const AUTHOR = 10;
const COUNTER = 11;
const FLAG = 12;
const ACC = 13;
const HISTORICAL = 0x100;
const TWO_32 = 0x1_0000_0000;

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
  readonly accuracy: Int32Array;
}

export class FixColumns {
  length = 0;
  /** How many fixes carry the historical mark. */
  historicalCount = 0;
  private cells = new Int32Array(2 * S);

  constructor(
    readonly truck: string,
    /** Authors as small numbers, shared by every trail of one fleet fold. */
    readonly authors: AuthorTable,
  ) {}

  /** Room for `n` fixes in all. */
  reserve(n: number): void {
    const have = this.cells.length / S;
    if (n <= have) return;
    const cells = new Int32Array(Math.max(n, have * 2) * S);
    cells.set(this.cells.subarray(0, this.length * S));
    this.cells = cells;
  }

  /** A non-negative safe integer (fix time, seq, wall) at cell `at` and the next. */
  private big(at: number): number {
    return this.cells[at]! * TWO_32 + (this.cells[at + 1]! >>> 0);
  }

  private setBig(at: number, v: number): void {
    this.cells[at] = Math.floor(v / TWO_32);
    this.cells[at + 1] = v >>> 0;
  }

  /** Puts `fix` at index `at`, moving what was there on by one. */
  insertAt(at: number, fix: Fix): void {
    this.reserve(this.length + 1);
    if (at < this.length) this.cells.copyWithin((at + 1) * S, at * S, this.length * S);
    const acc = fix.accuracyM === null ? -1 : Math.min(Math.round(fix.accuracyM), 0x7fffffff);
    this.write(at * S, fix.fixMs, fix.at.seq, fix.at.hlc.wall, fix.latE6, fix.lonE6, fix.speedKmh ?? -1, fix.headingDeg ?? -1, this.authors.idx(fix.at.author), fix.at.hlc.counter, acc);
    this.length++;
  }

  private write(c: number, fixMs: number, seq: number, wall: number, lat: number, lon: number, speed: number, heading: number, author: number, counter: number, accuracy: number): void {
    this.setBig(c + FIX_MS, fixMs);
    this.setBig(c + SEQ, seq);
    this.setBig(c + WALL, wall);
    const cells = this.cells;
    cells[c + LAT] = lat;
    cells[c + LON] = lon;
    cells[c + SPEED] = speed;
    cells[c + HEADING] = heading;
    cells[c + AUTHOR] = author;
    cells[c + COUNTER] = counter;
    cells[c + FLAG] = 0;
    cells[c + ACC] = accuracy;
  }

  fixMsAt(i: number): number {
    return this.big(i * S + FIX_MS);
  }

  seqAt(i: number): number {
    return this.big(i * S + SEQ);
  }

  wallAt(i: number): number {
    return this.big(i * S + WALL);
  }

  /** The fix's author as its number in `authors`. */
  authorAt(i: number): number {
    return this.cells[i * S + AUTHOR]!;
  }

  /** The plausibility judgement (flagCode), valid for the trail's judged prefix. */
  flagAt(i: number): number {
    return this.cells[i * S + FLAG]! & 0xff;
  }

  setFlag(i: number, code: number): void {
    const c = i * S + FLAG;
    this.cells[c] = (this.cells[c]! & HISTORICAL) | code;
  }

  /** The event-time latch's mark: recorded after a newer fix of the truck. */
  historicalAt(i: number): boolean {
    return (this.cells[i * S + FLAG]! & HISTORICAL) !== 0;
  }

  setHistorical(i: number, on: boolean): void {
    const c = i * S + FLAG;
    if (((this.cells[c]! & HISTORICAL) !== 0) === on) return;
    this.cells[c] = on ? this.cells[c]! | HISTORICAL : this.cells[c]! & ~HISTORICAL;
    this.historicalCount += on ? 1 : -1;
  }

  /** What the filters read of fix `i`, without the event it came from. */
  pointAt(i: number): JudgedPoint {
    const c = i * S;
    const cells = this.cells;
    const speed = cells[c + SPEED]!;
    const heading = cells[c + HEADING]!;
    const acc = cells[c + ACC]!;
    return {
      fixMs: this.big(c + FIX_MS),
      latE6: cells[c + LAT]!,
      lonE6: cells[c + LON]!,
      speedKmh: speed < 0 ? null : speed,
      headingDeg: heading < 0 ? null : heading,
      accuracyM: acc < 0 ? null : acc,
      recordedMs: this.big(c + WALL),
    };
  }

  /** The log order key of fix `i` (the recording event's HLC, author and seq). */
  recordedAt(i: number): EventBody {
    const c = i * S;
    return { author: this.authors.list[this.cells[c + AUTHOR]!]!, seq: this.big(c + SEQ), prev: null, hlc: { wall: this.big(c + WALL), counter: this.cells[c + COUNTER]! }, kind: KINDS.truckPosition, payload: null };
  }

  /** Log order of fixes `a` and `b` (compareTotalOrder of the events that recorded them). */
  compareRecorded(a: number, b: number): number {
    const ca = a * S;
    const cb = b * S;
    const d = this.wallAt(a) - this.wallAt(b) || this.cells[ca + COUNTER]! - this.cells[cb + COUNTER]!;
    if (d) return d;
    const x = this.authors.list[this.cells[ca + AUTHOR]!]!;
    const y = this.authors.list[this.cells[cb + AUTHOR]!]!;
    if (x !== y) return x < y ? -1 : 1;
    return this.seqAt(a) - this.seqAt(b);
  }

  /** compareFix(fixAt(i), fix), without making the object. */
  compareAt(i: number, fix: Fix): number {
    const at = fix.at;
    const d = this.fixMsAt(i) - fix.fixMs || this.wallAt(i) - at.hlc.wall || this.cells[i * S + COUNTER]! - at.hlc.counter;
    if (d) return d;
    const author = this.authors.list[this.authorAt(i)]!;
    if (author !== at.author) return author < at.author ? -1 : 1;
    return this.seqAt(i) - at.seq;
  }

  fixAt(i: number): Fix {
    const c = i * S;
    const cells = this.cells;
    const speed = cells[c + SPEED]!;
    const heading = cells[c + HEADING]!;
    return {
      truck: this.truck,
      fixMs: this.big(c + FIX_MS),
      latE6: cells[c + LAT]!,
      lonE6: cells[c + LON]!,
      speedKmh: speed < 0 ? null : speed,
      headingDeg: heading < 0 ? null : heading,
      accuracyM: cells[c + ACC]! < 0 ? null : cells[c + ACC]!,
      recordedMs: this.big(c + WALL),
      at: this.recordedAt(i),
    };
  }

  /**
   * The fix at `i` as the fleet's view has it (read it only inside the judged prefix), its keys
   * written in canonical order so the encoder has nothing to sort. `legacy`: the view of output
   * versions 1 and 2, without the accuracy and the historical mark.
   */
  viewAt(i: number, legacy = false): Value {
    const c = i * S;
    const cells = this.cells;
    const speed = cells[c + SPEED]!;
    const heading = cells[c + HEADING]!;
    const acc = cells[c + ACC]!;
    return {
      lat: e6ToDegrees(cells[c + LAT]!),
      lon: e6ToDegrees(cells[c + LON]!),
      seq: this.big(c + SEQ),
      flag: FLAGS[cells[c + FLAG]! & 0xff] ?? undefined,
      author: this.authors.list[cells[c + AUTHOR]!]!,
      fix_ms: this.big(c + FIX_MS),
      speed_kmh: speed < 0 ? undefined : speed,
      accuracy_m: legacy || acc < 0 ? undefined : acc,
      historical: !legacy && this.historicalAt(i) ? true : undefined,
      heading_deg: heading < 0 ? undefined : heading,
    };
  }

  /** The canonical bytes of viewAt(i), written without making the view (a digest's hot path). */
  writeViewAt(w: ByteWriter, i: number): void {
    const c = i * S;
    const cells = this.cells;
    const speed = cells[c + SPEED]!;
    const heading = cells[c + HEADING]!;
    const acc = cells[c + ACC]!;
    const historical = this.historicalAt(i);
    const flag = FLAGS[cells[c + FLAG]! & 0xff] ?? null;
    const { mapHeader, text, value } = canonicalPieces;
    // The keys in canonical order (UTF-8 length, then bytewise), as viewAt lists them.
    mapHeader(w, 5 + (flag ? 1 : 0) + (speed < 0 ? 0 : 1) + (acc < 0 ? 0 : 1) + (historical ? 1 : 0) + (heading < 0 ? 0 : 1));
    text(w, 'lat');
    value(w, e6ToDegrees(cells[c + LAT]!));
    text(w, 'lon');
    value(w, e6ToDegrees(cells[c + LON]!));
    text(w, 'seq');
    value(w, this.big(c + SEQ));
    if (flag) {
      text(w, 'flag');
      text(w, flag);
    }
    text(w, 'author');
    text(w, this.authors.list[cells[c + AUTHOR]!]!);
    text(w, 'fix_ms');
    value(w, this.big(c + FIX_MS));
    if (speed >= 0) {
      text(w, 'speed_kmh');
      value(w, speed);
    }
    if (acc >= 0) {
      text(w, 'accuracy_m');
      value(w, acc);
    }
    if (historical) {
      text(w, 'historical');
      value(w, true);
    }
    if (heading >= 0) {
      text(w, 'heading_deg');
      value(w, heading);
    }
  }

  /** The fix at `i` with its judgement (read it only inside the judged prefix). */
  evaluatedAt(i: number): EvaluatedFix {
    return { ...this.fixAt(i), flag: FLAGS[this.flagAt(i)]!, historical: this.historicalAt(i) };
  }

  /** Writes every fix into a checkpoint's columns from index `to`, authors numbered by `authorOf`. */
  exportInto(out: CheckpointColumns, to: number, authorOf: (author: string) => number): void {
    const cells = this.cells;
    for (let k = 0; k < this.length; k++) {
      const c = k * S;
      const j = to + k;
      out.fixMs[j] = this.big(c + FIX_MS);
      out.seq[j] = this.big(c + SEQ);
      out.wall[j] = this.big(c + WALL);
      out.lat[j] = cells[c + LAT]!;
      out.lon[j] = cells[c + LON]!;
      out.speed[j] = cells[c + SPEED]!;
      out.heading[j] = cells[c + HEADING]!;
      out.author[j] = authorOf(this.authors.list[cells[c + AUTHOR]!]!);
      out.counter[j] = cells[c + COUNTER]!;
      out.accuracy[j] = cells[c + ACC]!;
    }
  }

  /** Fills empty columns from a checkpoint's fixes [from, from + count), unjudged. */
  loadFrom(src: CheckpointColumns, from: number, count: number, authorOf: (checkpointAuthor: number) => number): void {
    this.reserve(count);
    for (let k = 0; k < count; k++) {
      const j = from + k;
      this.write(k * S, src.fixMs[j]!, src.seq[j]!, src.wall[j]!, src.lat[j]!, src.lon[j]!, src.speed[j]!, src.heading[j]!, authorOf(src.author[j]!), src.counter[j]!, src.accuracy[j]!);
    }
    this.length = count;
    this.historicalCount = 0;
  }
}
