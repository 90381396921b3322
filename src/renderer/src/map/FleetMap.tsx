// The live fleet map: offline basemap, roads, one trail per truck over a chosen window, current
// positions coloured by status and faded by age, clusters for a big fleet, flagged fixes as red
// rings, truck labels, hover popups, follow mode, and a ring on the fix the speed chart points at.
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { GeoJSONSource } from 'maplibre-gl';
import type { ApiErrorDto, FixDto, GeofenceDto, MapOverlaysDto } from '../../../shared/api';
import { Icon } from '../components/Icon';
import { ErrorNotice } from '../components/StatusMessage';
import { describeError } from '../lib/errors';
import { useStore } from '../store/external-store';
import { useNodeNow, useSession } from '../store/session-context';
import { fixKey, type TruckTrack } from '../store/trail-merge';
import { toggleTruck, type MapCamera, type TruckSelection } from '../views/operations/truck-selection';
import { currentPositions, flaggedFeatures, geofenceFeatures, highlightFeatures, keyedPositions, keyedTrails, roadFeatures, type LonLat } from './fleet-features';
import { SourceDiff } from './source-diff';
import { markWhenDrawn } from './drawn-mark';
import { CLUSTER_FROM, setClustering } from './truck-clusters';
import { TRAIL_WINDOW_LABEL, TRAIL_WINDOW_MS, TRAIL_WINDOWS, type TrailWindow } from './trail-window';
import { applySelection, LAYER, SOURCE } from './map-style';
import { MapLegend } from './MapLegend';
import { GeofenceEditor } from './GeofenceEditor';
import { useFleetMap } from './use-fleet-map';
import { MapLayersMenu } from './MapLayersMenu';
import { MapStatus } from './MapStatus';
import { useMapLayers } from './use-map-layers';
import { useMapCamera } from './use-map-camera';
import { useMapInteractions } from './use-map-interactions';
import { useTruckMotion } from './use-truck-motion';

export interface FleetMapProps {
  readonly tracks: readonly TruckTrack[];
  readonly colors: ReadonlyMap<string, string>;
  readonly fleetLoaded: boolean;
  readonly selection: TruckSelection;
  readonly onSelectionChange: (next: TruckSelection) => void;
  readonly cameraMemory: RefObject<MapCamera | null>;
  /** A fix to ring on the map (the one hovered in the speed chart), or null. */
  readonly highlightedFix?: FixDto | null;
  /** Geofences to outline under the trucks. */
  readonly geofences?: readonly GeofenceDto[];
  /** Open alerts per truck: such a truck is drawn as alerting. */
  readonly openAlerts?: ReadonlyMap<string, number>;
}

