// The replay's map layers, over the same basemap as the live map: each truck's path over the
// window (faint), the part it drove in the last while before the replay's moment (bright), its
// stops as rings sized by how long it stood, where each truck is at the moment, and a ring where
// the chart's pointer is.
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { ReplayStopDto } from '../../../shared/api';
import type { ReplayPosition } from '../views/replay/replay-math';

export const REPLAY_SOURCE = { path: 'replay-path', tail: 'replay-tail', stops: 'replay-stops', cursors: 'replay-cursors', hover: 'replay-hover' } as const;
export const REPLAY_LAYER = { path: 'replay-path', tail: 'replay-tail', stops: 'replay-stops', cursors: 'replay-cursors', hover: 'replay-hover' } as const;

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export function addReplayLayers(map: MapLibreMap): void {
  for (const id of Object.values(REPLAY_SOURCE)) if (!map.getSource(id)) map.addSource(id, { type: 'geojson', data: EMPTY });
  map.addLayer({ id: REPLAY_LAYER.path, type: 'line', source: REPLAY_SOURCE.path, layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': ['get', 'color'], 'line-width': 2, 'line-opacity': 0.35 } });
  map.addLayer({ id: REPLAY_LAYER.tail, type: 'line', source: REPLAY_SOURCE.tail, layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': ['get', 'color'], 'line-width': 4, 'line-opacity': 0.95 } });
  map.addLayer({
    id: REPLAY_LAYER.stops,
    type: 'circle',
    source: REPLAY_SOURCE.stops,
    paint: {
      // 6 px for a short stop up to 16 px for a stand of 4 hours or more.
      'circle-radius': ['interpolate', ['linear'], ['get', 'minutes'], 5, 6, 240, 16],
      'circle-color': 'rgba(242,181,61,0.18)',
      'circle-stroke-color': ['get', 'color'],
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({ id: REPLAY_LAYER.cursors, type: 'circle', source: REPLAY_SOURCE.cursors, paint: { 'circle-radius': 8, 'circle-color': '#ffffff', 'circle-stroke-color': ['get', 'color'], 'circle-stroke-width': 4 } });
  map.addLayer({
    id: REPLAY_LAYER.hover,
    type: 'circle',
    source: REPLAY_SOURCE.hover,
    paint: { 'circle-radius': 11, 'circle-color': 'rgba(78,161,255,0.22)', 'circle-stroke-color': '#4ea1ff', 'circle-stroke-width': 2.5 },
  });
}

export function setReplayData(map: MapLibreMap, source: (typeof REPLAY_SOURCE)[keyof typeof REPLAY_SOURCE], data: FeatureCollection): void {
  void map.getSource<GeoJSONSource>(source)?.setData(data);
}

export function pathFeatures(paths: readonly { truck: string; color: string; coordinates: readonly [number, number][] }[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: paths.filter((p) => p.coordinates.length >= 2).map((p) => ({ type: 'Feature', properties: { truck: p.truck, color: p.color }, geometry: { type: 'LineString', coordinates: p.coordinates.map(([x, y]) => [x, y]) } })),
  };
}

export function stopFeatures(stops: readonly { truck: string; color: string; stop: ReplayStopDto; index: number }[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: stops.map(({ truck, color, stop, index }) => ({
      type: 'Feature',
      properties: { truck, color, index, minutes: (stop.endMs - stop.startMs) / 60_000, startMs: stop.startMs, endMs: stop.endMs, openStart: stop.openStart, openEnd: stop.openEnd },
      geometry: { type: 'Point', coordinates: [stop.lon, stop.lat] },
    })),
  };
}

export function cursorFeatures(positions: readonly (ReplayPosition & { color: string })[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: positions.map((p) => ({ type: 'Feature', properties: { truck: p.truck, color: p.color }, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } })),
  };
}
