// The replay's map: the trucks' paths over the window, their stops, where each is at the replay's
// moment, and follow mode. Hovering a path tells the chart which moment is under the pointer;
// hovering a stop says how long the truck stood. Test hooks on the canvas element:
//   data-replay-ready="true"   the map and the replay layers are in place;
//   data-replay-cursors        JSON [[truck, lon, lat], …] of the trucks drawn at the moment;
//   data-rendered-stops="N"    stop rings MapLibre drew (refreshed on `idle`);
//   data-hover-time            the moment the chart or the pointer on a path points at;
//   data-center                the map's centre, "lon,lat", after each move.
import { useEffect, useMemo, useRef } from 'react';
import type { Map as MapLibreMap, MapLayerMouseEvent } from 'maplibre-gl';
import type { ReplayTrackDto } from '../../../../shared/api';
import { formatAxisTime, formatSpan } from '../../lib/format';
import { maplibregl } from '../../map/maplibre-setup';
import { addReplayLayers, cursorFeatures, pathFeatures, REPLAY_LAYER, REPLAY_SOURCE, setReplayData, stopFeatures } from '../../map/replay-layers';
import { MapLayersMenu } from '../../map/MapLayersMenu';
import { MapStatus } from '../../map/MapStatus';
import { useFleetMap } from '../../map/use-fleet-map';
import { useMapLayers } from '../../map/use-map-layers';
import { pathBetween, type ReplayPosition } from './replay-math';

/** How much of the path behind each truck is drawn bright: the last half hour of replay time. */
const TAIL_MS = 30 * 60_000;

export interface ReplayMapProps {
  readonly tracks: readonly ReplayTrackDto[];
  /** Each track's plausible fixes (replay-math's plausibleIndexes), by truck. */
  readonly plausible: ReadonlyMap<string, readonly number[]>;
  readonly colors: ReadonlyMap<string, string>;
  readonly timeMs: number;
  readonly positions: readonly ReplayPosition[];
  readonly hoverPositions: readonly ReplayPosition[];
  readonly hoverTimeMs: number | null;
  readonly follow: boolean;
  readonly onHoverTime: (ms: number | null) => void;
  readonly onUserMove: () => void;
}

function nearestFixTime(track: ReplayTrackDto, ixs: readonly number[], lon: number, lat: number): number | null {
  let best: number | null = null;
  let bestD = Infinity;
  const k = Math.cos((lat * Math.PI) / 180);
  for (const i of ixs) {
    const dx = (track.fixes.lon[i]! - lon) * k;
    const dy = track.fixes.lat[i]! - lat;
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = track.fixes.fixMs[i]!;
    }
  }
  return best;
}

function frame(map: MapLibreMap, points: readonly [number, number][]): void {
  if (points.length === 0) return;
  // The dock under the map may have just appeared: measure the canvas before fitting to it.
  map.resize();
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) [w, s, e, n] = [Math.min(w, x), Math.min(s, y), Math.max(e, x), Math.max(n, y)];
  map.fitBounds([w, s, e, n], { padding: 60, maxZoom: 14, duration: 0 });
}

