// The replay chart's rows: the window cut into buckets of time, each holding every truck's
// highest plausible reported speed in it (a peak survives however long the window), so a month
// charts in a few hundred points per truck.
import type { ReplayTrackDto } from '../../../../shared/api';

export interface ChartRow {
  readonly t: number;
  readonly [truck: string]: number | null;
}

export function chartRows(tracks: readonly ReplayTrackDto[], startMs: number, endMs: number, buckets = 600): ChartRow[] {
  const span = Math.max(1, endMs - startMs);
  const width = span / buckets;
  const rows: Record<string, number | null>[] = Array.from({ length: buckets + 1 }, (_, i) => ({ t: startMs + i * width }));
  for (const track of tracks) {
    const { fixMs, speedKmh, flag } = track.fixes;
    for (let i = 0; i < fixMs.length; i++) {
      const v = speedKmh[i];
      if (flag[i] !== null || v === null || v === undefined) continue;
      const b = Math.min(buckets, Math.max(0, Math.round((fixMs[i]! - startMs) / width)));
      const row = rows[b]!;
      const had = row[track.truck];
      row[track.truck] = had === undefined || had === null ? v : Math.max(had, v);
    }
  }
  // Buckets a truck sent nothing in stay gaps in its line (null), not zero.
  for (const row of rows) for (const track of tracks) if (!(track.truck in row)) row[track.truck] = null;
  return rows as ChartRow[];
}
