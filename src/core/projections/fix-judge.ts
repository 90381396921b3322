// The plausibility filters as pure functions of fixes and the fleet's settings. A static flag
// needs only the fix; a motion flag compares it with the last plausible fix before it in the
// trail. Every node that holds the same fixes under the same settings judges them alike.
import { distanceMeters, e6ToDegrees } from '../geo/geo';
import type { FleetSettings } from './fleet-settings';

/** Stable reason codes, in the order they are checked. */
export type FixFlag =
  | 'coordinates_out_of_range'
  | 'null_island'
  | 'fix_in_future'
  | 'fix_too_old'
  | 'poor_accuracy'
  | 'duplicate_fix'
  | 'teleport'
  | 'jump'
  | 'implied_speed_over_limit'
  | 'stationary_drift';

/** What a filter reads of a fix. */
export interface JudgedPoint {
  readonly fixMs: number;
  readonly latE6: number;
  readonly lonE6: number;
  readonly speedKmh: number | null;
  readonly headingDeg: number | null;
  readonly accuracyM: number | null;
  /** The HLC wall of the event that recorded the fix (its author's clock then). */
  readonly recordedMs: number;
}

/** The filters that need only the fix itself (a fix they flag also never moves the latch). */
export function staticFlag(f: JudgedPoint, s: FleetSettings): FixFlag | null {
  if (Math.abs(f.latE6) > 90_000_000 || Math.abs(f.lonE6) > 180_000_000) return 'coordinates_out_of_range';
  if (f.latE6 === 0 && f.lonE6 === 0) return 'null_island';
  if (f.fixMs > f.recordedMs + s.futureToleranceMs) return 'fix_in_future';
  if (s.maxAgeMs !== null && f.fixMs < f.recordedMs - s.maxAgeMs) return 'fix_too_old';
  if (s.maxAccuracyM !== null && f.accuracyM !== null && f.accuracyM > s.maxAccuracyM) return 'poor_accuracy';
  return null;
}

/** Same time, place, speed and heading: the same fix delivered twice (by two vendors, a retry). */
export function isDuplicate(a: JudgedPoint, b: JudgedPoint): boolean {
  return a.fixMs === b.fixMs && a.latE6 === b.latE6 && a.lonE6 === b.lonE6 && a.speedKmh === b.speedKmh && a.headingDeg === b.headingDeg;
}

/** Judges `f` against `prev`, the last plausible fix before it in event-time order. */
export function motionFlag(prev: JudgedPoint, f: JudgedPoint, s: FleetSettings): FixFlag | null {
  const meters = distanceMeters(e6ToDegrees(prev.latE6), e6ToDegrees(prev.lonE6), e6ToDegrees(f.latE6), e6ToDegrees(f.lonE6));
  const drift = s.drift;
  if (drift && meters > 0 && meters <= drift.radiusMeters && standing(prev, drift.maxSpeedKmh) && standing(f, drift.maxSpeedKmh)) return 'stationary_drift';
  if (meters <= s.jitterMeters) return null;
  const dtMs = f.fixMs - prev.fixMs;
  if (dtMs <= 0) return 'teleport';
  if (s.jump && meters > s.jump.meters && dtMs < s.jump.withinMs) return 'jump';
  const kmh = meters / 1000 / (dtMs / 3_600_000);
  return kmh > s.maxSpeedKmh ? 'implied_speed_over_limit' : null;
}

function standing(f: JudgedPoint, maxKmh: number): boolean {
  return f.speedKmh !== null && f.speedKmh <= maxKmh;
}
