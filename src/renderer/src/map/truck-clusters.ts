// Trucks clustered at fleet zoom, once a fleet is big enough that single dots hide each other
// (and redrawing thousands of dots and trails would cost every frame): a circle per cluster,
// sized by how many trucks it holds and labelled with the count. The style has no glyphs (they
// would be a network request), so each count is drawn on a canvas the first time it is needed.
// A click on a cluster zooms to where it comes apart.
import type { GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent, MapStyleImageMissingEvent } from 'maplibre-gl';
import { LAYER, SOURCE } from './map-style';

/** From this many trucks the map clusters them below CLUSTER_MAX_ZOOM. */
export const CLUSTER_FROM = 300;
export const CLUSTER_MAX_ZOOM = 9;
const COUNT_IMAGE = 'cluster-count-';

export function addClusterLayers(map: MapLibreMap): void {
  map.addLayer(
    {
      id: LAYER.clusters,
      type: 'circle',
      source: SOURCE.trucks,
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': 'rgba(78,161,255,0.28)',
        'circle-stroke-color': '#4ea1ff',
        'circle-stroke-width': 1.5,
        'circle-radius': ['step', ['get', 'point_count'], 12, 20, 16, 100, 21, 500, 27],
      },
    },
    LAYER.highlight,
  );
  map.addLayer(
    {
      id: LAYER.clusterCounts,
      type: 'symbol',
      source: SOURCE.trucks,
      filter: ['has', 'point_count'],
      layout: { 'icon-image': ['concat', COUNT_IMAGE, ['to-string', ['get', 'point_count_abbreviated']]], 'icon-allow-overlap': true, 'icon-ignore-placement': true },
    },
    LAYER.highlight,
  );
  map.on('styleimagemissing', (e: MapStyleImageMissingEvent) => {
    if (e.id.startsWith(COUNT_IMAGE)) drawCount(map, e.id, e.id.slice(COUNT_IMAGE.length));
  });
  map.on('click', LAYER.clusters, (e: MapLayerMouseEvent) => {
    const feature = e.features?.[0];
    const id = feature?.properties['cluster_id'];
    if (typeof id !== 'number' || feature?.geometry.type !== 'Point') return;
    const [lon, lat] = feature.geometry.coordinates as [number, number];
    void map
      .getSource<GeoJSONSource>(SOURCE.trucks)
      ?.getClusterExpansionZoom(id)
      .then((zoom) => map.easeTo({ center: [lon, lat], zoom }));
  });
  map.on('mouseenter', LAYER.clusters, () => (map.getCanvas().style.cursor = 'pointer'));
  map.on('mouseleave', LAYER.clusters, () => (map.getCanvas().style.cursor = ''));
}

/** Clusters on for a big fleet, off for a small one; trails are drawn only where trucks are single. */
export function setClustering(map: MapLibreMap, on: boolean): void {
  void map.getSource<GeoJSONSource>(SOURCE.trucks)?.setClusterOptions({ cluster: on, clusterMaxZoom: CLUSTER_MAX_ZOOM, clusterRadius: 44 });
  map.setLayerZoomRange(LAYER.trails, on ? CLUSTER_MAX_ZOOM + 1 : 0, 24);
}

/** `text`: the cluster's abbreviated count ("37", "1.2k"), so a few hundred images cover any fleet. */
function drawCount(map: MapLibreMap, id: string, text: string): void {
  if (map.hasImage(id)) return;
  const scale = 2;
  const canvas = document.createElement('canvas');
  // Read back at once: a canvas kept in memory, not on the GPU (a GPU read-back costs milliseconds).
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return;
  ctx.font = `600 ${11 * scale}px system-ui, sans-serif`;
  const width = Math.ceil(ctx.measureText(text).width) + 4 * scale;
  canvas.width = width;
  canvas.height = 16 * scale;
  ctx.font = `600 ${11 * scale}px system-ui, sans-serif`;
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, width / 2, 8 * scale);
  map.addImage(id, ctx.getImageData(0, 0, canvas.width, canvas.height), { pixelRatio: scale });
}
