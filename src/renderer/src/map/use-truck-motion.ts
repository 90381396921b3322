// Drives position-tween.ts on the live map: when a push moves trucks, each glides to its new fix
// over a frame loop that runs only while something moves or pulses, and each ring is a feature
// state (`pulse`, 0 to 1) that the pulse layer draws. Off for a clustered fleet (thousands of
// glides a second would cost more than they show) and for users who ask the system for less motion.
// Test hooks on the map's container: data-glides="N" and data-pulses="N", how many have started.
import { useEffect, useMemo } from 'react';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { monotonicMs } from '../lib/clock';
import type { TruckTrack } from '../store/trail-merge';
import { SOURCE } from './map-style';
import { PositionTween, type LonLat } from './position-tween';

/** Call after the new positions went to the trucks source (the glide starts back where the truck was). */
export function useTruckMotion(map: MapLibreMap | null, tracks: readonly TruckTrack[], enabled: boolean): void {
  const tween = useMemo(() => (map ? new PositionTween() : null), [map]);
  const reducedMotion = useMemo(() => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false, []);
  const on = enabled && !reducedMotion;

  useEffect(() => {
    const source = map?.getSource<GeoJSONSource>(SOURCE.trucks);
    if (!map || !tween || !source) return;
    const place = (positions: Iterable<readonly [string, LonLat]>) => {
      const update = [...positions].map(([id, [lon, lat]]) => ({ id, newGeometry: { type: 'Point' as const, coordinates: [lon, lat] } }));
      if (update.length > 0) void source.updateData({ update });
    };
    if (!on) {
      // Turned off (a clustered fleet) with glides in flight: no truck is left between two fixes and
      // no ring half drawn; then forget what was held, so turning on again glides nothing old.
      place(tween.inFlight());
      for (const id of tween.pulsing()) map.removeFeatureState({ source: SOURCE.trucks, id }, 'pulse');
      tween.keepOnly(new Set());
      return;
    }
    const latest: [string, LonLat][] = [];
    for (const t of tracks) if (t.summary.current) latest.push([t.summary.truck, [t.summary.current.lon, t.summary.current.lat]]);
    tween.keepOnly(new Set(latest.map(([truck]) => truck)));
    const started = tween.update(latest, monotonicMs());
    const element = map.getContainer();
    const count = (name: string, n: number) => n > 0 && element.setAttribute(name, String(Number(element.getAttribute(name) ?? 0) + n));
    count('data-glides', started.glides);
    count('data-pulses', started.pulses);
    let frame = 0;
    const draw = () => {
      const f = tween.frame(monotonicMs());
      place(f.positions);
      for (const [id, pulse] of f.pulses) map.setFeatureState({ source: SOURCE.trucks, id }, { pulse });
      for (const id of f.pulsesEnded) map.removeFeatureState({ source: SOURCE.trucks, id }, 'pulse');
      if (f.active) frame = requestAnimationFrame(draw);
    };
    draw();
    // The next push re-runs this and goes on from where the glides are.
    return () => cancelAnimationFrame(frame);
  }, [map, tween, tracks, on]);
}
