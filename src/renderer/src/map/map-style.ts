// The map's look: a glyph-free, sprite-free style (both would be network requests), the basemap
// and overlay layers, and the fleet layers. No text layers: there are no glyphs to draw them
// with, so names are icons drawn on a canvas (text-images.ts), as is the heading arrow.
import type { ExpressionSpecification, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import { STATUS_COLOR } from '../lib/truck-status';
import type { Theme } from '../theme/theme';
import type { Basemap } from './basemap';
import { PLACE_DOT_X, textImage } from './text-images';

export const SOURCE = {
  land: 'land',
  borders: 'borders',
  coast: 'coast',
  lakes: 'lakes',
  places: 'places',
  roads: 'roads',
  geofences: 'geofences',
  geofenceDraft: 'geofence-draft',
  trails: 'trails',
  flagged: 'flagged-fixes',
  trucks: 'trucks',
  highlight: 'highlighted-fix',
} as const;

export const LAYER = {
  water: 'water',
  land: 'land-fill',
  coast: 'coastline',
  borders: 'country-borders',
  lakes: 'lakes',
  lakeShores: 'lake-shores',
  roads: 'roads',
  geofenceFill: 'geofence-fill',
  geofenceLine: 'geofence-outline',
  geofenceDraftLine: 'geofence-draft-line',
  geofenceDraftPoints: 'geofence-draft-points',
  trails: 'truck-trails',
  flagged: 'flagged-fixes',
  halo: 'selected-truck-halo',
  pulse: 'truck-fix-pulse',
  trucks: 'truck-positions',
  heading: 'truck-heading',
  truckLabels: 'truck-labels',
  truckSpace: 'truck-label-space',
  selectedLabel: 'selected-truck-label',
  clusters: 'truck-clusters',
  clusterCounts: 'truck-cluster-counts',
  highlight: 'highlighted-fix',
  highlightCore: 'highlighted-fix-core',
} as const;

const COLOR = {
  geofence: '#c792ea',
  flagged: '#ff5a5f',
  highlight: '#4ea1ff',
} as const;

/** The colours that follow the console's theme: the bundled basemap, roads and the selection ring. */
const THEMED = {
  dark: { water: '#0b141c', land: '#17212b', coast: '#2b3d4f', borders: '#3a4b5e', roads: '#6d7c8c', halo: '#ffffff', haloFill: 'rgba(255,255,255,0.12)' },
  light: { water: '#b9d3e6', land: '#f4f1ea', coast: '#8fb0c8', borders: '#a898b4', roads: '#8a7a68', halo: '#0b1218', haloFill: 'rgba(11,18,24,0.10)' },
} as const satisfies Record<Theme, Record<string, string>>;

/** The starting style: open water only. Layers are added once MapLibre and the basemap are loaded. */
export function baseStyle(theme: Theme): StyleSpecification {
  return { version: 8, sources: {}, layers: [{ id: LAYER.water, type: 'background', paint: { 'background-color': THEMED[theme].water } }] };
}

/** Recolours a map built in another theme (the layers added so far; a user's tiles are left as drawn). */
export function applyMapTheme(map: MapLibreMap, theme: Theme): void {
  const c = THEMED[theme];
  const paint: [string, 'background-color' | 'fill-color' | 'line-color' | 'circle-color' | 'circle-stroke-color', string][] = [
    [LAYER.water, 'background-color', c.water],
    [LAYER.land, 'fill-color', c.land],
    [LAYER.lakes, 'fill-color', c.water],
    [LAYER.lakeShores, 'line-color', c.coast],
    [LAYER.coast, 'line-color', c.coast],
    [LAYER.borders, 'line-color', c.borders],
    [LAYER.roads, 'line-color', c.roads],
    [LAYER.halo, 'circle-stroke-color', c.halo],
    [LAYER.halo, 'circle-color', c.haloFill],
  ];
  for (const [layer, property, value] of paint) if (map.getLayer(layer)) map.setPaintProperty(layer, property, value);
}

/** Town names by rank (0 a national capital, 4 a town of 15,000): each rank from its own zoom. */
const PLACE_RANKS = [0, 1, 2, 3, 4] as const;
export const placeLayer = (rank: number): string => `place-names-${rank}`;
const PLACE_MIN_ZOOM = [2.5, 3.5, 4.5, 5.5, 6.5];

export function addBasemapLayers(map: MapLibreMap, basemap: Basemap, theme: Theme): void {
  map.addSource(SOURCE.land, { type: 'geojson', data: basemap.land, attribution: 'Basemap: Natural Earth; lakes © OpenStreetMap contributors; places: GeoNames (CC BY 4.0)' });
  map.addSource(SOURCE.borders, { type: 'geojson', data: basemap.borders });
  map.addSource(SOURCE.coast, { type: 'geojson', data: basemap.coast });
  map.addSource(SOURCE.lakes, { type: 'geojson', data: basemap.lakes });
  map.addSource(SOURCE.places, { type: 'geojson', data: basemap.places });
  map.addLayer({ id: LAYER.land, type: 'fill', source: SOURCE.land, paint: { 'fill-color': THEMED[theme].land } });
  map.addLayer({ id: LAYER.lakes, type: 'fill', source: SOURCE.lakes, paint: { 'fill-color': THEMED[theme].water } });
  map.addLayer({ id: LAYER.lakeShores, type: 'line', source: SOURCE.lakes, paint: { 'line-color': THEMED[theme].coast, 'line-width': 0.8 } });
  map.addLayer({ id: LAYER.coast, type: 'line', source: SOURCE.coast, paint: { 'line-color': THEMED[theme].coast, 'line-width': 0.8 } });
  map.addLayer({
    id: LAYER.borders,
    type: 'line',
    source: SOURCE.borders,
    paint: { 'line-color': THEMED[theme].borders, 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.6, 8, 1.4], 'line-dasharray': [3, 2] },
  });
  // Smallest first: MapLibre places the top layer's names first, so where two would collide the
  // bigger place keeps its name; within a rank the more populous one does (the file's order).
  for (const rank of [...PLACE_RANKS].reverse()) {
    map.addLayer({
      id: placeLayer(rank),
      type: 'symbol',
      source: SOURCE.places,
      minzoom: PLACE_MIN_ZOOM[rank]!,
      filter: ['==', ['get', 'rank'], rank],
      layout: { 'icon-image': textImage(`place-${rank}`, ['get', 'name']), 'icon-anchor': 'left', 'icon-offset': [-PLACE_DOT_X, 0], 'icon-padding': 3 },
    });
  }
}

