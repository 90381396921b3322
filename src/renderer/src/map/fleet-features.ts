// Turns the held fleet into the GeoJSON the map layers draw. Pure: same tracks in, same features
// out. Flagged (implausible) fixes are drawn on their own and never join a trail line,
// so one bad GPS reading does not drag a spike across the map.
import type { Feature, FeatureCollection, LineString, Point, Polygon } from 'geojson';
import type { FixDto, GeofenceDto, MapOverlaysDto } from '../../../shared/api';
import { freshnessOf } from '../lib/freshness';
import { fixKey, type TruckTrack } from '../store/trail-merge';
import type { KeyedFeature } from './source-diff';
import { MOVING_KMH, truckStatus } from '../lib/truck-status';

export type LonLat = [number, number];

const lonLat = (fix: FixDto): LonLat => [fix.lon, fix.lat];

/**
 * Each truck's trail of plausible fixes taken since `sinceMs` (all held ones for -Infinity), keyed
 * by truck; a flagged fix never joins a line.
 */
export function* keyedTrails(tracks: readonly TruckTrack[], colors: ReadonlyMap<string, string>, sinceMs = Number.NEGATIVE_INFINITY): Generator<KeyedFeature> {
  for (const track of tracks) {
    const truck = track.summary.truck;
    const color = colors.get(truck) ?? '#ffffff';
    const coordinates = track.trail.filter((fix) => fix.flag === null && fix.fixMs >= sinceMs).map(lonLat);
    if (coordinates.length < 2) continue;
    // The trail array is replaced whenever a fix joins it or is judged again.
    yield { id: truck, signature: [track.trail, color, sinceMs], make: () => ({ type: 'Feature', properties: { truck, color }, geometry: { type: 'LineString', coordinates } }) };
  }
}

export function flaggedFeatures(tracks: readonly TruckTrack[]): FeatureCollection<Point> {
  const features: Feature<Point>[] = [];
  for (const track of tracks) {
    for (const fix of track.trail) {
      if (fix.flag === null) continue;
      features.push({
        type: 'Feature',
        properties: { truck: track.summary.truck, key: fixKey(fix), flag: fix.flag },
        geometry: { type: 'Point', coordinates: lonLat(fix) },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

/** Current positions, coloured by status (truck-status.ts) and faded by age on the node's clock, keyed by truck. */
export function* keyedPositions(tracks: readonly TruckTrack[], colors: ReadonlyMap<string, string>, nodeNowMs: number, openAlerts: ReadonlyMap<string, number> = new Map()): Generator<KeyedFeature> {
  for (const track of tracks) {
    const current = track.summary.current;
    if (!current) continue;
    const truck = track.summary.truck;
    const color = colors.get(truck) ?? '#ffffff';
    const freshness = freshnessOf(current.fixMs, nodeNowMs);
    const status = truckStatus(current, nodeNowMs, openAlerts.get(truck) ?? 0);
    yield {
      id: truck,
      signature: [current, color, freshness, status],
      make: () => ({
        type: 'Feature',
        properties: {
          truck,
          color,
          freshness,
          status,
          // An arrow shows which way a moving truck heads (a parked one's heading means nothing).
          heading: current.headingDeg ?? -1,
          moving: current.headingDeg !== null && (current.speedKmh ?? 0) >= MOVING_KMH,
        },
        geometry: { type: 'Point', coordinates: lonLat(current) },
      }),
    };
  }
}

/** The one fix picked out from the speed chart, or nothing. */
export function highlightFeatures(fix: FixDto | null): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: fix ? [{ type: 'Feature', properties: { flagged: fix.flag !== null }, geometry: { type: 'Point', coordinates: lonLat(fix) } }] : [],
  };
}

export function roadFeatures(overlays: MapOverlaysDto): FeatureCollection<LineString> {
  return {
    type: 'FeatureCollection',
    features: overlays.routes.map((route) => ({
      type: 'Feature',
      properties: { name: route.name },
      geometry: { type: 'LineString', coordinates: route.coordinates.map(([lon, lat]) => [lon, lat]) },
    })),
  };
}

/** Geofences as closed polygons (their rings are [lat, lon]; GeoJSON wants [lon, lat]). */
export function geofenceFeatures(geofences: readonly GeofenceDto[]): FeatureCollection<Polygon> {
  return {
    type: 'FeatureCollection',
    features: geofences.map((g) => {
      const ring = g.ring.map(([lat, lon]) => [lon, lat]);
      return { type: 'Feature', properties: { id: g.id, name: g.name }, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] } };
    }),
  };
}

/** [[west, south], [east, north]] around the points, or null for none. */
export function boundsOf(points: readonly LonLat[]): [LonLat, LonLat] | null {
  if (points.length === 0) return null;
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const [lon, lat] of points) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return [
    [west, south],
    [east, north],
  ];
}

export function currentPositions(tracks: readonly TruckTrack[]): LonLat[] {
  return tracks.flatMap((t) => (t.summary.current ? [lonLat(t.summary.current)] : []));
}
