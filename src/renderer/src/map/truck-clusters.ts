// Trucks clustered at fleet zoom, once a fleet is big enough that single dots hide each other
// (and redrawing thousands of dots and trails would cost every frame): a circle per cluster,
// sized by how many trucks it holds and labelled with the count (drawn by text-images.ts).
// A click on a cluster zooms to where it comes apart.
import type { GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent } from 'maplibre-gl';
import { LAYER, SOURCE } from './map-style';
import { textImage } from './text-images';

/** From this many trucks the map clusters them below CLUSTER_MAX_ZOOM. */
export const CLUSTER_FROM = 300;
export const CLUSTER_MAX_ZOOM = 9;

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
      // The abbreviated count ("37", "1.2k"), so a few hundred images cover any fleet.
      layout: { 'icon-image': textImage('count', ['get', 'point_count_abbreviated']), 'icon-allow-overlap': true, 'icon-ignore-placement': true },
    },
    LAYER.highlight,
  );
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

/** Clusters on for a big fleet, off for a small one; trails are drawn only above the zoom where clusters end. */
export function setClustering(map: MapLibreMap, on: boolean): void {
  void map.getSource<GeoJSONSource>(SOURCE.trucks)?.setClusterOptions({ cluster: on, clusterMaxZoom: CLUSTER_MAX_ZOOM, clusterRadius: 44 });
  map.setLayerZoomRange(LAYER.trails, on ? CLUSTER_MAX_ZOOM + 1 : 0, 24);
}
