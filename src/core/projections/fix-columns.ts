// A truck's fixes as packed numeric columns in trail order: about 50 bytes a fix where objects
// cost several hundred, and nothing for the garbage collector to trace however long the history.
// A fix is made an object only when something reads it (a view, a trail slice, a judgement).
// The newest fixes live in one strided array of 32-bit integers (fix-chunk.ts has the layout),
// not one array each: a typed array costs a few hundred bytes of its own, and a fleet has many
// short trails. Older ones are sealed in packed chunks (sealed-fixes.ts), a quarter the size;
// every read goes by index, whichever part holds the fix.
import { canonicalPieces, type Value } from '../encoding/canonical';
import type { ByteWriter } from '../encoding/writer';
import { KINDS } from '../events/kinds';
import { e6ToDegrees } from '../geo/geo';
import type { EventBody } from '../events/event';
import type { FixFlag, JudgedPoint } from './fix-judge';
import type { EvaluatedFix, Fix } from './fleet-trail';
import type { AuthorTable } from './snapshot-codec';
import { ACC, AUTHOR, bigAt, ChunkCache, COUNTER, type SealedChunk, writeFix, FIX_MS, FLAG, HEADING, HISTORICAL, LAT, LON, S, SEALED_HISTORICAL, SEQ, SPEED, WALL } from './fix-chunk';
import { SealedFixes } from './sealed-fixes';

