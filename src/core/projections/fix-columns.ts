// A truck's fixes as packed numeric columns in trail order: about 50 bytes a fix where objects
// cost several hundred, and nothing for the garbage collector to trace however long the history.
// A fix is made an object only when something reads it (a view, a trail slice, a judgement).
import type { Value } from '../encoding/canonical';
import { KINDS } from '../events/kinds';
import { e6ToDegrees } from '../geo/geo';
import type { EvaluatedFix, Fix, FixFlag } from './fleet-trail';
import type { AuthorTable } from './snapshot-codec';

const FLAGS: readonly (FixFlag | null)[] = [null, 'coordinates_out_of_range', 'null_island', 'fix_in_future', 'teleport', 'implied_speed_over_limit'];

export function flagCode(flag: FixFlag | null): number {
  return FLAGS.indexOf(flag);
}

export class FixColumns {
  length = 0;
  fixMs = new Float64Array(4);
  lat = new Int32Array(4);
  lon = new Int32Array(4);
  /** -1: none given. */
  speed = new Int32Array(4);
  heading = new Int32Array(4);
  author = new Int32Array(4);
  seq = new Float64Array(4);
  wall = new Float64Array(4);
  counter = new Int32Array(4);
  /** The plausibility judgement (flagCode), valid for the trail's judged prefix. */
  flag = new Uint8Array(4);

  constructor(
    readonly truck: string,
    /** Authors as small numbers, shared by every trail of one fleet fold. */
    readonly authors: AuthorTable,
  ) {}

  /** Room for `n` fixes in all. */
  reserve(n: number): void {
    if (n <= this.fixMs.length) return;
    const cap = Math.max(n, this.fixMs.length * 2);
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a.subarray(0, this.length));
      return b;
    };
    this.fixMs = grow(this.fixMs, (c) => new Float64Array(c));
    this.lat = grow(this.lat, (c) => new Int32Array(c));
    this.lon = grow(this.lon, (c) => new Int32Array(c));
    this.speed = grow(this.speed, (c) => new Int32Array(c));
    this.heading = grow(this.heading, (c) => new Int32Array(c));
    this.author = grow(this.author, (c) => new Int32Array(c));
    this.seq = grow(this.seq, (c) => new Float64Array(c));
    this.wall = grow(this.wall, (c) => new Float64Array(c));
    this.counter = grow(this.counter, (c) => new Int32Array(c));
    this.flag = grow(this.flag, (c) => new Uint8Array(c));
  }

  /** Puts `fix` at index `at`, moving what was there on by one. */
  insertAt(at: number, fix: Fix): void {
    this.reserve(this.length + 1);
    if (at < this.length) {
      for (const col of [this.fixMs, this.lat, this.lon, this.speed, this.heading, this.author, this.seq, this.wall, this.counter, this.flag]) col.copyWithin(at + 1, at, this.length);
    }
    this.fixMs[at] = fix.fixMs;
    this.lat[at] = fix.latE6;
    this.lon[at] = fix.lonE6;
    this.speed[at] = fix.speedKmh ?? -1;
    this.heading[at] = fix.headingDeg ?? -1;
    this.author[at] = this.authors.idx(fix.at.author);
    this.seq[at] = fix.at.seq;
    this.wall[at] = fix.at.hlc.wall;
    this.counter[at] = fix.at.hlc.counter;
    this.flag[at] = 0;
    this.length++;
  }

  /** compareFix(fixAt(i), fix), without making the object. */
  compareAt(i: number, fix: Fix): number {
    const at = fix.at;
    const d = this.fixMs[i]! - fix.fixMs || this.wall[i]! - at.hlc.wall || this.counter[i]! - at.hlc.counter;
    if (d) return d;
    const author = this.authors.list[this.author[i]!]!;
    if (author !== at.author) return author < at.author ? -1 : 1;
    return this.seq[i]! - at.seq;
  }

  fixAt(i: number): Fix {
    const speed = this.speed[i]!;
    const heading = this.heading[i]!;
    return {
      truck: this.truck,
      fixMs: this.fixMs[i]!,
      latE6: this.lat[i]!,
      lonE6: this.lon[i]!,
      speedKmh: speed < 0 ? null : speed,
      headingDeg: heading < 0 ? null : heading,
      at: { author: this.authors.list[this.author[i]!]!, seq: this.seq[i]!, prev: null, hlc: { wall: this.wall[i]!, counter: this.counter[i]! }, kind: KINDS.truckPosition, payload: null },
    };
  }

  /**
   * The fix at `i` as the fleet's view has it (read it only inside the judged prefix), its keys
   * written in canonical order so the encoder has nothing to sort.
   */
  viewAt(i: number): Value {
    const speed = this.speed[i]!;
    const heading = this.heading[i]!;
    return {
      lat: e6ToDegrees(this.lat[i]!),
      lon: e6ToDegrees(this.lon[i]!),
      seq: this.seq[i]!,
      flag: FLAGS[this.flag[i]!] ?? undefined,
      author: this.authors.list[this.author[i]!]!,
      fix_ms: this.fixMs[i]!,
      speed_kmh: speed < 0 ? undefined : speed,
      heading_deg: heading < 0 ? undefined : heading,
    };
  }

  /** The fix at `i` with its judgement (read it only inside the judged prefix). */
  evaluatedAt(i: number): EvaluatedFix {
    return { ...this.fixAt(i), flag: FLAGS[this.flag[i]!]! };
  }
}