/** Every layer of the bundled basemap (hidden while a user's map file is the basemap). */
export const BUNDLED_BASEMAP_LAYERS: readonly string[] = [LAYER.land, LAYER.lakes, LAYER.lakeShores, LAYER.coast, LAYER.borders, ...PLACE_RANKS.map(placeLayer)];

/** A fix 2 to 10 min old is drawn fainter, an older one fainter still. */
const AGE_OPACITY: ExpressionSpecification = ['match', ['get', 'freshness'], 'fresh', 1, 'aging', 0.7, 0.55];

const zoomWidth = (low: number, high: number): ExpressionSpecification => ['interpolate', ['linear'], ['zoom'], 4, low, 12, high];

export function addFleetLayers(map: MapLibreMap, theme: Theme): void {
  for (const id of [SOURCE.roads, SOURCE.geofences, SOURCE.geofenceDraft, SOURCE.flagged, SOURCE.highlight]) map.addSource(id, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  // Trails and positions are updated by truck (source-diff.ts): the truck is the feature's id.
  for (const id of [SOURCE.trails, SOURCE.trucks]) map.addSource(id, { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'truck' });
  // A truck, not a cluster of them (truck-clusters.ts turns clustering on for a big fleet).
  const single: ExpressionSpecification = ['!', ['has', 'point_count']];
  map.addLayer({
    id: LAYER.roads,
    type: 'line',
    source: SOURCE.roads,
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': THEMED[theme].roads, 'line-width': zoomWidth(0.8, 2.5), 'line-opacity': 0.55 },
  });
  // Geofences: a faint fill and a dashed outline, under the trails and trucks.
  map.addLayer({ id: LAYER.geofenceFill, type: 'fill', source: SOURCE.geofences, paint: { 'fill-color': COLOR.geofence, 'fill-opacity': 0.08 } });
  map.addLayer({ id: LAYER.geofenceLine, type: 'line', source: SOURCE.geofences, paint: { 'line-color': COLOR.geofence, 'line-width': 1.5, 'line-dasharray': [2, 1.5] } });
  // A geofence being drawn: its outline so far and its corners.
  map.addLayer({ id: LAYER.geofenceDraftLine, type: 'line', source: SOURCE.geofenceDraft, paint: { 'line-color': COLOR.geofence, 'line-width': 2 } });
  map.addLayer({ id: LAYER.geofenceDraftPoints, type: 'circle', source: SOURCE.geofenceDraft, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 6, 'circle-color': COLOR.geofence, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } });
  map.addLayer({
    id: LAYER.trails,
    type: 'line',
    source: SOURCE.trails,
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': ['get', 'color'], 'line-width': zoomWidth(1.6, 4), 'line-opacity': 0.8 },
  });
  map.addLayer({
    id: LAYER.flagged,
    type: 'circle',
    source: SOURCE.flagged,
    paint: {
      'circle-radius': zoomWidth(3.5, 6),
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': COLOR.flagged,
      'circle-stroke-width': 1.6,
    },
  });
  map.addLayer({
    id: LAYER.halo,
    type: 'circle',
    source: SOURCE.trucks,
    filter: ['==', ['get', 'truck'], ''],
    paint: { 'circle-radius': 14, 'circle-color': THEMED[theme].haloFill, 'circle-stroke-color': THEMED[theme].halo, 'circle-stroke-width': 2 },
  });
  // The ring a new fix sends out (use-truck-motion.ts sets `pulse` from 0 to 1; none drawn without it).
  const pulse: ExpressionSpecification = ['coalesce', ['feature-state', 'pulse'], 1];
  map.addLayer({
    id: LAYER.pulse,
    type: 'circle',
    source: SOURCE.trucks,
    filter: single,
    paint: {
      'circle-radius': ['interpolate', ['linear'], pulse, 0, 7, 1, 24],
      'circle-color': 'rgba(0,0,0,0)',
      'circle-stroke-color': ['get', 'color'],
      'circle-stroke-width': 2,
      'circle-stroke-opacity': ['*', 0.9, ['-', 1, pulse]],
    },
  });
  map.addLayer({
    id: LAYER.trucks,
    type: 'circle',
    source: SOURCE.trucks,
    filter: single,
    paint: {
      'circle-radius': zoomWidth(5.5, 8),
      // What it is doing (truck-status.ts); a fix 2 to 10 min old is drawn fainter, a quiet one grey.
      'circle-color': ['match', ['get', 'status'], 'alerting', STATUS_COLOR.alerting, 'moving', STATUS_COLOR.moving, 'stopped', STATUS_COLOR.stopped, STATUS_COLOR.quiet],
      'circle-opacity': AGE_OPACITY,
      'circle-stroke-color': ['get', 'color'],
      'circle-stroke-width': 2.5,
    },
  });
  // Which way each moving truck heads: an arrowhead just ahead of its dot, turned with the map.
  addArrowImage(map);
  map.addLayer({
    id: LAYER.heading,
    type: 'symbol',
    source: SOURCE.trucks,
    filter: ['all', single, ['==', ['get', 'moving'], true]],
    layout: {
      'icon-image': ARROW_IMAGE,
      'icon-rotate': ['get', 'heading'],
      'icon-rotation-alignment': 'map',
      'icon-offset': [0, -15],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
    },
    paint: { 'icon-opacity': ['match', ['get', 'freshness'], 'stale', 0.45, 1] },
  });
  // Truck names: above the place names, so a truck's name wins where the two would collide; among
  // trucks alerting first, then moving, stopped, quiet (labelPriority).
  const label = { 'icon-anchor': 'left' as const, 'icon-offset': [11, 0] as [number, number], 'icon-padding': 1 };
  map.addLayer({ id: LAYER.truckLabels, type: 'symbol', source: SOURCE.trucks, filter: unselectedSingle(''), layout: { ...label, 'icon-image': labelImage(), 'symbol-sort-key': labelPriority } });
  // An empty square on every truck, placed before the names (it is above them): no name is drawn
  // across another truck's dot.
  addBlankImage(map);
  map.addLayer({
    id: LAYER.truckSpace,
    type: 'symbol',
    source: SOURCE.trucks,
    filter: single,
    layout: { 'icon-image': BLANK_IMAGE, 'icon-allow-overlap': true, 'icon-ignore-placement': false },
  });
  // The selected truck's name, always drawn (and placed first, so others make way for it).
  map.addLayer({ id: LAYER.selectedLabel, type: 'symbol', source: SOURCE.trucks, filter: ['all', single, selectedIs('')], layout: { ...label, 'icon-image': textImage('truck-selected', ['get', 'truck']), 'icon-allow-overlap': true } });
  // The fix under the pointer in the speed chart: last, so it rings whatever it lands on.
  map.addLayer({
    id: LAYER.highlight,
    type: 'circle',
    source: SOURCE.highlight,
    paint: { 'circle-radius': 11, 'circle-color': 'rgba(78,161,255,0.22)', 'circle-stroke-color': COLOR.highlight, 'circle-stroke-width': 2.5 },
  });
  map.addLayer({
    id: LAYER.highlightCore,
    type: 'circle',
    source: SOURCE.highlight,
    paint: { 'circle-radius': 3, 'circle-color': '#ffffff' },
  });
}

