// The replay chart's rows: the window cut into buckets of time, each holding every truck's
// highest plausible reported speed in it (a peak survives however long the window), so a month
// charts in a few hundred points per truck. Short silences are drawn across, long ones are gaps.
import type { ReplayTrackDto } from '../../../../shared/api';

export interface ChartRow {
  readonly t: number;
  readonly [truck: string]: number | null;
}

/** A truck silent longer than this shows a gap in its line; shorter silences are drawn across. */
export const CHART_GAP_MS = 15 * 60_000;

/** Fills the empty buckets between two of a truck's values less than CHART_GAP_MS apart (linearly); the rest stay null. */
function bridge(rows: Record<string, number | null>[], truck: string): void {
  let last = -1;
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]![truck];
    if (v === undefined || v === null) {
      rows[i]![truck] = null;
      continue;
    }
    if (last >= 0 && i - last > 1 && rows[i]!['t']! - rows[last]!['t']! <= CHART_GAP_MS) {
      const a = rows[last]![truck]!;
      for (let k = last + 1; k < i; k++) rows[k]![truck] = a + ((v - a) * (k - last)) / (i - last);
    }
    last = i;
  }
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
  for (const track of tracks) bridge(rows, track.truck);
  return rows as ChartRow[];
}