export function ReplayMap({ tracks, plausible, colors, timeMs, positions, hoverPositions, hoverTimeMs, follow, onHoverTime, onUserMove }: ReplayMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const { map, error } = useFleetMap(containerRef, null);
  const basemaps = useMapLayers(map, containerRef);
  const paths = useMemo(() => tracks.map((t) => ({ truck: t.truck, color: colors.get(t.truck) ?? '#fff', coordinates: pathBetween(t, plausible.get(t.truck) ?? [], -Infinity, Infinity) })), [tracks, colors, plausible]);
  const latest = useRef({ tracks, plausible, paths, onHoverTime, onUserMove, follow });
  useEffect(() => {
    latest.current = { tracks, plausible, paths, onHoverTime, onUserMove, follow };
  });
  

  // The replay layers, and the pointer on them.
  useEffect(() => {
    if (!map) return;
    const element = containerRef.current!;
    addReplayLayers(map);
    element.setAttribute('data-replay-ready', 'true');
    const onIdle = () => element.setAttribute('data-rendered-stops', String(map.queryRenderedFeatures({ layers: [REPLAY_LAYER.stops] }).length));
    map.on('idle', onIdle);
    const onMoveEnd = () => element.setAttribute('data-center', `${map.getCenter().lng.toFixed(5)},${map.getCenter().lat.toFixed(5)}`);
    map.on('moveend', onMoveEnd);
    const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 12, className: 'fix-popup' });
    const onStop = (e: MapLayerMouseEvent) => {
      const p = e.features?.[0]?.properties;
      const g = e.features?.[0]?.geometry;
      if (!p || g?.type !== 'Point') return;
      const start = Number(p['startMs']);
      const end = Number(p['endMs']);
      const cut = p['openStart'] === true || p['openEnd'] === true ? ' (cut by the window)' : '';
      popup
        .setLngLat([g.coordinates[0]!, g.coordinates[1]!])
        .setText(`${String(p['truck'])} stopped ${formatSpan(end - start)}${cut}: ${formatAxisTime(start, false)} to ${formatAxisTime(end, false)}`)
        .addTo(map);
    };
    const onPath = (e: MapLayerMouseEvent) => {
      const truck = String(e.features?.[0]?.properties['truck'] ?? '');
      const track = latest.current.tracks.find((t) => t.truck === truck);
      const ixs = latest.current.plausible.get(truck);
      if (!track || !ixs) return;
      map.getCanvas().style.cursor = 'crosshair';
      latest.current.onHoverTime(nearestFixTime(track, ixs, e.lngLat.lng, e.lngLat.lat));
    };
    const offPath = () => {
      map.getCanvas().style.cursor = '';
      latest.current.onHoverTime(null);
    };
    const offStop = () => popup.remove();
    const onDrag = () => latest.current.follow && latest.current.onUserMove();
    map.on('mousemove', REPLAY_LAYER.stops, onStop);
    map.on('mouseleave', REPLAY_LAYER.stops, offStop);
    map.on('mousemove', REPLAY_LAYER.path, onPath);
    map.on('mouseleave', REPLAY_LAYER.path, offPath);
    map.on('dragstart', onDrag);
    return () => {
      map.off('idle', onIdle);
      map.off('moveend', onMoveEnd);
      map.off('mousemove', REPLAY_LAYER.stops, onStop);
      map.off('mouseleave', REPLAY_LAYER.stops, offStop);
      map.off('mousemove', REPLAY_LAYER.path, onPath);
      map.off('mouseleave', REPLAY_LAYER.path, offPath);
      map.off('dragstart', onDrag);
      popup.remove();
    };
  }, [map]);

  // Paths and stops change with the trucks and the window.
  useEffect(() => {
    if (!map) return;
    setReplayData(map, REPLAY_SOURCE.path, pathFeatures(paths));
    setReplayData(map, REPLAY_SOURCE.stops, stopFeatures(tracks.flatMap((t) => t.stops.map((stop, index) => ({ truck: t.truck, color: colors.get(t.truck) ?? '#fff', stop, index })))));
  }, [map, tracks, colors, paths]);
  // The camera frames the paths when the trucks or the window change (not when a colour does).
  useEffect(() => {
    if (map) frame(map, latest.current.paths.flatMap((p) => p.coordinates));
  }, [map, tracks]);

  // Every moment: the trucks and the bright tail behind each.
  useEffect(() => {
    if (!map) return;
    setReplayData(map, REPLAY_SOURCE.cursors, cursorFeatures(positions.map((p) => ({ ...p, color: colors.get(p.truck) ?? '#fff' }))));
    const tails = tracks.map((t) => {
      const coords = pathBetween(t, plausible.get(t.truck) ?? [], timeMs - TAIL_MS, timeMs);
      const here = positions.find((p) => p.truck === t.truck);
      if (here) coords.push([here.lon, here.lat]);
      return { truck: t.truck, color: colors.get(t.truck) ?? '#fff', coordinates: coords };
    });
    setReplayData(map, REPLAY_SOURCE.tail, pathFeatures(tails));
    containerRef.current?.setAttribute('data-replay-cursors', JSON.stringify(positions.map((p) => [p.truck, Number(p.lon.toFixed(5)), Number(p.lat.toFixed(5))])));
    if (follow && positions.length > 0) {
      if (positions.length === 1) map.jumpTo({ center: [positions[0]!.lon, positions[0]!.lat] });
      else frame(map, positions.map((p) => [p.lon, p.lat]));
    }
  }, [map, tracks, colors, plausible, positions, timeMs, follow]);

  useEffect(() => {
    if (!map) return;
    setReplayData(map, REPLAY_SOURCE.hover, cursorFeatures(hoverPositions.map((p) => ({ ...p, color: '#4ea1ff' }))));
    if (hoverTimeMs === null) containerRef.current?.removeAttribute('data-hover-time');
    else containerRef.current?.setAttribute('data-hover-time', String(hoverTimeMs));
  }, [map, hoverPositions, hoverTimeMs]);

  return (
    <div className="fleet-map">
      <div ref={containerRef} className="fleet-map-canvas" data-testid="replay-map" />
      <MapStatus ready={map !== null} error={error} />
      <div className="map-toolbar">
        <MapLayersMenu
          layers={basemaps.layers}
          active={basemaps.active}
          onChoose={basemaps.choose}
          onFrame={basemaps.frame}
        />
      </div>
    </div>
  );
}
