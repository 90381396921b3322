// Deterministic finding counters for projections: counts per code, reported sorted by code, so
// the findings list is the same whatever order events arrived in.
import type { Finding } from './projection';

export class FindingCounter {
  private readonly counts = new Map<string, { count: number; what: string }>();

  note(code: string, what: string): void {
    const cur = this.counts.get(code);
    if (cur) cur.count++;
    else this.counts.set(code, { count: 1, what });
  }

  list(): Finding[] {
    return [...this.counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([code, { count, what }]) => ({ code, message: `${count} ${what}` }));
  }

  /** [code, count, what] rows, for a checkpoint. */
  export(): [string, number, string][] {
    return [...this.counts.entries()].map(([code, { count, what }]) => [code, count, what]);
  }

  /** Replaces the counts with exported rows. */
  load(rows: readonly (readonly [string, number, string])[]): void {
    this.counts.clear();
    for (const [code, count, what] of rows) this.counts.set(code, { count, what });
  }
}
