// One truck's history for replay: its fixes over a window read from the fleet fold a page at a
// time (the event loop gets a turn between pages, so a month of history never freezes sync or
// intake), sampled down to what a console can draw, with its stops and trips found from every
// plausible fix of the window, not from the sample.
import { setImmediate as turn } from 'node:timers/promises';
import type { FleetProjection } from '../../core/projections/fleet';
import { TripDetector } from '../../core/trips/trip-detector';
import type { ReplayTrackDto } from '../../shared/api';
import { resolveTrucks } from '../export/track-export';

export interface ReplayQuery {
  readonly truck: string;
  readonly fromMs: number | null;
  readonly toMs: number | null;
  /** At most this many fixes go to the console (flagged ones always, on top). */
  readonly maxPoints: number;
}

export const REPLAY_PAGE = 2000;
export const REPLAY_DEFAULT_POINTS = 50_000;
export const REPLAY_MAX_POINTS = 200_000;

export async function readReplayTrack(fleet: FleetProjection, q: ReplayQuery): Promise<ReplayTrackDto> {
  // An unknown truck is named with the trucks this node holds.
  const [truck] = resolveTrucks(fleet, [q.truck]);
  const [from, to] = fleet.fixIndexRange(truck!, q.fromMs ?? undefined, q.toMs ?? undefined);
  const total = Math.max(0, to - from);
  const sampledEvery = Math.max(1, Math.ceil(total / Math.max(1, q.maxPoints)));
  const fixMs: number[] = [];
  const lat: number[] = [];
  const lon: number[] = [];
  const speedKmh: (number | null)[] = [];
  const headingDeg: (number | null)[] = [];
  const flag: (string | null)[] = [];
  const trips = new TripDetector();
  let flagged = 0;
  for (let i = from; i < to; i += REPLAY_PAGE) {
    const page = fleet.fixPage(truck!, i, Math.min(to, i + REPLAY_PAGE));
    for (let j = 0; j < page.length; j++) {
      const f = page[j]!;
      const index = i + j - from;
      const la = f.latE6 / 1e6;
      const lo = f.lonE6 / 1e6;
      if (f.flag === null) trips.add({ fixMs: f.fixMs, lat: la, lon: lo, speedKmh: f.speedKmh });
      else flagged++;
      if (f.flag === null && index % sampledEvery !== 0 && index !== total - 1) continue;
      fixMs.push(f.fixMs);
      lat.push(la);
      lon.push(lo);
      speedKmh.push(f.speedKmh);
      headingDeg.push(f.headingDeg);
      flag.push(f.flag);
    }
    await turn();
  }
  const s = trips.summary();
  return {
    truck: truck!,
    fromMs: q.fromMs ?? fixMs[0] ?? 0,
    toMs: q.toMs ?? fixMs[fixMs.length - 1] ?? 0,
    total,
    flagged,
    sampledEvery,
    fixes: { fixMs, lat, lon, speedKmh, headingDeg, flag },
    stops: s.stops,
    trips: s.trips,
    distanceM: s.distanceM,
    movingMs: s.movingMs,
    stoppedMs: s.stoppedMs,
    maxSpeedKmh: s.maxSpeedKmh,
  };
}
