// Pointer behaviour on the fleet layers: hovering a truck, its name or a flagged fix shows its
// popup, clicking a truck or its name picks it (a dot wins over a name drawn across it, so a
// name never steals the click meant for the truck under it), and dragging the map by hand stops follow mode (the user wants to
// look elsewhere). Handlers are bound once per map and read the latest data through a ref.
import { useEffect, useRef } from 'react';
import type { Map as MapLibreMap, MapLayerMouseEvent, MapMouseEvent } from 'maplibre-gl';
import type { FixDto } from '../../../shared/api';
import { authorLabel, type AuthorNames } from '../store/names-store';
import { fixKey, type TruckTrack } from '../store/trail-merge';
import { buildFixPopup } from './fix-popup';
import { maplibregl } from './maplibre-setup';
import { LAYER } from './map-style';

export interface InteractionData {
  readonly tracks: readonly TruckTrack[];
  readonly names: AuthorNames | null;
  readonly nodeNowMs: number;
}

interface Handlers {
  onPick(truck: string): void;
  onUserMove(): void;
}

function findFix(tracks: readonly TruckTrack[], truck: string, key: string | null): { track: TruckTrack; fix: FixDto } | null {
  const track = tracks.find((t) => t.summary.truck === truck);
  if (!track) return null;
  const fix = key === null ? track.summary.current : (track.trail.find((f) => fixKey(f) === key) ?? null);
  return fix ? { track, fix } : null;
}

export function useMapInteractions(map: MapLibreMap | null, data: InteractionData, handlers: Handlers): void {
  const latest = useRef({ data, handlers });
  useEffect(() => {
    latest.current = { data, handlers };
  });

  useEffect(() => {
    if (!map) return;
    const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 14, maxWidth: '300px', className: 'fix-popup' });

    const showPopup = (event: MapLayerMouseEvent, flagged: boolean) => {
      const props = event.features?.[0]?.properties;
      if (!props) return;
      const { tracks, names, nodeNowMs } = latest.current.data;
      const found = findFix(tracks, String(props['truck']), flagged ? String(props['key']) : null);
      if (!found) return;
      map.getCanvas().style.cursor = 'pointer';
      const content = buildFixPopup({
        truck: found.track.summary.truck,
        fix: found.fix,
        reporter: authorLabel(names, found.fix.author),
        nodeNowMs,
        flaggedCount: found.track.summary.flaggedCount,
      });
      popup.setLngLat([found.fix.lon, found.fix.lat]).setDOMContent(content).addTo(map);
    };
    const hidePopup = () => {
      map.getCanvas().style.cursor = '';
      popup.remove();
    };
    const onTruckHover = (event: MapLayerMouseEvent) => showPopup(event, false);
    const onFlaggedHover = (event: MapLayerMouseEvent) => showPopup(event, true);
    const onClick = (event: MapMouseEvent) => {
      const under = (layer: string) => (map.getLayer(layer) ? map.queryRenderedFeatures(event.point, { layers: [layer] }) : []);
      const feature = under(LAYER.trucks)[0] ?? under(LAYER.selectedLabel)[0] ?? under(LAYER.truckLabels)[0];
      const truck = feature?.properties['truck'];
      if (typeof truck === 'string') latest.current.handlers.onPick(truck);
    };
    const onDragStart = (event: { originalEvent?: unknown }) => {
      if (event.originalEvent) latest.current.handlers.onUserMove();
    };

    const subscriptions = [
      map.on('mousemove', LAYER.trucks, onTruckHover),
      map.on('mouseleave', LAYER.trucks, hidePopup),
      map.on('mousemove', LAYER.truckLabels, onTruckHover),
      map.on('mouseleave', LAYER.truckLabels, hidePopup),
      map.on('mousemove', LAYER.flagged, onFlaggedHover),
      map.on('mouseleave', LAYER.flagged, hidePopup),
      map.on('click', onClick),
      map.on('dragstart', onDragStart),
    ];
    return () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      popup.remove();
    };
  }, [map]);
}