export function FleetMap({ tracks, colors, fleetLoaded, selection, onSelectionChange, cameraMemory, highlightedFix = null, geofences, openAlerts }: FleetMapProps) {
  const session = useSession();
  const names = useStore(session.names.store).data;
  const containerRef = useRef<HTMLDivElement>(null);
  const { map, error: mapError } = useFleetMap(containerRef, cameraMemory.current);
  // Freshness moves in minutes; a 5 s tick is plenty for the map and spares re-uploading data.
  const nodeNow = useNodeNow(5000);
  const [showLabels, setShowLabels] = useState(true);
  const [overlays, setOverlays] = useState<MapOverlaysDto | null>(null);
  const [overlayError, setOverlayError] = useState<ApiErrorDto | null>(null);

  useEffect(() => {
    let current = true;
    session.bridge.call('map.overlays', {}).then(
      (result) => current && setOverlays(result),
      (error: unknown) => current && setOverlayError(describeError(error)),
    );
    return () => {
      current = false;
    };
  }, [session]);

  // setData resolves once the worker has the data; nothing here waits for that.
  useEffect(() => {
    if (map && overlays) void map.getSource<GeoJSONSource>(SOURCE.roads)?.setData(roadFeatures(overlays));
  }, [map, overlays]);
  useEffect(() => {
    if (map && geofences) void map.getSource<GeoJSONSource>(SOURCE.geofences)?.setData(geofenceFeatures(geofences));
  }, [map, geofences]);
  // Trails and positions go to the map as what changed, by truck (a new map starts from nothing).
  const trailDiff = useMemo(() => (map ? new SourceDiff() : null), [map]);
  const positionDiff = useMemo(() => (map ? new SourceDiff() : null), [map]);
  // Trails over the chosen window, cut on the minute (so they are not all re-sent every tick).
  const [trailWindow, setTrailWindow] = useState<TrailWindow>('all');
  const trailsSince = trailWindow === 'all' ? Number.NEGATIVE_INFINITY : Math.floor((nodeNow - TRAIL_WINDOW_MS[trailWindow]) / 60_000) * 60_000;
  useEffect(() => {
    void trailDiff?.apply(map?.getSource<GeoJSONSource>(SOURCE.trails), keyedTrails(tracks, colors, trailsSince));
  }, [map, trailDiff, tracks, colors, trailsSince]);
  useEffect(() => {
    void map?.getSource<GeoJSONSource>(SOURCE.flagged)?.setData(flaggedFeatures(tracks));
  }, [map, tracks]);
  useEffect(() => {
    const sent = positionDiff?.apply(map?.getSource<GeoJSONSource>(SOURCE.trucks), keyedPositions(tracks, colors, nodeNow, openAlerts));
    const element = containerRef.current;
    if (!map || !sent || !element) return;
    const newest = tracks.reduce((m, t) => Math.max(m, t.summary.current?.fixMs ?? 0), 0);
    markWhenDrawn(map, SOURCE.trucks, sent, () => element.setAttribute('data-drawn-fix-ms', String(newest)));
  }, [map, positionDiff, tracks, colors, nodeNow, openAlerts]);
  const clustered = tracks.length >= CLUSTER_FROM;
  // After the positions went out: trucks glide from where they were and pulse on a new fix.
  useTruckMotion(map, tracks, !clustered);
  useEffect(() => {
    if (map) applySelection(map, selection.truck);
  }, [map, selection.truck]);
  useEffect(() => {
    if (map) setClustering(map, clustered);
  }, [map, clustered]);
  useEffect(() => {
    void map?.getSource<GeoJSONSource>(SOURCE.highlight)?.setData(highlightFeatures(highlightedFix));
  }, [map, highlightedFix]);

  const basemaps = useMapLayers(map, containerRef);

  const truckPositions = useMemo(() => currentPositions(tracks), [tracks]);
  const roadPoints = useMemo<LonLat[]>(() => overlays?.routes.flatMap((r) => r.coordinates.map(([lon, lat]): LonLat => [lon, lat])) ?? [], [overlays]);
  const selectedTrack = tracks.find((t) => t.summary.truck === selection.truck) ?? null;
  const frameAll = useMapCamera({ map, truckPositions, roadPoints, selection, selectedFix: selectedTrack?.summary.current ?? null, memory: cameraMemory });

  const pick = (truck: string) => onSelectionChange(toggleTruck(selection, truck));
  useMapInteractions(map, { tracks, names, nodeNowMs: nodeNow }, { onPick: pick, onUserMove: () => selection.following && onSelectionChange({ ...selection, following: false }) });

  useEffect(() => {
    for (const id of [LAYER.truckLabels, LAYER.selectedLabel]) if (map?.getLayer(id)) map.setLayoutProperty(id, 'visibility', showLabels ? 'visible' : 'none');
  }, [map, showLabels]);

  return (
    <div className="fleet-map">
      <div ref={containerRef} className="fleet-map-canvas" data-testid="map" data-clustered={clustered} data-highlighted-fix={highlightedFix ? fixKey(highlightedFix) : undefined} />
      <MapStatus ready={map !== null} error={mapError} />
      {map && fleetLoaded && tracks.length === 0 ? (
        <div className="map-overlay-center map-empty">
          <span className="map-empty-message">No trucks yet — positions appear here as they sync.</span>
        </div>
      ) : null}
      <div className="map-toolbar">
        <button type="button" className="map-tool" onClick={frameAll} disabled={truckPositions.length === 0} title="Zoom to show every truck">
          <Icon name="frame" size={15} /> All trucks
        </button>
        <button
          type="button"
          className={showLabels ? 'map-tool is-on' : 'map-tool'}
          onClick={() => setShowLabels((v) => !v)}
          title="Show truck names on the map (where there is no room for every name, the selected, alerting and moving trucks keep theirs)"
          aria-pressed={showLabels}
        >
          <Icon name="label" size={15} /> Labels
        </button>
        <label className="map-tool map-select" title="How much of each truck's trail to draw">
          Trails
          <select name="trail-window" value={trailWindow} onChange={(e) => setTrailWindow(e.target.value as TrailWindow)}>
            {TRAIL_WINDOWS.map((w) => (
              <option key={w} value={w}>
                {TRAIL_WINDOW_LABEL[w]}
              </option>
            ))}
          </select>
        </label>
        <MapLayersMenu
          layers={basemaps.layers}
          active={basemaps.active}
          onChoose={basemaps.choose}
          onFrame={basemaps.frame}
        />
      </div>
      <GeofenceEditor map={map} geofences={geofences ?? []} />
      {selection.truck ? (
        <div className={selection.following ? 'follow-chip is-following' : 'follow-chip'} data-testid="follow-chip">
          <Icon name="crosshair" size={15} />
          <span>
            {selection.following ? 'Following' : 'Selected'} <strong>{selection.truck}</strong>
          </span>
          <button type="button" onClick={() => onSelectionChange({ ...selection, following: !selection.following })}>
            {selection.following ? 'Stop following' : 'Follow'}
          </button>
          <button type="button" aria-label="Clear selection" onClick={() => onSelectionChange({ truck: null, following: false })}>
            <Icon name="close" size={13} />
          </button>
        </div>
      ) : null}
      {basemaps.error ? (
        <div className="map-note">
          <ErrorNotice error={basemaps.error} context="Your map files are unavailable" compact />
        </div>
      ) : null}
      {overlayError ? (
        <div className="map-note">
          <ErrorNotice error={overlayError} context="Roads unavailable" compact />
        </div>
      ) : null}
      <MapLegend clustered={clustered} />
    </div>
  );
}
