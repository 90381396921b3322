// PROVES: replay reads a truck's history over a window as the fleet view has it: in event-time
//         order (also when fixes arrived out of order), across page boundaries, sampled to every
//         k-th fix under a cap with every flagged fix and the last fix kept; its stops and trips
//         are those of every plausible fix of the window (not of the sample, not of flagged
//         fixes); the console API refuses a bad window, an unknown truck (naming the trucks
//         here) and a bad cap in words.
// CATCHES: a sample that drops the flagged fix an auditor needs, stops worked out from the sample
//          (a short stop vanishes), a 300 km outlier becoming a trip, and a page seam that loses
//          or repeats fixes.
import { describe, expect, it } from 'vitest';
import { applyAll, createProjections } from '../../src/core/projections/set';
import { summariseTrips } from '../../src/core/trips/trip-detector';
import { createReplayHandlers } from '../../src/node/api/replay-handlers';
import type { NodeApi } from '../../src/node/api/node-api';
import { MandalaError } from '../../src/node/errors';
import { readReplayTrack, REPLAY_PAGE } from '../../src/node/replay/replay-track';
import { FeedBuilder } from '../support/feeds';

interface ViewFix {
  fix_ms: number;
  lat: number;
  lon: number;
  speed_kmh?: number;
  flag?: string;
}

const N = 5_000; // two and a half pages
const T0 = 1_780_000_000_000;
const MIN = 60_000;

/** A fix a minute: drives north, stands still for 8 min at every 500th, one fix 300 km off. */
function fleetWithHistory() {
  const kit = new FeedBuilder('kit-replay');
  const order = Array.from({ length: N }, (_, i) => i);
  for (let i = 0; i < order.length; i += 5) order.splice(i, 5, ...order.slice(i, i + 5).reverse());
  const standing = (i: number) => i % 500 >= 492; // 8 fixes standing before each 500th
  const positions: number[] = [];
  let lat = -1_000_000;
  for (let i = 0; i < N; i++) {
    if (!standing(i)) lat += 900; // 100 m a minute: 6 km/h
    positions.push(lat);
  }
  for (const i of order) {
    const far = i === 1234;
    kit.add('truck.position', { truck: 'T-1', fix_ms: T0 + i * MIN, lat_e6: far ? -4_000_000 : positions[i]!, lon_e6: 36_000_000, speed_kmh: standing(i) ? 0 : 6 }, { wall: T0 + N * MIN + i, counter: 0 });
  }
  kit.add('truck.position', { truck: 'T-2', fix_ms: T0, lat_e6: 0, lon_e6: 37_000_000 }, { wall: T0 + 1, counter: 0 });
  const set = createProjections();
  applyAll(set, kit.events);
  return { fleet: set.fleet, view: (set.fleet.view() as unknown as { trucks: Record<string, { fixes: ViewFix[] }> }).trucks };
}

const { fleet, view } = fleetWithHistory();
const fixes = view['T-1']!.fixes;

describe('replay reads a truck over a window', () => {
  it('gives_every_fix_in_event_time_order_with_its_flag_under_the_cap', async () => {
    expect(N).toBeGreaterThan(2 * REPLAY_PAGE);
    const r = await readReplayTrack(fleet, { truck: 'T-1', fromMs: null, toMs: null, maxPoints: 100_000 });
    expect(r.total).toBe(N);
    expect(r.sampledEvery).toBe(1);
    expect(r.fixes.fixMs).toEqual(fixes.map((f) => f.fix_ms));
    expect(r.fixes.lat).toEqual(fixes.map((f) => f.lat));
    expect(r.fixes.flag).toEqual(fixes.map((f) => f.flag ?? null));
    expect(r.flagged).toBe(1);
    expect([r.fromMs, r.toMs]).toEqual([T0, T0 + (N - 1) * MIN]);
  });

  it('samples_every_kth_fix_keeping_each_flagged_fix_and_the_last', async () => {
    const r = await readReplayTrack(fleet, { truck: 'T-1', fromMs: null, toMs: null, maxPoints: 100 });
    expect(r.sampledEvery).toBe(50);
    const expected = fixes.filter((f, i) => i % 50 === 0 || f.flag !== undefined || i === N - 1).map((f) => f.fix_ms);
    expect(r.fixes.fixMs).toEqual(expected);
    expect(r.fixes.flag.filter((f) => f !== null)).toEqual(['implied_speed_over_limit']);
  });

  it('finds_stops_and_trips_from_every_plausible_fix_not_the_sample', async () => {
    const r = await readReplayTrack(fleet, { truck: 'T-1', fromMs: null, toMs: null, maxPoints: 100 });
    const plain = summariseTrips(fixes.filter((f) => f.flag === undefined).map((f) => ({ fixMs: f.fix_ms, lat: f.lat, lon: f.lon, speedKmh: f.speed_kmh ?? null })));
    expect(r.stops).toEqual(plain.stops);
    expect(r.trips).toEqual(plain.trips);
    // Ten stands of 8 min (7 min between their first and last fix), each a stop; the outlier is no trip.
    expect(r.stops).toHaveLength(10);
    expect(r.stops.every((s) => s.endMs - s.startMs >= 7 * MIN)).toBe(true);
    expect(r.maxSpeedKmh).toBe(6);
    // 100 m a minute for the minutes moving.
    expect(r.distanceM).toBeGreaterThan(0.99 * 100 * (N - 1 - 10 * 8));
    expect(r.distanceM).toBeLessThan(1.01 * 100 * (N - 1));
  });

  it('reads_only_the_window', async () => {
    const from = T0 + 1000 * MIN;
    const to = T0 + 1999 * MIN;
    const r = await readReplayTrack(fleet, { truck: 'T-1', fromMs: from, toMs: to, maxPoints: 100_000 });
    expect(r.total).toBe(1000);
    expect(r.fixes.fixMs[0]).toBe(from);
    expect(r.fixes.fixMs[999]).toBe(to);
    expect([r.fromMs, r.toMs]).toEqual([from, to]);
  });

  it('the_api_refuses_bad_asks_in_words', async () => {
    const fail = (code: string, message: string): never => {
      throw new MandalaError(code, message);
    };
    const h = createReplayHandlers({ projections: { fleet } } as unknown as NodeApi, fail)['replay.track'];
    await expect(h({ truck: 'NOPE' })).rejects.toThrow(/no truck "NOPE" on this node; the trucks here are T-1, T-2/);
    await expect(h({ truck: 'T-1', fromMs: 10, toMs: 5 })).rejects.toThrow(/end of the replay window is before its start/);
    await expect(h({ truck: 'T-1', maxPoints: 1 })).rejects.toThrow(/maxPoints must be a whole number/);
    await expect(h({ truck: '' })).rejects.toThrow(/truck must be a truck id/);
    expect((await h({ truck: 'T-2' })).total).toBe(1);
  });
});
