// "Map layers" on the map's toolbar: the bundled basemap, or one of the user's own map files the
// node serves (`mandala serve --tiles FILE`). A file given at start is the basemap the console
// opens with; each file can also frame the map on its area.
import { useCallback, useRef, useState } from 'react';
import type { TileLayerDto } from '../../../shared/api';
import { Icon } from '../components/Icon';
import { useDismiss } from '../components/use-dismiss';
import { BUNDLED_BASEMAP } from './user-tiles';

export interface MapLayersMenuProps {
  readonly layers: readonly TileLayerDto[];
  readonly active: string;
  readonly onChoose: (id: string) => void;
  readonly onFrame: (layer: TileLayerDto) => void;
}

export function MapLayersMenu({ layers, active, onChoose, onFrame }: MapLayersMenuProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, rootRef, close);
  return (
    <div className="map-layers" ref={rootRef}>
      <button type="button" className={open ? 'map-tool is-on' : 'map-tool'} aria-expanded={open} onClick={() => setOpen((v) => !v)} data-testid="map-layers-open" title="Choose the basemap">
        <Icon name="layers" size={15} /> Map layers
      </button>
      {open ? (
        <div className="popover-panel map-layers-panel" role="dialog" aria-label="Map layers" data-testid="map-layers">
          <div className="map-layers-title">Basemap</div>
          <label className="map-layer-option">
            <input type="radio" name="basemap" value={BUNDLED_BASEMAP} checked={active === BUNDLED_BASEMAP} onChange={() => onChoose(BUNDLED_BASEMAP)} />
            <span>
              Natural Earth <span className="muted">bundled, world coastlines and borders</span>
            </span>
          </label>
          {layers.map((l) => (
            <div key={l.id} className="map-layer-option">
              <label>
                <input type="radio" name="basemap" value={l.id} checked={active === l.id} onChange={() => onChoose(l.id)} />
                <span>
                  {l.name}{' '}
                  <span className="muted">
                    {l.file} · {l.kind} {l.format} · zoom {l.minZoom}–{l.maxZoom}
                  </span>
                </span>
              </label>
              {l.bounds ? (
                <button type="button" className="link-button" onClick={() => onFrame(l)} data-testid="map-layer-frame">
                  Zoom to its area
                </button>
              ) : null}
            </div>
          ))}
          {layers.length === 0 ? (
            <p className="panel-note">
              Add your own offline map for your area: start the node with <code>--tiles FILE</code> (a PMTiles or MBTiles file, raster or vector).
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
