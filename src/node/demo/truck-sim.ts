// Simulated trucks driving demo routes back and forth at plausible speeds. Pure arithmetic on
// (route, time): a truck's position is a function of the clock, so a restarted demo carries on
// where the trucks would be.
import { bearingDegrees, degreesToE6, distanceMeters } from '../../core/geo/geo';
import type { DemoRoute } from './routes';

export interface SimTruck {
  readonly id: string;
  readonly route: DemoRoute;
  /** Metres along the out-and-back loop at t = 0. */
  readonly offsetM: number;
  readonly baseKmh: number;
}

export interface SimFix {
  readonly truck: string;
  readonly fix_ms: number;
  readonly lat_e6: number;
  readonly lon_e6: number;
  readonly speed_kmh: number;
  readonly heading_deg: number;
}

function legLengths(route: DemoRoute): number[] {
  const out: number[] = [];
  for (let i = 1; i < route.points.length; i++) {
    const [a, b] = [route.points[i - 1]!, route.points[i]!];
    out.push(distanceMeters(a[0], a[1], b[0], b[1]));
  }
  return out;
}

/** Speed varies smoothly (hills, villages) between 0.8x and 1.2x the base, over ~an hour. */
const SPEED_PERIOD_MS = 600_000;
const SPEED_SWING = 0.2;

/** Where along the route (metres from its start) a truck is at `tMs`, and which way it drives. */
function progress(truck: SimTruck, tMs: number, total: number): { along: number; outbound: boolean; kmh: number } {
  const phase = truck.offsetM;
  const kmh = truck.baseKmh * (1 + SPEED_SWING * Math.sin(tMs / SPEED_PERIOD_MS + phase));
  // Distance is the integral of that speed, so the reported speed agrees with the movement a
  // dispatcher sees (the console charts both).
  const seconds = tMs / 1000;
  const swing = SPEED_SWING * (SPEED_PERIOD_MS / 1000) * (Math.cos(phase) - Math.cos(tMs / SPEED_PERIOD_MS + phase));
  const distance = truck.offsetM + (truck.baseKmh / 3.6) * (seconds + swing);
  const loop = distance % (2 * total);
  return loop < total ? { along: loop, outbound: true, kmh } : { along: 2 * total - loop, outbound: false, kmh };
}

export function simulateFix(truck: SimTruck, tMs: number): SimFix {
  const legs = legLengths(truck.route);
  const total = legs.reduce((a, b) => a + b, 0);
  const { along, outbound, kmh } = progress(truck, tMs, total);
  let rest = along;
  let i = 0;
  while (i < legs.length - 1 && rest > legs[i]!) rest -= legs[i++]!;
  const [a, b] = [truck.route.points[i]!, truck.route.points[i + 1]!];
  const f = legs[i]! > 0 ? Math.min(1, rest / legs[i]!) : 0;
  const lat = a[0] + (b[0] - a[0]) * f;
  const lon = a[1] + (b[1] - a[1]) * f;
  const heading = outbound ? bearingDegrees(a[0], a[1], b[0], b[1]) : bearingDegrees(b[0], b[1], a[0], a[1]);
  return { truck: truck.id, fix_ms: tMs, lat_e6: degreesToE6(lat), lon_e6: degreesToE6(lon), speed_kmh: Math.round(kmh), heading_deg: heading };
}
