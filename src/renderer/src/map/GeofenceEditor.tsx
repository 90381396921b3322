// Drawing a geofence on the map: "Draw geofence", a click per corner, a name and an optional
// speed limit, then Save; or "Edit…" an existing one: its corners are on the map, drag one to
// move it, click the map to add one. The geofence is a record of form "geofence" (a create and
// field writes, which replicate like any record).
import { useEffect, useState } from 'react';
import type { GeoJSONSource, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { Feature, FeatureCollection } from 'geojson';
import type { GeofenceDto } from '../../../shared/api';
import { Icon } from '../components/Icon';
import { ErrorNotice } from '../components/StatusMessage';
import { describeError } from '../lib/errors';
import { useSession } from '../store/session-context';
import { LAYER, SOURCE } from './map-style';

type Corner = readonly [lat: number, lon: number];

function draftFeatures(corners: readonly Corner[]): FeatureCollection {
  const coords = corners.map(([lat, lon]) => [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]);
  const features: Feature[] = coords.map((c, i) => ({ type: 'Feature', properties: { corner: i }, geometry: { type: 'Point', coordinates: c } }));
  if (coords.length >= 2) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: coords.length >= 3 ? [...coords, coords[0]!] : coords } });
  return { type: 'FeatureCollection', features };
}

/** A record id from a name: "G-" and the name's letters and digits. */
export function geofenceIdOf(name: string): string {
  return `G-${name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'fence'}`;
}

export function GeofenceEditor({ map, geofences }: { map: MapLibreMap | null; geofences: readonly GeofenceDto[] }) {
  const { bridge } = useSession();
  const [editing, setEditing] = useState<{ id: string | null } | null>(null);
  const [corners, setCorners] = useState<Corner[]>([]);
  const [name, setName] = useState('');
  const [maxSpeed, setMaxSpeed] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ReturnType<typeof describeError> | null>(null);

  useEffect(() => {
    if (!map || !editing) return;
    const canvas = map.getCanvas();
    // A press on a corner drags it (the map does not pan meanwhile); a click elsewhere adds one.
    let dragging: number | null = null;
    let dragged = false;
    const cornerAt = (e: MapMouseEvent): number | null => {
      const hit = map.queryRenderedFeatures(e.point, { layers: [LAYER.geofenceDraftPoints] })[0];
      return typeof hit?.properties?.['corner'] === 'number' ? (hit.properties['corner'] as number) : null;
    };
    const down = (e: MapMouseEvent) => {
      const corner = cornerAt(e);
      if (corner === null) return;
      e.preventDefault();
      dragging = corner;
      dragged = false;
      map.dragPan.disable();
      canvas.style.cursor = 'grabbing';
    };
    const move = (e: MapMouseEvent) => {
      if (dragging === null) {
        canvas.style.cursor = cornerAt(e) === null ? 'crosshair' : 'grab';
        return;
      }
      dragged = true;
      const at = dragging;
      setCorners((c) => c.map((corner, i) => (i === at ? ([e.lngLat.lat, e.lngLat.lng] as const) : corner)));
    };
    const up = () => {
      if (dragging === null) return;
      dragging = null;
      map.dragPan.enable();
      canvas.style.cursor = 'grab';
    };
    const click = (e: MapMouseEvent) => {
      if (dragged) {
        dragged = false;
        return;
      }
      if (cornerAt(e) !== null) return;
      setCorners((c) => [...c, [e.lngLat.lat, e.lngLat.lng]]);
    };
    map.on('mousedown', down);
    map.on('mousemove', move);
    map.on('mouseup', up);
    map.on('click', click);
    canvas.style.cursor = 'crosshair';
    return () => {
      map.off('mousedown', down);
      map.off('mousemove', move);
      map.off('mouseup', up);
      map.off('click', click);
      map.dragPan.enable();
      canvas.style.cursor = '';
    };
  }, [map, editing]);
  useEffect(() => {
    void map?.getSource<GeoJSONSource>(SOURCE.geofenceDraft)?.setData(draftFeatures(editing ? corners : []));
  }, [map, editing, corners]);

  const start = (id: string | null) => {
    const existing = geofences.find((g) => g.id === id);
    setEditing({ id });
    setCorners(existing ? existing.ring.map(([lat, lon]) => [lat, lon] as const) : []);
    setName(existing?.name ?? '');
    setMaxSpeed(existing?.maxSpeedKmh ? String(existing.maxSpeedKmh) : '');
    setError(null);
  };
  const save = async () => {
    const id = editing?.id ?? geofenceIdOf(name);
    setSaving(true);
    setError(null);
    try {
      const steps = [];
      if (!editing?.id) steps.push(await bridge.call('records.create', { recordId: id, form: 'geofence' }));
      steps.push(await bridge.call('records.setField', { recordId: id, field: 'name', value: name.trim() || id }));
      steps.push(await bridge.call('records.setField', { recordId: id, field: 'ring', value: corners.map(([lat, lon]) => [Math.round(lat * 1e6) / 1e6, Math.round(lon * 1e6) / 1e6]) }));
      if (maxSpeed.trim()) steps.push(await bridge.call('records.setField', { recordId: id, field: 'max_speed_kmh', value: Number(maxSpeed) }));
      const refused = steps.find((s) => !s.ok);
      if (refused && !refused.ok) setError({ code: refused.code, message: refused.message });
      else setEditing(null);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setSaving(false);
    }
  };
  const speedOk = maxSpeed.trim() === '' || (Number.isFinite(Number(maxSpeed)) && Number(maxSpeed) > 0);

  if (!editing) {
    return (
      <div className="geofence-tools">
        <button type="button" className="map-tool" onClick={() => start(null)} disabled={!map} data-testid="geofence-draw">
          <Icon name="plus" size={15} /> Draw geofence
        </button>
        {geofences.length ? (
          <select className="map-tool" aria-label="Edit a geofence" value="" onChange={(e) => e.target.value && start(e.target.value)} data-testid="geofence-edit">
            <option value="">Edit…</option>
            {geofences.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        ) : null}
      </div>
    );
  }
  return (
    <div className="geofence-editor" data-testid="geofence-editor">
      <div className="geofence-editor-title">{editing.id ? `Edit ${geofences.find((g) => g.id === editing.id)?.name ?? editing.id}` : 'New geofence'}</div>
      <p className="muted">
        {editing.id ? 'Drag a corner to move it; click the map to add one' : 'Click the map at each corner'} ({corners.length} so far; at least 3). Alerts fire when a truck crosses it.
      </p>
      <label className="field">
        <span className="field-label">Name</span>
        <input className="text-input" name="geofence-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Depot" />
      </label>
      <label className="field">
        <span className="field-label">Speed limit inside (km/h, optional)</span>
        <input className="text-input" name="geofence-speed" value={maxSpeed} onChange={(e) => setMaxSpeed(e.target.value)} inputMode="numeric" />
      </label>
      <div className="form-row">
        <button type="button" className="button button-primary" disabled={saving || corners.length < 3 || (!editing.id && !name.trim()) || !speedOk} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save geofence'}
        </button>
        <button type="button" className="button" disabled={corners.length === 0} onClick={() => setCorners((c) => c.slice(0, -1))}>
          Remove last corner
        </button>
        <button type="button" className="button" onClick={() => setEditing(null)}>
          Cancel
        </button>
      </div>
      {error ? <ErrorNotice error={error} compact /> : null}
    </div>
  );
}
