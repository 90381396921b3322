// PROVES: stops and trips come out of a trajectory as a dispatcher counts them: a stand of 5 min
//         or more within 100 m is a stop (GPS noise and a silent gap included), a 2-minute halt
//         is not; trips run between stops with their driven distance and top speed, a stand's
//         noise adding neither; stands cut by the window's edges are marked open; the summary can
//         be read part way and the detector goes on.
// CATCHES: noise counted as distance or speed, a halt at a light taken for a stop, a stop lost
//          when the truck sends nothing while parked, and trips that overlap their stops.
import { describe, expect, it } from 'vitest';
import { distanceMeters } from '../../src/core/geo/geo';
import { summariseTrips, TripDetector, type TripFix } from '../../src/core/trips/trip-detector';

const T0 = Date.UTC(2026, 10, 1, 6, 0, 0);
const MIN = 60_000;
// About 111 m per 0.001 degree of latitude.
const DEG_PER_M = 1 / 111_195;

/** Fixes every `everyMs` from `fromMs` for `forMs` at (lat, lon) with noise of up to `noiseM`. */
function stand(fromMs: number, forMs: number, lat: number, lon: number, everyMs = 30_000, noiseM = 20): TripFix[] {
  const out: TripFix[] = [];
  for (let t = fromMs, i = 0; t <= fromMs + forMs; t += everyMs, i++) {
    const wobble = ((i * 7919) % 11) / 10 - 0.5; // -0.5 .. 0.5, deterministic
    out.push({ fixMs: t, lat: lat + wobble * 2 * noiseM * DEG_PER_M, lon, speedKmh: 0 });
  }
  return out;
}

/** A drive north at `kmh` from (lat, lon) starting at `fromMs` for `forMs`, a fix every `everyMs`. */
function drive(fromMs: number, forMs: number, lat: number, lon: number, kmh: number, everyMs = 30_000): TripFix[] {
  const out: TripFix[] = [];
  for (let t = fromMs + everyMs; t <= fromMs + forMs; t += everyMs) out.push({ fixMs: t, lat: lat + ((kmh / 3.6) * ((t - fromMs) / 1000)) * DEG_PER_M, lon, speedKmh: kmh });
  return out;
}

function endOf(fixes: readonly TripFix[]): TripFix {
  return fixes[fixes.length - 1]!;
}

