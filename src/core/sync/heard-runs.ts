// Runs the neighbours broadcast lately, per author: a run of ours covering the same range would
// be a repeat for whoever heard theirs, so it is held back for a while. But a neighbour out of
// earshot of that sender still lacks it; its frontier says so, and then the range is no longer
// held back. Pure: time comes in as `nowMs`.
import type { AuthorId } from '../events/event';

interface Heard {
  readonly from: number;
  readonly to: number;
  readonly atMs: number;
}

export class HeardRuns {
  private readonly heard = new Map<AuthorId, Heard[]>();

  constructor(
    /** How long a heard run holds ours back. */
    private readonly holdMs: number,
    /** How long a frontier may lag a run it was sent after (it waited in the sender's queue). */
    private readonly raceMs: number,
  ) {}

  /** A neighbour broadcast `author`'s seqs `from`..`to`. */
  note(author: AuthorId, from: number, to: number, nowMs: number): void {
    const list = (this.heard.get(author) ?? []).filter((h) => nowMs - h.atMs < this.holdMs);
    list.push({ from, to, atMs: nowMs });
    this.heard.set(author, list);
  }

  /** True when a neighbour broadcast this range (or one covering it) moments ago. */
  recently(author: AuthorId, from: number, to: number, nowMs: number): boolean {
    return (this.heard.get(author) ?? []).some((h) => nowMs - h.atMs < this.holdMs && h.from <= from && h.to >= to);
  }

  /**
   * A neighbour's frontier: what it still lacks, heard a while ago, is no longer held back. Heard
   * only just now, the report may predate it: returns when that doubt has passed (to ask again
   * then), or null.
   */
  reported(heads: ReadonlyMap<AuthorId, number>, nowMs: number): number | null {
    let askAtMs: number | null = null;
    for (const [author, list] of this.heard) {
      const has = heads.get(author) ?? 0;
      const kept = list.filter((h) => h.to <= has || nowMs - h.atMs < this.raceMs);
      for (const h of kept) if (h.to > has) askAtMs = Math.min(askAtMs ?? Infinity, h.atMs + this.raceMs);
      this.heard.set(author, kept);
    }
    return askAtMs;
  }
}
