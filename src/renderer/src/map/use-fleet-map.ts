// Creates the MapLibre map inside a container and tears it down with the component. Also owns the
// map's test hooks on the container element:
//   data-map-ready="true"    once the style, the basemap and the fleet layers are in place;
//   data-rendered-trucks="N" the number of distinct trucks MapLibre actually drew (those in drawn
//                            clusters included), refreshed on every `idle` (so tests assert on
//                            pixels' source, not on React state);
//   data-rendered-headings="N" the heading arrows it drew (moving trucks);
//   data-rendered-statuses="alerting:1,moving:8" the single trucks it drew, by status;
//   data-rendered-labels="KBT 377M|KBU 750D" the truck names it drew (where there is no room,
//                            some are left out);
//   data-rendered-places="Lodwar|Nairobi" the town names it drew;
//   data-map-theme="light"   the theme the basemap and the map's words are drawn in.
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ApiErrorDto } from '../../../shared/api';
import { describeError } from '../lib/errors';
import type { MapCamera } from '../views/operations/truck-selection';
import { loadBasemap } from './basemap';
import { maplibregl } from './maplibre-setup';
import { addBasemapLayers, addFleetLayers, applyMapTheme, baseStyle, LAYER, placeLayer } from './map-style';
import { useTheme } from '../theme/use-theme';
import { drawTextOnDemand, type MapText } from './text-images';
import { addClusterLayers } from './truck-clusters';

export interface FleetMapState {
  /** Set once layers exist; sources may be filled from then on. */
  readonly map: MapLibreMap | null;
  readonly error: ApiErrorDto | null;
}

/** Africa and Europe at a glance, until trucks or roads give a better frame. */
const WORLD_VIEW: MapCamera = { center: [20, 5], zoom: 2 };

function countRenderedTrucks(map: MapLibreMap): number {
  if (!map.getLayer(LAYER.trucks)) return 0;
  const trucks = new Set<unknown>();
  for (const feature of map.queryRenderedFeatures({ layers: [LAYER.trucks] })) trucks.add(feature.properties['truck']);
  const clusters = new Map<unknown, number>();
  for (const feature of map.queryRenderedFeatures({ layers: [LAYER.clusters] })) clusters.set(feature.properties['cluster_id'], Number(feature.properties['point_count']));
  return trucks.size + [...clusters.values()].reduce((a, b) => a + b, 0);
}

function renderedStatuses(map: MapLibreMap): string {
  if (!map.getLayer(LAYER.trucks)) return '';
  const byTruck = new Map<unknown, string>();
  for (const feature of map.queryRenderedFeatures({ layers: [LAYER.trucks] })) byTruck.set(feature.properties['truck'], String(feature.properties['status']));
  const counts = new Map<string, number>();
  for (const status of byTruck.values()) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([status, n]) => `${status}:${n}`).join(',');
}

/** The distinct values of `property` on the features drawn in `layers`, sorted, joined by "|". */
function renderedNames(map: MapLibreMap, layers: readonly string[], property: string): string {
  const present = layers.filter((id) => map.getLayer(id));
  if (present.length === 0) return '';
  const names = new Set<string>();
  for (const feature of map.queryRenderedFeatures({ layers: present })) names.add(String(feature.properties[property]));
  return [...names].sort().join('|');
}

const PLACE_LAYERS = [0, 1, 2, 3, 4].map(placeLayer);

export function useFleetMap(container: RefObject<HTMLDivElement | null>, initialCamera: MapCamera | null): FleetMapState {
  const [state, setState] = useState<FleetMapState>({ map: null, error: null });
  const { theme } = useTheme();
  // The theme a new map starts in; later changes recolour it (below) instead of rebuilding it.
  const themeRef = useRef(theme);
  themeRef.current = theme;
  const textRef = useRef<MapText | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    element.setAttribute('data-map-ready', 'false');
    element.setAttribute('data-rendered-trucks', '0');
    const camera = initialCamera ?? WORLD_VIEW;
    let map: MapLibreMap;
    try {
      map = new maplibregl.Map({
        container: element,
        style: baseStyle(themeRef.current),
        center: [camera.center[0], camera.center[1]],
        zoom: camera.zoom,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        maxPitch: 0,
        fadeDuration: 0,
      });
    } catch (error) {
      // Typically no WebGL (a remote desktop or a disabled GPU).
      setState({ map: null, error: describeError(error) });
      return;
    }
    map.touchZoomRotate.disableRotation();
    textRef.current = drawTextOnDemand(map, themeRef.current);
    element.setAttribute('data-map-theme', themeRef.current);
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
    // Each basemap's source carries its own credit, so the control names the one drawn.
    map.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-right');

    map.on('idle', () => {
      element.setAttribute('data-rendered-trucks', String(countRenderedTrucks(map)));
      element.setAttribute('data-rendered-statuses', renderedStatuses(map));
      element.setAttribute('data-rendered-headings', String(map.getLayer(LAYER.heading) ? map.queryRenderedFeatures({ layers: [LAYER.heading] }).length : 0));
      element.setAttribute('data-rendered-labels', renderedNames(map, [LAYER.truckLabels, LAYER.selectedLabel], 'truck'));
      element.setAttribute('data-rendered-places', renderedNames(map, PLACE_LAYERS, 'name'));
    });

    let cancelled = false;
    const styleLoaded = new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('load', () => resolve())));
    Promise.all([styleLoaded, loadBasemap()])
      .then(([, basemap]) => {
        if (cancelled) return;
        addBasemapLayers(map, basemap, themeRef.current);
        addFleetLayers(map, themeRef.current);
        // The theme may have changed while the basemap loaded.
        applyMapTheme(map, themeRef.current);
        textRef.current?.setTheme(themeRef.current);
        element.setAttribute('data-map-theme', themeRef.current);
        addClusterLayers(map);
        // The credits open as a line across the map's foot, over the legend: start them folded
        // behind their (i) button, as MapLibre does itself once the map is dragged.
        map.once('idle', () => element.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show'));
        element.setAttribute('data-map-ready', 'true');
        setState({ map, error: null });
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ map: null, error: describeError(error) });
      });

    return () => {
      cancelled = true;
      setState({ map: null, error: null });
      map.remove();
    };
    // The camera only seeds a new map; later camera changes must not rebuild it.
  }, [container]);

  useEffect(() => {
    const map = state.map;
    const element = container.current;
    if (!map || !element || element.getAttribute('data-map-theme') === theme) return;
    applyMapTheme(map, theme);
    textRef.current?.setTheme(theme);
    element.setAttribute('data-map-theme', theme);
  }, [state.map, theme, container]);

  return state;
}
