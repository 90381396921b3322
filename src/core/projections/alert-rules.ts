// The alert rules over one truck's live fixes (plausible and not historical), taken in trail
// order, which for live fixes is also the order they were recorded in. A pure state machine:
// the same fixes, geofences and settings give the same alerts on every node.
//   geofence_enter / geofence_exit  the truck crossed a geofence's boundary (the first live fix
//                                   after a geofence took force only says where the truck is);
//   overspeed                       a reported speed above the limit: the fleet's, or a lower
//                                   one of a geofence the truck is in; once per episode;
//   stopped                         standing (within STOP_RADIUS_M, at most STANDING_KMH) for the
//                                   fleet's stopped_alert_ms; once per stop.
import { compareTotalOrder, type EventBody } from '../events/event';
import { distanceMeters, e6ToDegrees, insidePolygon } from '../geo/geo';
import type { EvaluatedFix } from './fleet-trail';
import type { FleetSettings } from './fleet-settings';

export const STOP_RADIUS_M = 100;
export const STANDING_KMH = 3;

export type AlertKind = 'geofence_enter' | 'geofence_exit' | 'overspeed' | 'stopped';

export interface Geofence {
  readonly id: string;
  readonly name: string;
  /** [lat, lon] vertices in degrees. */
  readonly ring: readonly (readonly [number, number])[];
  readonly maxSpeedKmh: number | null;
  /** The write that set the ring: it applies to fixes recorded after it. */
  readonly since: EventBody;
}

export interface Alert {
  /** Stable: the kind, the truck, the fix that raised it (and the geofence). */
  readonly id: string;
  readonly kind: AlertKind;
  readonly truck: string;
  readonly atMs: number;
  readonly fix: EvaluatedFix;
  readonly geofence: string | null;
  readonly speedKmh: number | null;
  readonly limitKmh: number | null;
  /** stopped: since when. */
  readonly sinceMs: number | null;
}

/** Where a truck's rules stand after the fixes taken so far. */
export class TruckAlertState {
  /** Per geofence in force: inside (true), outside (false). */
  private readonly where = new Map<string, boolean>();
  private speeding = false;
  private stop: { anchor: EvaluatedFix; raised: boolean } | null = null;

  constructor(
    private readonly truck: string,
    private readonly settings: FleetSettings,
  ) {}

  /** Takes one live fix; returns the alerts it raises. */
  take(f: EvaluatedFix, fences: readonly Geofence[]): Alert[] {
    const out: Alert[] = [];
    const base = { truck: this.truck, atMs: f.fixMs, fix: f, speedKmh: f.speedKmh, limitKmh: null, sinceMs: null };
    const ref = `${this.truck}:${f.at.author.slice(0, 16)}:${f.at.seq}`;
    const lat = e6ToDegrees(f.latE6);
    const lon = e6ToDegrees(f.lonE6);
    let limit = this.settings.overspeedKmh;
    for (const g of fences) {
      if (compareTotalOrder(g.since, f.at) >= 0) continue; // not in force yet for this fix
      const inside = insidePolygon(lat, lon, g.ring);
      const was = this.where.get(g.id);
      this.where.set(g.id, inside);
      if (was !== undefined && was !== inside) {
        const kind = inside ? 'geofence_enter' : 'geofence_exit';
        out.push({ ...base, id: `${kind}:${g.id}:${ref}`, kind, geofence: g.id });
      }
      if (inside && g.maxSpeedKmh !== null) limit = limit === null ? g.maxSpeedKmh : Math.min(limit, g.maxSpeedKmh);
    }
    if (f.speedKmh !== null && limit !== null) {
      const over = f.speedKmh > limit;
      if (over && !this.speeding) out.push({ ...base, id: `overspeed:${ref}`, kind: 'overspeed', geofence: null, limitKmh: limit });
      this.speeding = over;
    }
    this.takeStop(f, out, base, ref);
    return out;
  }

  private takeStop(f: EvaluatedFix, out: Alert[], base: Omit<Alert, 'id' | 'kind' | 'geofence'>, ref: string): void {
    const limitMs = this.settings.stoppedAlertMs;
    const standing = f.speedKmh === null || f.speedKmh <= STANDING_KMH;
    const anchor = this.stop?.anchor;
    const near = anchor ? distanceMeters(e6ToDegrees(anchor.latE6), e6ToDegrees(anchor.lonE6), e6ToDegrees(f.latE6), e6ToDegrees(f.lonE6)) <= STOP_RADIUS_M : false;
    if (!standing || (anchor && !near)) {
      this.stop = standing ? { anchor: f, raised: false } : null;
      return;
    }
    if (!this.stop) {
      this.stop = { anchor: f, raised: false };
      return;
    }
    if (limitMs !== null && !this.stop.raised && f.fixMs - this.stop.anchor.fixMs >= limitMs) {
      this.stop.raised = true;
      out.push({ ...base, id: `stopped:${ref}`, kind: 'stopped', geofence: null, sinceMs: this.stop.anchor.fixMs });
    }
  }
}
