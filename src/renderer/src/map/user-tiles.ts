// The user's own map files (PMTiles, MBTiles) as MapLibre sources and layers. A raster file is
// drawn as it is, at full opacity; a vector file, which comes without a style, gets a plain one
// built from its vector_layers (fills, lines and points in quiet colours, as tile inspectors do).
// Either way it sits where the bundled basemap does: under roads, geofences, trails and trucks.
import type { LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { MandalaBridge, TileLayerDto } from '../../../shared/api';
import { tokenQuery } from '../api/connect';
import { BUNDLED_BASEMAP_LAYERS, LAYER } from './map-style';

export const BUNDLED_BASEMAP = 'bundled';

const FILLS = ['#1d2b36', '#22303b', '#1a2a24', '#2a2a33', '#24302a', '#2b2724'];
const LINES = ['#4a6072', '#5b6f5d', '#6a5f7a', '#7a6a55', '#557a78', '#6d7c8c'];

function sourceId(layer: TileLayerDto): string {
  return `user-tiles-${layer.id}`;
}

/** Where the node serves a layer's tiles: the Electron app's protocol, or this page's origin (with its access token). */
export function tileUrl(bridge: MandalaBridge, layer: TileLayerDto): string {
  if (bridge.transport === 'ipc') return `mandala-tiles://${layer.id}/{z}/{x}/{y}`;
  return `${location.origin}/tiles/${layer.id}/{z}/{x}/{y}${tokenQuery()}`;
}

function styleLayers(layer: TileLayerDto): LayerSpecification[] {
  const source = sourceId(layer);
  if (layer.kind === 'raster') return [{ id: `${source}-raster`, type: 'raster', source, paint: { 'raster-opacity': 1, 'raster-fade-duration': 0 } }];
  return layer.vectorLayers.flatMap((v, i): LayerSpecification[] => [
    { id: `${source}-${v.id}-fill`, type: 'fill', source, 'source-layer': v.id, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': FILLS[i % FILLS.length]!, 'fill-opacity': 1 } },
    { id: `${source}-${v.id}-line`, type: 'line', source, 'source-layer': v.id, filter: ['in', ['geometry-type'], ['literal', ['LineString', 'Polygon']]], paint: { 'line-color': LINES[i % LINES.length]!, 'line-width': 1 } },
    { id: `${source}-${v.id}-point`, type: 'circle', source, 'source-layer': v.id, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-color': LINES[i % LINES.length]!, 'circle-radius': 2.5 } },
  ]);
}

/** Adds each file's source and layers, hidden, just above the bundled basemap. */
export function addUserTiles(map: MapLibreMap, bridge: MandalaBridge, layers: readonly TileLayerDto[]): void {
  for (const layer of layers) {
    if (map.getSource(sourceId(layer))) continue;
    const common = { tiles: [tileUrl(bridge, layer)], minzoom: layer.minZoom, maxzoom: layer.maxZoom, attribution: layer.attribution ?? `Map: ${layer.name}`, ...(layer.bounds ? { bounds: [...layer.bounds] as [number, number, number, number] } : {}) };
    map.addSource(sourceId(layer), layer.kind === 'raster' ? { type: 'raster', tileSize: 256, ...common } : { type: 'vector', ...common });
    for (const spec of styleLayers(layer)) map.addLayer({ ...spec, layout: { ...(spec.layout ?? {}), visibility: 'none' } } as LayerSpecification, LAYER.roads);
  }
}

/** Shows one basemap: the bundled one, or a user file's layers. */
export function showBasemap(map: MapLibreMap, layers: readonly TileLayerDto[], active: string): void {
  const set = (id: string, on: boolean) => map.getLayer(id) && map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
  for (const id of BUNDLED_BASEMAP_LAYERS) set(id, active === BUNDLED_BASEMAP);
  for (const layer of layers) for (const spec of styleLayers(layer)) set(spec.id, layer.id === active);
}
