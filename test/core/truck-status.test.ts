// PROVES: the map's truck status: an open alert wins, then a fix 10 min old or none is quiet,
//         then 3 km/h or more is moving, else stopped; trails over a window keep only plausible
//         fixes taken since its start, and a trail left with fewer than two points is not drawn.
// CATCHES: a speeding truck drawn calm because it also moves, a parked truck drawn as moving, a
//          trail window that lets a flagged fix or an old fix back into the line.
import { describe, expect, it } from 'vitest';
import type { FixDto } from '../../src/shared/api';
import { truckStatus } from '../../src/renderer/src/lib/truck-status';
import { keyedTrails } from '../../src/renderer/src/map/fleet-features';
import type { TruckTrack } from '../../src/renderer/src/store/trail-merge';

const NOW = 1_800_000_000_000;
const fix = (ageMs: number, speedKmh: number | null, seq = 1, flag: string | null = null): FixDto => ({ fixMs: NOW - ageMs, lat: -1, lon: 36 + seq / 1000, speedKmh, headingDeg: 90, flag, historical: false, author: 'a'.repeat(64), seq });

describe('truck status on the map', () => {
  it('alert_then_quiet_then_moving_or_stopped', () => {
    expect(truckStatus(fix(60_000, 90), NOW, 1)).toBe('alerting');
    expect(truckStatus(fix(20 * 60_000, 0), NOW, 2), 'an alert wins over quiet').toBe('alerting');
    expect(truckStatus(fix(10 * 60_000, 50), NOW, 0)).toBe('quiet');
    expect(truckStatus(null, NOW, 0)).toBe('quiet');
    expect(truckStatus(fix(9 * 60_000, 3), NOW, 0)).toBe('moving');
    expect(truckStatus(fix(30_000, 2.9), NOW, 0)).toBe('stopped');
    expect(truckStatus(fix(30_000, null), NOW, 0)).toBe('stopped');
  });

  it('trails_over_a_window_keep_plausible_fixes_since_its_start', () => {
    const trail = [fix(50 * 60_000, 40, 1), fix(20 * 60_000, 40, 2), fix(10 * 60_000, 40, 3, 'jump'), fix(5 * 60_000, 40, 4), fix(60_000, 40, 5)];
    const track = { summary: { truck: 'T-1' }, trail } as unknown as TruckTrack;
    const points = (sinceMs?: number) => [...keyedTrails([track], new Map(), sinceMs)].map((f) => (f.make().geometry as { coordinates: number[][] }).coordinates.length);
    expect(points()).toEqual([4]);
    expect(points(NOW - 30 * 60_000)).toEqual([3]);
    expect(points(NOW - 15 * 60_000), 'the flagged fix never joins').toEqual([2]);
    expect(points(NOW - 2 * 60_000), 'one point is no line').toEqual([]);
  });
});