// A flag's number is stored in the columns: append new codes, never reorder, and keep them
// below 128 (a sealed fix keeps its code in 7 bits, beside the historical mark).
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
  /** The newest fixes (from index `sealedCount` on), unpacked. */
  private cells = new Int32Array(2 * S);
  private hot = 0;
  /** The older ones, packed (made when the trail first outgrows the cache's chunkMax). */
  private sealed: SealedFixes | null = null;
  /** The cells the last `loc` found its fix in. */
  private cur: Int32Array;

  constructor(
    readonly truck: string,
    /** Authors as small numbers, shared by every trail of one fleet fold. */
    readonly authors: AuthorTable,
    /** Scratch shared by the fold's trails (a trail made alone gets its own). */
    private readonly cache: ChunkCache = new ChunkCache(),
  ) {
    this.cur = this.cells;
  }

  private get sealedCount(): number {
    return this.sealed?.length ?? 0;
  }

  /** Finds fix `i`: its cells are `this.cur` from the offset returned, until the next `loc`. */
  private loc(i: number): number {
    const s = this.sealedCount;
    if (i >= s) {
      this.cur = this.cells;
      return (i - s) * S;
    }
    const off = this.sealed!.locate(i);
    this.cur = this.sealed!.cur;
    return off;
  }

  /** Room for `n` unpacked fixes. */
  private reserveHot(n: number): void {
    const have = this.cells.length / S;
    if (n <= have) return;
    const cells = new Int32Array(Math.min(Math.max(n, have * 2), this.cache.chunkMax) * S);
    cells.set(this.cells.subarray(0, this.hot * S));
    this.cells = cells;
  }

  /** Seals the oldest unpacked fixes once there are the cache's chunkMax of them. */
  private sealOldest(): void {
    const { chunk, chunkMax } = this.cache;
    if (this.hot < chunkMax) return;
    this.sealed ??= new SealedFixes(this.cache);
    this.sealed.append(this.cells, 0, chunk);
    this.cells.copyWithin(0, chunk * S, this.hot * S);
    this.hot -= chunk;
  }

  /**
   * Bounds on where fixes taken at `fixMs` lie, known without unpacking: every fix before `lo`
   * was taken earlier and every one from `hi` on later. A search need look only between.
   */
  searchBounds(fixMs: number): readonly [number, number] {
    if (!this.sealed) return [0, this.length];
    const [lo, hi] = this.sealed.bounds(fixMs);
    return [lo, hi === this.sealed.length ? this.length : hi];
  }

  /** Puts `fix` at index `at`, moving what was there on by one. */
  insertAt(at: number, fix: Fix): void {
    const acc = fix.accuracyM === null ? -1 : Math.min(Math.round(fix.accuracyM), 0x7fffffff);
    const author = this.authors.idx(fix.at.author);
    const s = this.sealedCount;
    const late = at < s;
    if (!late) {
      this.reserveHot(this.hot + 1);
      const h = at - s;
      if (h < this.hot) this.cells.copyWithin((h + 1) * S, h * S, this.hot * S);
    }
    // A late fix among the sealed ones is written into the cache's one-fix scratch, then put in its chunk.
    const cells = late ? this.cache.one : this.cells;
    writeFix(cells, late ? 0 : (at - s) * S, fix.fixMs, fix.at.seq, fix.at.hlc.wall, fix.latE6, fix.lonE6, fix.speedKmh ?? -1, fix.headingDeg ?? -1, author, fix.at.hlc.counter, acc);
    if (late) {
      this.sealed!.insert(at, this.cache.one);
    } else {
      this.hot++;
      this.sealOldest();
    }
    this.length++;
  }

  fixMsAt(i: number): number {
    const c = this.loc(i);
    return bigAt(this.cur, c + FIX_MS);
  }

  seqAt(i: number): number {
    const c = this.loc(i);
    return bigAt(this.cur, c + SEQ);
  }

  wallAt(i: number): number {
    const c = this.loc(i);
    return bigAt(this.cur, c + WALL);
  }

  /** The fix's author as its number in `authors`. */
  authorAt(i: number): number {
    const c = this.loc(i);
    return this.cur[c + AUTHOR]!;
  }

  private counterAt(i: number): number {
    const c = this.loc(i);
    return this.cur[c + COUNTER]!;
  }

  /** The plausibility judgement (flagCode), valid for the trail's judged prefix. */
  flagAt(i: number): number {
    const s = this.sealedCount;
    return i >= s ? this.cells[(i - s) * S + FLAG]! & 0xff : this.sealed!.judgedAt(i) & ~SEALED_HISTORICAL;
  }

  setFlag(i: number, code: number): void {
    const s = this.sealedCount;
    if (i >= s) {
      const c = (i - s) * S + FLAG;
      this.cells[c] = (this.cells[c]! & HISTORICAL) | code;
    } else {
      this.sealed!.setJudgedAt(i, (this.sealed!.judgedAt(i) & SEALED_HISTORICAL) | code);
    }
  }

  /** The event-time latch's mark: recorded after a newer fix of the truck. */
  historicalAt(i: number): boolean {
    const s = this.sealedCount;
    return i >= s ? (this.cells[(i - s) * S + FLAG]! & HISTORICAL) !== 0 : (this.sealed!.judgedAt(i) & SEALED_HISTORICAL) !== 0;
  }

  setHistorical(i: number, on: boolean): void {
    if (this.historicalAt(i) === on) return;
    const s = this.sealedCount;
    if (i >= s) {
      const c = (i - s) * S + FLAG;
      this.cells[c] = on ? this.cells[c]! | HISTORICAL : this.cells[c]! & ~HISTORICAL;
    } else {
      const b = this.sealed!.judgedAt(i);
      this.sealed!.setJudgedAt(i, on ? b | SEALED_HISTORICAL : b & ~SEALED_HISTORICAL);
    }
    this.historicalCount += on ? 1 : -1;
  }

  /** What the filters read of fix `i`, without the event it came from. */
  pointAt(i: number): JudgedPoint {
    const c = this.loc(i);
    const cells = this.cur;
    const speed = cells[c + SPEED]!;
    const heading = cells[c + HEADING]!;
    const acc = cells[c + ACC]!;
    return {
      fixMs: bigAt(cells, c + FIX_MS),
      latE6: cells[c + LAT]!,
      lonE6: cells[c + LON]!,
      speedKmh: speed < 0 ? null : speed,
      headingDeg: heading < 0 ? null : heading,
      accuracyM: acc < 0 ? null : acc,
      recordedMs: bigAt(cells, c + WALL),
    };
  }

  /** The log order key of fix `i` (the recording event's HLC, author and seq). */
  recordedAt(i: number): EventBody {
    const c = this.loc(i);
    const cells = this.cur;
    return { author: this.authors.list[cells[c + AUTHOR]!]!, seq: bigAt(cells, c + SEQ), prev: null, hlc: { wall: bigAt(cells, c + WALL), counter: cells[c + COUNTER]! }, kind: KINDS.truckPosition, payload: null };
  }

  /** Log order of fixes `a` and `b` (compareTotalOrder of the events that recorded them). */
  compareRecorded(a: number, b: number): number {
    const d = this.wallAt(a) - this.wallAt(b) || this.counterAt(a) - this.counterAt(b);
    if (d) return d;
    const x = this.authors.list[this.authorAt(a)]!;
    const y = this.authors.list[this.authorAt(b)]!;
    if (x !== y) return x < y ? -1 : 1;
    return this.seqAt(a) - this.seqAt(b);
  }

  /** compareFix(fixAt(i), fix), without making the object. */
  compareAt(i: number, fix: Fix): number {
    const at = fix.at;
    const c = this.loc(i);
    const cells = this.cur;
    const d = bigAt(cells, c + FIX_MS) - fix.fixMs || bigAt(cells, c + WALL) - at.hlc.wall || cells[c + COUNTER]! - at.hlc.counter;
    if (d) return d;
    const author = this.authors.list[cells[c + AUTHOR]!]!;
    if (author !== at.author) return author < at.author ? -1 : 1;
    return bigAt(cells, c + SEQ) - at.seq;
  }

  fixAt(i: number): Fix {
    return this.made(i, false) as Fix;
  }

  /** Fix `i` as an object, with its judgement when `judged` (literals: a spread costs more than the fix). */
  private made(i: number, judged: boolean): Fix | EvaluatedFix {
    const flag = judged ? FLAGS[this.flagAt(i)]! : null;
    const historical = judged && this.historicalAt(i);
    const c = this.loc(i);
    const cells = this.cur;
    const speed = cells[c + SPEED]!;
    const heading = cells[c + HEADING]!;
    const acc = cells[c + ACC]!;
    const wall = bigAt(cells, c + WALL);
    const fixMs = bigAt(cells, c + FIX_MS);
    const latE6 = cells[c + LAT]!;
    const lonE6 = cells[c + LON]!;
    const speedKmh = speed < 0 ? null : speed;
    const headingDeg = heading < 0 ? null : heading;
    const accuracyM = acc < 0 ? null : acc;
    const at: EventBody = { author: this.authors.list[cells[c + AUTHOR]!]!, seq: bigAt(cells, c + SEQ), prev: null, hlc: { wall, counter: cells[c + COUNTER]! }, kind: KINDS.truckPosition, payload: null };
    if (!judged) return { truck: this.truck, fixMs, latE6, lonE6, speedKmh, headingDeg, accuracyM, recordedMs: wall, at };
    return { truck: this.truck, fixMs, latE6, lonE6, speedKmh, headingDeg, accuracyM, recordedMs: wall, at, flag, historical };
  }

  /**
   * The fix at `i` as the fleet's view has it (read it only inside the judged prefix), its keys
   * written in canonical order so the encoder has nothing to sort. `legacy`: the view of output
   * versions 1 and 2, without the accuracy and the historical mark.
   */
  viewAt(i: number, legacy = false): Value {
    const flag = FLAGS[this.flagAt(i)] ?? undefined;
    const historical = !legacy && this.historicalAt(i) ? true : undefined;
    const c = this.loc(i);
    const cells = this.cur;
    const speed = cells[c + SPEED]!;
    const heading = cells[c + HEADING]!;
    const acc = cells[c + ACC]!;
    return {
      lat: e6ToDegrees(cells[c + LAT]!),
      lon: e6ToDegrees(cells[c + LON]!),
      seq: bigAt(cells, c + SEQ),
      flag,
      author: this.authors.list[cells[c + AUTHOR]!]!,
      fix_ms: bigAt(cells, c + FIX_MS),
      speed_kmh: speed < 0 ? undefined : speed,
      accuracy_m: legacy || acc < 0 ? undefined : acc,
      historical,
      heading_deg: heading < 0 ? undefined : heading,
    };
  }

  /** The canonical bytes of viewAt(i), written without making the view (a digest's hot path). */
  writeViewAt(w: ByteWriter, i: number): void {
    const historical = this.historicalAt(i);
    const flag = FLAGS[this.flagAt(i)] ?? null;
    const c = this.loc(i);
    const cells = this.cur;
    const speed = cells[c + SPEED]!;
    const heading = cells[c + HEADING]!;
    const acc = cells[c + ACC]!;
    const { mapHeader, text, value } = canonicalPieces;
    // The keys in canonical order (UTF-8 length, then bytewise), as viewAt lists them.
    mapHeader(w, 5 + (flag ? 1 : 0) + (speed < 0 ? 0 : 1) + (acc < 0 ? 0 : 1) + (historical ? 1 : 0) + (heading < 0 ? 0 : 1));
    text(w, 'lat');
    value(w, e6ToDegrees(cells[c + LAT]!));
    text(w, 'lon');
    value(w, e6ToDegrees(cells[c + LON]!));
    text(w, 'seq');
    value(w, bigAt(cells, c + SEQ));
    if (flag) {
      text(w, 'flag');
      text(w, flag);
    }
    text(w, 'author');
    text(w, this.authors.list[cells[c + AUTHOR]!]!);
    text(w, 'fix_ms');
    value(w, bigAt(cells, c + FIX_MS));
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
    return this.made(i, true) as EvaluatedFix;
  }

  /** The sealed chunks (their fixes' authors numbered as in `authors`), for a checkpoint. */
  sealedChunks(): readonly SealedChunk[] {
    return this.sealed?.list ?? [];
  }

  /** How many fixes are sealed: the rest, from this index on, are exported as columns. */
  get sealedLength(): number {
    return this.sealedCount;
  }

  /** Takes a checkpoint's sealed chunks into empty columns (their authors numbered as in `authors`); loadFrom then adds the rest. */
  adopt(chunks: readonly SealedChunk[]): void {
    if (this.length !== 0) throw new Error('adopt needs empty columns');
    if (chunks.length === 0) return;
    this.sealed = new SealedFixes(this.cache);
    this.sealed.adopt(chunks);
    this.length = this.sealed.length;
  }

  /** Writes fixes [from, length) into a checkpoint's columns from index `to`, authors numbered by `authorOf`. */
  exportInto(out: CheckpointColumns, to: number, authorOf: (author: string) => number, from = 0): void {
    for (let k = from; k < this.length; k++) {
      const c = this.loc(k);
      const cells = this.cur;
      const j = to + k - from;
      out.fixMs[j] = bigAt(cells, c + FIX_MS);
      out.seq[j] = bigAt(cells, c + SEQ);
      out.wall[j] = bigAt(cells, c + WALL);
      out.lat[j] = cells[c + LAT]!;
      out.lon[j] = cells[c + LON]!;
      out.speed[j] = cells[c + SPEED]!;
      out.heading[j] = cells[c + HEADING]!;
      out.author[j] = authorOf(this.authors.list[cells[c + AUTHOR]!]!);
      out.counter[j] = cells[c + COUNTER]!;
      out.accuracy[j] = cells[c + ACC]!;
    }
  }

  /** Adds a checkpoint's fixes [from, from + count) after those held (none, or the adopted chunks), unjudged. */
  loadFrom(src: CheckpointColumns, from: number, count: number, authorOf: (checkpointAuthor: number) => number): void {
    for (let k = 0; k < count; k++) {
      const j = from + k;
      this.reserveHot(this.hot + 1);
      writeFix(this.cells, this.hot * S, src.fixMs[j]!, src.seq[j]!, src.wall[j]!, src.lat[j]!, src.lon[j]!, src.speed[j]!, src.heading[j]!, authorOf(src.author[j]!), src.counter[j]!, src.accuracy[j]!);
      this.hot++;
      this.length++;
      this.sealOldest();
    }
  }

  /** Bytes the fixes hold (the unpacked ones' room, the sealed ones' packing). */
  bytes(): number {
    return this.cells.byteLength + (this.sealed?.bytes() ?? 0);
  }
}

