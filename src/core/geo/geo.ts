// Great-circle geometry for trajectory plausibility. Pure arithmetic: the same inputs give the
// same floating-point result on every IEEE-754 platform, so flags derived from it are identical
// on every node.

const EARTH_RADIUS_M = 6_371_008.8;

function rad(deg: number): number {
  return (deg * Math.PI) / 180;
}

/** Haversine distance in metres between two (lat, lon) points in degrees. */
export function distanceMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Initial bearing in whole degrees 0..359 from point 1 to point 2. */
export function bearingDegrees(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const y = Math.sin(rad(lon2 - lon1)) * Math.cos(rad(lat2));
  const x = Math.cos(rad(lat1)) * Math.sin(rad(lat2)) - Math.sin(rad(lat1)) * Math.cos(rad(lat2)) * Math.cos(rad(lon2 - lon1));
  const deg = (Math.atan2(y, x) * 180) / Math.PI;
  return Math.round((deg + 360) % 360) % 360;
}

export function e6ToDegrees(e6: number): number {
  return e6 / 1e6;
}

export function degreesToE6(deg: number): number {
  return Math.round(deg * 1e6);
}

/**
 * Is (lat, lon) inside the polygon (a ring of [lat, lon] vertices, closed or not)? Ray casting
 * on the plane of degrees: right for the few-kilometre geofences of depots and sites, and the
 * same on every platform. A point on an edge may fall either side, the same on every node.
 */
export function insidePolygon(lat: number, lon: number, ring: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [yi, xi] = ring[i]!;
    const [yj, xj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
