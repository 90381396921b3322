// Great-circle distance and the speed it implies between two fixes. The node judges plausibility
// with its own copy of this arithmetic; the console only needs it to show dispatchers how fast a
// truck actually moved, next to the speed its GPS reported.

/** Mean Earth radius (IUGG), the same figure the node uses, so both sides agree on distances. */
const EARTH_RADIUS_M = 6_371_008.8;

/** Below this gap, GPS jitter dominates and distance/time is noise rather than a speed. */
const MIN_INTERVAL_MS = 1000;

const rad = (deg: number): number => (deg * Math.PI) / 180;

export interface GeoPoint {
  readonly lat: number;
  readonly lon: number;
}

/** Haversine distance in metres between two points in degrees. */
export function haversineMeters(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Average speed in km/h needed to get from one timed point to the next; null when the gap is too short to say. */
export function impliedSpeedKmh(from: GeoPoint & { readonly fixMs: number }, to: GeoPoint & { readonly fixMs: number }): number | null {
  const ms = to.fixMs - from.fixMs;
  if (ms < MIN_INTERVAL_MS) return null;
  return (haversineMeters(from, to) / ms) * 3600;
}
