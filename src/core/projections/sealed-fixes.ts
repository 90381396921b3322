// The sealed part of a truck's trail: its older fixes, in packed chunks (fix-chunk.ts), in trail
// order. Fixes are found by index as if the trail were one array; a late fix that lands among
// them repacks only its chunk. Which chunk an index or a fix time falls in is answered from the
// chunks' counts and first and last fix times, without unpacking.
import { S, type ChunkCache, type SealedChunk } from './fix-chunk';

export class SealedFixes {
  private readonly chunks: SealedChunk[] = [];
  /** Index of each chunk's first fix. */
  private readonly starts: number[] = [];
  length = 0;
  /** The chunk the last lookup found (reads go mostly in order). */
  private last = 0;
  /** The cells the last `locate` unpacked: read them before anything else reads a chunk. */
  cur: Int32Array;

  constructor(readonly cache: ChunkCache) {
    this.cur = new Int32Array(0);
  }

  /** The chunk holding fix `i` (0 <= i < length). */
  private chunkOf(i: number): number {
    const starts = this.starts;
    const k = this.last;
    if (i >= starts[k]! && i < starts[k]! + this.chunks[k]!.count) return k;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return (this.last = lo);
  }

  /** Unpacks fix `i`'s chunk into `cur` and returns the fix's cell offset there. */
  locate(i: number): number {
    const k = this.chunkOf(i);
    this.cur = this.cache.cellsOf(this.chunks[k]!);
    return (i - this.starts[k]!) * S;
  }

  judgedAt(i: number): number {
    const k = this.chunkOf(i);
    return this.chunks[k]!.judged[i - this.starts[k]!]!;
  }

  setJudgedAt(i: number, b: number): void {
    const k = this.chunkOf(i);
    this.chunks[k]!.judged[i - this.starts[k]!] = b;
  }

  /** The chunks, oldest first (for a checkpoint: read them, never change them). */
  get list(): readonly SealedChunk[] {
    return this.chunks;
  }

  /** Takes chunks sealed elsewhere (a checkpoint's) after the sealed ones. */
  adopt(chunks: readonly SealedChunk[]): void {
    for (const c of chunks) {
      this.starts.push(this.length);
      this.chunks.push(c);
      this.length += c.count;
    }
  }

  /** Seals fixes [from, from + count) of `cells` after the sealed ones. */
  append(cells: Int32Array, from: number, count: number): void {
    this.starts.push(this.length);
    this.chunks.push(this.cache.seal(cells, from, count));
    this.length += count;
  }

  /**
   * Puts a fix (its S cells in `fix`) among the sealed ones at index `at` (0 <= at < length):
   * its chunk is unpacked, the fix put in, and the chunk packed again (in two when it outgrows
   * the cache's chunkMax).
   */
  insert(at: number, fix: Int32Array): void {
    const k = this.chunkOf(at);
    const chunk = this.chunks[k]!;
    const n = chunk.count;
    const cells = new Int32Array((n + 1) * S);
    this.cache.unpackWhole(chunk, cells);
    const j = at - this.starts[k]!;
    cells.copyWithin((j + 1) * S, j * S, n * S);
    cells.set(fix.subarray(0, S), j * S);
    const half = this.cache.chunk;
    if (n + 1 <= this.cache.chunkMax) {
      this.chunks[k] = this.cache.seal(cells, 0, n + 1);
    } else {
      this.chunks.splice(k, 1, this.cache.seal(cells, 0, half), this.cache.seal(cells, half, n + 1 - half));
      this.starts.splice(k + 1, 0, 0);
    }
    this.length++;
    for (let m = k + 1; m < this.starts.length; m++) this.starts[m] = this.starts[m - 1]! + this.chunks[m - 1]!.count;
    this.last = k;
  }

  /**
   * Bounds on where fixes taken at `fixMs` lie, from the chunks' fix times alone: every sealed
   * fix before `lo` was taken earlier, every one from `hi` on later (hi = length: none known).
   */
  bounds(fixMs: number): readonly [number, number] {
    const chunks = this.chunks;
    // The last chunk whose last fix is earlier, and the first whose first fix is later.
    let a = 0;
    let b = chunks.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (chunks[mid]!.lastFixMs < fixMs) a = mid + 1;
      else b = mid;
    }
    const lo = a < chunks.length ? this.starts[a]! : this.length;
    let c = a;
    let d = chunks.length;
    while (c < d) {
      const mid = (c + d) >> 1;
      if (chunks[mid]!.firstFixMs <= fixMs) c = mid + 1;
      else d = mid;
    }
    const hi = c < chunks.length ? this.starts[c]! : this.length;
    return [lo, hi];
  }

  /** Bytes held (the packed fixes and their judgements), for a measure of the trail's memory. */
  bytes(): number {
    let n = 0;
    for (const c of this.chunks) n += c.judged.byteLength + (c.packed?.byteLength ?? 0) + (c.raw?.byteLength ?? 0);
    return n;
  }
}
