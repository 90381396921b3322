// The numbers behind the speed chart, from a truck's held trail: the speed each fix reported, the
// speed its movement implies (distance over time from the previous plausible fix), and the flagged
// fixes. Pure, so the chart only draws. Flagged fixes never feed the implied speed: an impossible
// position would turn into an impossible speed and flatten everything else on the chart.
import type { FixDto } from '../../../../shared/api';
import { impliedSpeedKmh } from '../../lib/geo';
import { fixKey } from '../../store/trail-merge';

/** The speed dispatchers are warned above, drawn as the chart's "limit" line. */
export const SPEED_LIMIT_KMH = 80;

/** One fix on the chart. Missing values are null, so each series skips the rows it has nothing for. */
export interface SpeedRow {
  readonly key: string;
  readonly fixMs: number;
  /** Reported speed of a plausible fix. */
  readonly reported: number | null;
  /** Average speed from the previous plausible fix to this one. */
  readonly implied: number | null;
  /** Where a flagged fix's red dot sits: its reported speed (at most the axis top), or the axis floor when it reported none. */
  readonly flagged: number | null;
  readonly fix: FixDto;
}

export interface SpeedSeries {
  readonly rows: readonly SpeedRow[];
  /** Points on the reported-speed line. */
  readonly reportedCount: number;
  readonly impliedCount: number;
  readonly flaggedCount: number;
  /** A round top for the y axis that keeps the limit line and every value in view. */
  readonly yMax: number;
}

/** Headroom above the limit line so its label never sits on the chart's top edge. */
const MIN_Y_MAX = SPEED_LIMIT_KMH + 20;
const Y_STEP = 20;

export function speedSeries(trail: readonly FixDto[]): SpeedSeries {
  const rows: SpeedRow[] = [];
  let previous: FixDto | null = null;
  let reportedCount = 0;
  let impliedCount = 0;
  let flaggedCount = 0;
  let top = 0;
  for (const fix of trail) {
    if (fix.flag !== null) {
      flaggedCount++;
      rows.push({ key: fixKey(fix), fixMs: fix.fixMs, reported: null, implied: null, flagged: fix.speedKmh ?? 0, fix });
      continue;
    }
    const implied = previous ? impliedSpeedKmh(previous, fix) : null;
    previous = fix;
    if (fix.speedKmh !== null) reportedCount++;
    if (implied !== null) impliedCount++;
    top = Math.max(top, fix.speedKmh ?? 0, implied ?? 0);
    rows.push({ key: fixKey(fix), fixMs: fix.fixMs, reported: fix.speedKmh, implied, flagged: null, fix });
  }
  const yMax = Math.max(MIN_Y_MAX, Math.ceil((top * 1.1) / Y_STEP) * Y_STEP);
  // A flagged fix's reported speed can be as wild as its position; pin it to the top edge rather
  // than let it squash the plausible values (the tooltip still shows the real number).
  const pinned = rows.map((row) => (row.flagged !== null && row.flagged > yMax ? { ...row, flagged: yMax } : row));
  return { rows: pinned, reportedCount, impliedCount, flaggedCount, yMax };
}
