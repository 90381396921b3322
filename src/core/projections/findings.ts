// Deterministic finding counters for projections: a count per (code, description), reported
// sorted by code then description, so the findings list is the same whatever order events
// arrived in.
import type { Finding } from './projection';

export class FindingCounter {
  /** code -> description -> count */
  private readonly counts = new Map<string, Map<string, number>>();

  note(code: string, what: string): void {
    let byWhat = this.counts.get(code);
    if (!byWhat) this.counts.set(code, (byWhat = new Map()));
    byWhat.set(what, (byWhat.get(what) ?? 0) + 1);
  }

  list(): Finding[] {
    return this.export()
      .sort(([c1, , w1], [c2, , w2]) => (c1 < c2 ? -1 : c1 > c2 ? 1 : w1 < w2 ? -1 : w1 > w2 ? 1 : 0))
      .map(([code, count, what]) => ({ code, message: `${count} ${what}` }));
  }

  /** [code, count, what] rows, for a checkpoint. */
  export(): [string, number, string][] {
    const rows: [string, number, string][] = [];
    for (const [code, byWhat] of this.counts) for (const [what, count] of byWhat) rows.push([code, count, what]);
    return rows;
  }

  /** Replaces the counts with exported rows. */
  load(rows: readonly (readonly [string, number, string])[]): void {
    this.counts.clear();
    for (const [code, count, what] of rows) {
      let byWhat = this.counts.get(code);
      if (!byWhat) this.counts.set(code, (byWhat = new Map()));
      byWhat.set(what, count);
    }
  }
}
