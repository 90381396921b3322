// The user's map files on the live map: asked of the node once, added as hidden layers, and the
// active one shown (a file the node was started with opens active). `data-basemap` on the map's
// container names what is shown, for tests.
import { useEffect, useState, type RefObject } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ApiErrorDto, TileLayerDto } from '../../../shared/api';
import { describeError } from '../lib/errors';
import { useSession } from '../store/session-context';
import { addUserTiles, BUNDLED_BASEMAP, showBasemap } from './user-tiles';

export interface MapLayersState {
  readonly layers: readonly TileLayerDto[];
  readonly active: string;
  readonly choose: (id: string) => void;
  /** Zooms the map to a file's area. */
  readonly frame: (layer: TileLayerDto) => void;
  readonly error: ApiErrorDto | null;
}

export function useMapLayers(map: MapLibreMap | null, container: RefObject<HTMLDivElement | null>): MapLayersState {
  const session = useSession();
  const [layers, setLayers] = useState<readonly TileLayerDto[]>([]);
  const [active, setActive] = useState<string | null>(null);
  const [error, setError] = useState<ApiErrorDto | null>(null);

  useEffect(() => {
    let current = true;
    session.bridge.call('map.layers', {}).then(
      (r) => {
        if (!current) return;
        setLayers(r.layers);
        setActive((a) => a ?? r.active ?? BUNDLED_BASEMAP);
      },
      (e: unknown) => {
        if (!current) return;
        setError(describeError(e));
        setActive((a) => a ?? BUNDLED_BASEMAP);
      },
    );
    // The desktop app's "Open map file…" adds one while the console is open.
    const unsubscribe = session.bridge.subscribe('layers', (r) => current && setLayers(r.layers));
    return () => {
      current = false;
      unsubscribe();
    };
  }, [session]);

  useEffect(() => {
    if (!map || active === null) return;
    addUserTiles(map, session.bridge, layers);
    showBasemap(map, layers, active);
    container.current?.setAttribute('data-basemap', active);
  }, [map, layers, active, session, container]);

  const frame = (l: TileLayerDto) => {
    if (l.bounds) map?.fitBounds([l.bounds[0], l.bounds[1], l.bounds[2], l.bounds[3]], { padding: 40, maxZoom: l.maxZoom });
  };
  return { layers, active: active ?? BUNDLED_BASEMAP, choose: setActive, frame, error };
}
