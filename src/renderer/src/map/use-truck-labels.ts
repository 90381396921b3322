// Truck names next to their dots, as DOM markers: the map has no glyphs for text layers (fetching
// them would be a network request). Markers are DOM elements, so they stop past a few dozen trucks.
import { useEffect, useRef } from 'react';
import type { Map as MapLibreMap, Marker } from 'maplibre-gl';
import type { Freshness } from '../lib/freshness';
import { maplibregl } from './maplibre-setup';

export const MAX_LABELLED_TRUCKS = 60;

export interface TruckLabel {
  readonly truck: string;
  readonly lonLat: [number, number];
  readonly freshness: Freshness;
  readonly selected: boolean;
}

export function useTruckLabels(map: MapLibreMap | null, labels: readonly TruckLabel[], enabled: boolean, onPick: (truck: string) => void): void {
  const markers = useRef(new Map<string, { marker: Marker; element: HTMLDivElement }>());
  const pick = useRef(onPick);
  useEffect(() => {
    pick.current = onPick;
  });

  useEffect(() => {
    const held = markers.current;
    const wanted = map && enabled && labels.length <= MAX_LABELLED_TRUCKS ? labels : [];
    const keep = new Set(wanted.map((l) => l.truck));
    for (const [truck, { marker }] of held) {
      if (keep.has(truck)) continue;
      marker.remove();
      held.delete(truck);
    }
    if (!map) return;
    for (const label of wanted) {
      let entry = held.get(label.truck);
      if (!entry) {
        const element = document.createElement('div');
        element.classList.add('truck-label');
        element.textContent = label.truck;
        element.addEventListener('click', (event) => {
          event.stopPropagation();
          pick.current(label.truck);
        });
        const marker = new maplibregl.Marker({ element, anchor: 'left', offset: [11, 0] }).setLngLat(label.lonLat).addTo(map);
        entry = { marker, element };
        held.set(label.truck, entry);
      }
      entry.marker.setLngLat(label.lonLat);
      // classList, not className: MapLibre keeps its own positioning classes on the element.
      for (const freshness of ['fresh', 'aging', 'stale', 'unknown'] as const) entry.element.classList.toggle(`truck-label-${freshness}`, freshness === label.freshness);
      entry.element.classList.toggle('is-selected', label.selected);
    }
  }, [map, labels, enabled]);

  // A removed map takes its markers with it; forget them so a new map gets fresh ones.
  useEffect(() => {
    const held = markers.current;
    return () => {
      for (const { marker } of held.values()) marker.remove();
      held.clear();
    };
  }, [map]);
}