const ARROW_IMAGE = 'heading-arrow';
const BLANK_IMAGE = 'truck-space';

/** A clear square the size of a truck's dot. */
function addBlankImage(map: MapLibreMap): void {
  if (!map.hasImage(BLANK_IMAGE)) map.addImage(BLANK_IMAGE, { width: 14, height: 14, data: new Uint8Array(14 * 14 * 4) });
}

/** The arrowhead, drawn on a canvas here: a sprite would be a network request. */
function addArrowImage(map: MapLibreMap): void {
  if (map.hasImage(ARROW_IMAGE)) return;
  const size = 24;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.beginPath();
  ctx.moveTo(size / 2, 3);
  ctx.lineTo(size - 5, size - 5);
  ctx.lineTo(size / 2, size - 9);
  ctx.lineTo(5, size - 5);
  ctx.closePath();
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = '#0b141c';
  ctx.lineWidth = 2;
  ctx.stroke();
  ctx.fill();
  map.addImage(ARROW_IMAGE, ctx.getImageData(0, 0, size, size), { pixelRatio: 1.6 });
}

const selectedIs = (truck: string): ExpressionSpecification => ['==', ['get', 'truck'], truck];

const unselectedSingle = (truck: string): ExpressionSpecification => ['all', ['!', ['has', 'point_count']], ['!', selectedIs(truck)]];

