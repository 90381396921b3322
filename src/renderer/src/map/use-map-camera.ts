// Where the map looks: framed on the roads until trucks arrive, then on the trucks once; after
// that the user steers, except in follow mode, where the map keeps the selected truck centred.
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { FixDto } from '../../../shared/api';
import type { MapCamera, TruckSelection } from '../views/operations/truck-selection';
import { boundsOf, type LonLat } from './fleet-features';

/** Room for the toolbar (top), legend (bottom) and truck labels, which hang to the right of dots. */
const FRAME_PADDING = { top: 90, bottom: 70, left: 50, right: 130 };
/** Do not zoom in closer than this when framing a few nearby trucks. */
const FRAME_MAX_ZOOM = 9;
/** Zoom the map comes to when the user starts following a truck from afar. */
const FOLLOW_MIN_ZOOM = 8;

export interface CameraInput {
  readonly map: MapLibreMap | null;
  readonly truckPositions: readonly LonLat[];
  readonly roadPoints: readonly LonLat[];
  readonly selection: TruckSelection;
  readonly selectedFix: FixDto | null;
  readonly memory: RefObject<MapCamera | null>;
}

/** Returns "frame all trucks", for the toolbar. */
export function useMapCamera({ map, truckPositions, roadPoints, selection, selectedFix, memory }: CameraInput): () => void {
  // A remembered camera means the user has looked around already; do not reframe on return.
  const framedTrucks = useRef(memory.current !== null);
  const framedRoads = useRef(memory.current !== null);
  const followed = useRef<string | null>(null);

  const frame = useCallback(
    (points: readonly LonLat[], animate: boolean) => {
      const bounds = map && boundsOf(points);
      if (map && bounds) map.fitBounds(bounds, { padding: FRAME_PADDING, maxZoom: FRAME_MAX_ZOOM, duration: animate ? 600 : 0 });
    },
    [map],
  );

  useEffect(() => {
    if (!map) return;
    if (!framedTrucks.current && truckPositions.length > 0) {
      framedTrucks.current = true;
      framedRoads.current = true;
      frame(truckPositions, false);
    } else if (!framedRoads.current && roadPoints.length > 0) {
      framedRoads.current = true;
      frame(roadPoints, false);
    }
  }, [map, truckPositions, roadPoints, frame]);

  useEffect(() => {
    if (!map || !selection.following || !selection.truck || !selectedFix) {
      followed.current = null;
      return;
    }
    const center: LonLat = [selectedFix.lon, selectedFix.lat];
    if (followed.current !== selection.truck) {
      followed.current = selection.truck;
      map.easeTo({ center, zoom: Math.max(map.getZoom(), FOLLOW_MIN_ZOOM), duration: 800 });
    } else {
      map.easeTo({ center, duration: 700 });
    }
  }, [map, selection.following, selection.truck, selectedFix]);

  useEffect(() => {
    if (!map) return;
    const remember = () => {
      const c = map.getCenter();
      memory.current = { center: [c.lng, c.lat], zoom: map.getZoom() };
    };
    const subscription = map.on('moveend', remember);
    return () => subscription.unsubscribe();
  }, [map, memory]);

  return useCallback(() => frame(truckPositions, true), [frame, truckPositions]);
}