describe('stops and trips', () => {
  // Stands 10 min at the depot, drives 15 min at 40 km/h, delivers for 20 min, drives 8 min at 60 km/h.
  const depot = stand(T0, 10 * MIN, -1.28, 36.82);
  const out = drive(endOf(depot).fixMs, 15 * MIN, endOf(depot).lat, 36.82, 40);
  const site = stand(endOf(out).fixMs + 30_000, 20 * MIN, endOf(out).lat, 36.82);
  const back = drive(endOf(site).fixMs, 8 * MIN, endOf(site).lat, 36.82, 60);
  const day = [...depot, ...out, ...site, ...back];

  it('finds_the_two_stands_as_stops_and_the_two_drives_as_trips', () => {
    const s = summariseTrips(day);
    expect(s.fixes).toBe(day.length);
    expect(s.stops.map((x) => [x.startMs, x.endMs, x.openStart, x.openEnd])).toEqual([
      [T0, endOf(depot).fixMs, true, false],
      [site[0]!.fixMs - 30_000, endOf(site).fixMs, false, false],
    ]);
    expect(s.trips).toHaveLength(2);
    const [first, second] = s.trips;
    // 40 km/h for 15 min is 10 km; 60 km/h for 8 min is 8 km. The depot's noise adds nothing.
    expect(first!.distanceM).toBeGreaterThan(9_950);
    expect(first!.distanceM).toBeLessThan(10_100);
    expect(second!.distanceM).toBeGreaterThan(7_950);
    expect(second!.distanceM).toBeLessThan(8_100);
    expect(first!.maxSpeedKmh).toBe(40);
    expect(second!.maxSpeedKmh).toBe(60);
    expect(s.maxSpeedKmh).toBe(60);
    // Trips and stops tile the day without overlapping.
    expect(first!.startMs).toBe(s.stops[0]!.endMs);
    expect(first!.endMs).toBe(s.stops[1]!.startMs);
    expect(second!.startMs).toBe(s.stops[1]!.endMs);
    expect(second!.endMs).toBe(endOf(back).fixMs);
    expect(s.movingMs + s.stoppedMs).toBe(endOf(back).fixMs - T0);
    expect(s.distanceM).toBeCloseTo(first!.distanceM + second!.distanceM, 6);
  });

  it('does_not_count_a_two_minute_halt_as_a_stop', () => {
    const a = drive(T0, 10 * MIN, -1.28, 36.82, 50);
    const halt = stand(endOf(a).fixMs + 30_000, 2 * MIN, endOf(a).lat, 36.82, 30_000, 5);
    const b = drive(endOf(halt).fixMs, 10 * MIN, endOf(halt).lat, 36.82, 50);
    const s = summariseTrips([...a, ...halt, ...b]);
    expect(s.stops).toEqual([]);
    expect(s.trips).toHaveLength(1);
    expect(s.trips[0]!.startMs).toBe(a[0]!.fixMs);
    expect(s.trips[0]!.endMs).toBe(endOf(b).fixMs);
  });

  it('counts_a_silent_parked_hour_as_a_stop', () => {
    const a = drive(T0, 10 * MIN, -1.28, 36.82, 50);
    const parkedAt = endOf(a);
    const later = { ...parkedAt, fixMs: parkedAt.fixMs + 60 * MIN, speedKmh: 0 };
    const b = drive(later.fixMs, 5 * MIN, later.lat, 36.82, 50);
    const s = summariseTrips([...a, later, ...b]);
    expect(s.stops.map((x) => [x.startMs, x.endMs])).toEqual([[parkedAt.fixMs, later.fixMs]]);
    expect(s.stoppedMs).toBe(60 * MIN);
  });

  it('marks_a_stand_that_the_window_cuts_as_open_and_still_counts_it', () => {
    const a = drive(T0, 10 * MIN, -1.28, 36.82, 50);
    const parked = stand(endOf(a).fixMs + 30_000, 30 * MIN, endOf(a).lat, 36.82);
    const s = summariseTrips([...a, ...parked]);
    expect(s.stops).toHaveLength(1);
    expect(s.stops[0]!.openEnd).toBe(true);
    expect(s.stops[0]!.openStart).toBe(false);
    expect(s.trips).toHaveLength(1);
    expect(s.trips[0]!.endMs).toBe(s.stops[0]!.startMs);
  });

  it('reads_part_way_and_goes_on_giving_the_same_result_as_one_pass', () => {
    const d = new TripDetector();
    const half = Math.floor(day.length / 2);
    for (const f of day.slice(0, half)) d.add(f);
    const part = d.summary();
    expect(part.fixes).toBe(half);
    for (const f of day.slice(half)) d.add(f);
    expect(d.summary()).toEqual(summariseTrips(day));
  });

  it('skips_repeats_and_fixes_out_of_order_and_noise_never_becomes_speed', () => {
    const noisy = stand(T0, 30 * MIN, -1.28, 36.82, 10_000, 45).map((f) => ({ ...f, speedKmh: null }));
    const s = summariseTrips([...noisy, noisy[3]!, { ...noisy[5]!, fixMs: T0 - 1 }]);
    expect(s.fixes).toBe(noisy.length);
    expect(s.trips).toEqual([]);
    expect(s.stops).toHaveLength(1);
    expect(s.maxSpeedKmh).toBe(0);
    // The noise was real movement of tens of metres per fix: large implied speeds, ignored.
    expect(distanceMeters(noisy[0]!.lat, 36.82, noisy[1]!.lat, 36.82)).toBeGreaterThan(5);
  });
});
