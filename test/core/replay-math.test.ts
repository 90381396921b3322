// PROVES: the console's replay arithmetic: a truck between two fixes is drawn between them in
//         proportion to time, stays where it was last seen after its last fix, is absent before
//         its first, and is never placed on a flagged fix; a step goes to the nearest fix of any
//         replayed truck either way; the chart keeps each bucket's highest speed (a peak survives
//         a month), draws short silences across and leaves a gap where a truck was silent long.
// CATCHES: a cursor that jumps from fix to fix, a truck drawn on a 300 km outlier, a step that
//          skips the other truck's fixes, a chart that averages a speeding peak away.
import { describe, expect, it } from 'vitest';
import type { ReplayTrackDto } from '../../src/shared/api';
import { chartRows } from '../../src/renderer/src/views/replay/replay-chart-rows';
import { pathBetween, plausibleIndexes, positionAt, spanOf, stepTime } from '../../src/renderer/src/views/replay/replay-math';
import { parseReplayHash, replayHash } from '../../src/renderer/src/views/replay/replay-params';

function track(truck: string, rows: [number, number, number, number | null, string | null][]): ReplayTrackDto {
  return {
    truck,
    fromMs: rows[0]![0],
    toMs: rows[rows.length - 1]![0],
    total: rows.length,
    flagged: rows.filter((r) => r[4] !== null).length,
    sampledEvery: 1,
    fixes: { fixMs: rows.map((r) => r[0]), lat: rows.map((r) => r[1]), lon: rows.map((r) => r[2]), speedKmh: rows.map((r) => r[3]), headingDeg: rows.map(() => null), flag: rows.map((r) => r[4]) },
    stops: [],
    trips: [],
    distanceM: 0,
    movingMs: 0,
    stoppedMs: 0,
    maxSpeedKmh: 0,
  };
}

const A = track('A', [
  [1000, 0, 0, 10, null],
  [2000, 1, 1, 20, null],
  [2500, 40, 40, 900, 'implied_speed_over_limit'],
  [3000, 2, 3, 30, null],
]);
const B = track('B', [
  [1500, 5, 5, 50, null],
  [2200, 6, 6, 60, null],
]);

describe('replay arithmetic', () => {
  const ia = plausibleIndexes(A);
  it('interpolates_in_time_and_skips_flagged_fixes', () => {
    expect(ia).toEqual([0, 1, 3]);
    expect(positionAt(A, ia, 999)).toBeNull();
    expect(positionAt(A, ia, 1500)).toMatchObject({ lat: 0.5, lon: 0.5, speedKmh: 10, index: 0 });
    // Half way between 2000 and 3000: the flagged fix at 2500 is not a place the truck was.
    expect(positionAt(A, ia, 2500)).toMatchObject({ lat: 1.5, lon: 2, index: 1 });
    expect(positionAt(A, ia, 9000)).toMatchObject({ lat: 2, lon: 3, index: 3 });
  });

  it('steps_to_the_nearest_fix_of_any_truck_both_ways', () => {
    expect(stepTime([A, B], 1000, 1)).toBe(1500);
    expect(stepTime([A, B], 1500, 1)).toBe(2000);
    expect(stepTime([A, B], 2000, 1)).toBe(2200);
    expect(stepTime([A, B], 2200, -1)).toBe(2000);
    expect(stepTime([A, B], 1000, -1)).toBeNull();
    expect(stepTime([A, B], 3000, 1)).toBeNull();
    expect(spanOf([A, B])).toEqual({ startMs: 1000, endMs: 3000 });
    expect(spanOf([])).toBeNull();
  });

  it('draws_the_path_between_two_moments_from_plausible_fixes', () => {
    expect(pathBetween(A, ia, 1500, 3000)).toEqual([
      [1, 1],
      [3, 2],
    ]);
    expect(pathBetween(A, ia, -Infinity, Infinity)).toHaveLength(3);
  });

  it('charts_each_buckets_peak_and_leaves_gaps', () => {
    const rows = chartRows([A, B], 1000, 3000, 4);
    expect(rows.map((r) => r.t)).toEqual([1000, 1500, 2000, 2500, 3000]);
    // Silences of a second are drawn across; before its first fix and after its last a truck has none.
    expect(rows.map((r) => r['A'])).toEqual([10, 15, 20, 25, 30]);
    expect(rows.map((r) => r['B'])).toEqual([null, 50, 60, null, null]);
    // An hour's silence stays a gap.
    const silent = chartRows([track('S', [[0, 0, 0, 10, null], [3_600_000, 0, 0, 20, null], [3_700_000, 0, 0, 30, null]])], 0, 3_700_000, 37);
    expect(silent.slice(1, 36).every((r) => r['S'] === null)).toBe(true);
    expect(silent[36]!['S']).toBe(20);
    expect(silent[37]!['S']).toBe(30);
    const peak = chartRows([track('P', [[0, 0, 0, 10, null], [1, 0, 0, 95, null], [2, 0, 0, 10, null], [1000, 0, 0, 10, null]])], 0, 1000, 2);
    expect(peak[0]!['P']).toBe(95);
  });

  it('keeps_what_is_replayed_in_the_hash', () => {
    const p = { trucks: ['KBT-1', 'K,2'.replace(',', '')], fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 2, 6) };
    expect(parseReplayHash(replayHash(p))).toEqual(p);
    expect(replayHash({ trucks: [], fromMs: null, toMs: null })).toBe('#/replay');
    expect(parseReplayHash('#/replay?trucks=A,A,B&from=junk')).toEqual({ trucks: ['A', 'B'], fromMs: null, toMs: null });
  });
});