/** A truck's name plate, dimmer as its fix ages. */
function labelImage(): ExpressionSpecification {
  return textImage(['match', ['get', 'freshness'], 'fresh', 'truck-fresh', 'aging', 'truck-aging', 'truck-stale'], ['get', 'truck']);
}

/** Which name is kept where two collide: lower first. */
const labelPriority: ExpressionSpecification = ['match', ['get', 'status'], 'alerting', 1, 'moving', 2, 'stopped', 3, 4];

/** Brings the selected truck's trail forward and dims the rest; shows its halo and always its name. */
export function applySelection(map: MapLibreMap, truck: string | null): void {
  const isSelected = selectedIs(truck ?? '');
  map.setFilter(LAYER.truckLabels, unselectedSingle(truck ?? ''));
  map.setFilter(LAYER.selectedLabel, ['all', ['!', ['has', 'point_count']], isSelected]);
  map.setFilter(LAYER.halo, isSelected);
  map.setPaintProperty(LAYER.trails, 'line-opacity', truck ? ['case', isSelected, 1, 0.3] : 0.8);
  map.setPaintProperty(LAYER.trails, 'line-width', truck ? ['case', isSelected, 4, 1.6] : zoomWidth(1.6, 4));
  map.setPaintProperty(LAYER.trucks, 'circle-opacity', truck ? ['case', isSelected, 1, ['*', AGE_OPACITY, 0.75]] : AGE_OPACITY);
}
