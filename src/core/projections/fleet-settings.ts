// The fleet's plausibility settings: which filters judge a truck's fixes, and their thresholds.
// They are part of the fleet projection's input, like the events: the same events under the same
// settings give the same flags on every node, and a report names the settings it was folded with
// (so a verifier replays under them, and two nodes with different settings can say so).
//
// Each filter flags a fix with a stable reason code; a flagged fix is kept (auditors need it),
// shown, and left out of the current position and of live alerts. A filter set to null is off.
import { hashCanonical, type Value, type ValueMap } from '../encoding/canonical';
import { toHex } from '../encoding/bytes';
import type { Hasher } from '../crypto/ports';

export interface FleetSettings {
  /** Implied speed above this between consecutive plausible fixes: implied_speed_over_limit. */
  readonly maxSpeedKmh: number;
  /** Movements shorter than this are GPS jitter: never flagged for speed, jump or teleport. */
  readonly jitterMeters: number;
  /** A fix this far after its author's clock at recording time: fix_in_future. */
  readonly futureToleranceMs: number;
  /** A fix this much older than its recording time: fix_too_old (null: off). */
  readonly maxAgeMs: number | null;
  /** A fix whose reported accuracy radius is above this: poor_accuracy (null: off). */
  readonly maxAccuracyM: number | null;
  /** A fix with the time, position, speed and heading of an earlier one: duplicate_fix. */
  readonly duplicates: boolean;
  /** Moving more than `meters` in less than `withinMs`: jump (null: off). */
  readonly jump: { readonly meters: number; readonly withinMs: number } | null;
  /**
   * Stationary drift: while a truck stands (reported speed at most `maxSpeedKmh` at both fixes),
   * a fix that wanders within `radiusMeters` of where it stopped: stationary_drift (null: off).
   */
  readonly drift: { readonly radiusMeters: number; readonly maxSpeedKmh: number } | null;
  /**
   * The event-time latch in judgement: a historical fix (recorded after a newer fix of its
   * truck) is judged, but never becomes the fix later ones are judged against, so a late fix
   * cannot change what the live fixes were found to be. Off in the legacy settings.
   */
  readonly latch: boolean;
  /** Alerts: a live fix reporting more than this speed (a geofence may set a lower one inside it); null: off. */
  readonly overspeedKmh: number | null;
  /** Alerts: a truck standing (within 100 m, at most 3 km/h) this long; null: off. */
  readonly stoppedAlertMs: number | null;
  /** Alerts, on this node's clock: no fix from a truck for this long; null: off. */
  readonly quietAlertMs: number | null;
}

/** The filters every fleet report before the settings existed was folded with. */
export const LEGACY_SETTINGS: FleetSettings = {
  maxSpeedKmh: 180,
  jitterMeters: 100,
  futureToleranceMs: 5 * 60_000,
  maxAgeMs: null,
  maxAccuracyM: null,
  duplicates: false,
  jump: null,
  drift: null,
  latch: false,
  overspeedKmh: null,
  stoppedAlertMs: null,
  quietAlertMs: null,
};

/**
 * A new node's settings: the legacy filters, exact duplicates and the latch. The age, accuracy,
 * jump and drift filters are off until a fleet sets them (as Traccar's are): an old fix never
 * displaces a newer one anyway, and a truck's only fix, however old, is still where it was last seen.
 */
export const DEFAULT_SETTINGS: FleetSettings = { ...LEGACY_SETTINGS, duplicates: true, latch: true, quietAlertMs: 30 * 60_000 };

export class FleetSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FleetSettingsError';
  }
}

/** The settings as a canonical value (snake_case keys, every filter present, null when off). */
export function settingsToValue(s: FleetSettings): ValueMap {
  return {
    max_speed_kmh: s.maxSpeedKmh,
    jitter_m: s.jitterMeters,
    future_tolerance_ms: s.futureToleranceMs,
    max_age_ms: s.maxAgeMs,
    max_accuracy_m: s.maxAccuracyM,
    duplicates: s.duplicates,
    jump_m: s.jump?.meters ?? null,
    jump_within_ms: s.jump?.withinMs ?? null,
    drift_radius_m: s.drift?.radiusMeters ?? null,
    drift_max_speed_kmh: s.drift?.maxSpeedKmh ?? null,
    latch: s.latch,
    overspeed_kmh: s.overspeedKmh,
    stopped_alert_ms: s.stoppedAlertMs,
    quiet_alert_ms: s.quietAlertMs,
  };
}

/** The keys of settingsToValue, for a CLI or a form that sets them one by one. */
export const SETTING_KEYS = Object.keys(settingsToValue(LEGACY_SETTINGS));

/** What each setting does, in words (the CLI and the console show them). */
export const SETTING_HELP: Readonly<Record<string, string>> = {
  max_speed_kmh: 'implied speed between fixes above this is impossible (implied_speed_over_limit)',
  jitter_m: 'movements shorter than this are GPS jitter, never flagged for speed, jump or teleport',
  future_tolerance_ms: "a fix this far after its recorder's clock is in the future (fix_in_future)",
  max_age_ms: 'a fix this much older than when it was recorded is too old (fix_too_old); null: off',
  max_accuracy_m: 'a fix whose accuracy radius is above this is flagged (poor_accuracy); null: off',
  duplicates: 'a fix with the time, position, speed and heading of an earlier one (duplicate_fix)',
  jump_m: 'moving more than this in less than jump_within_ms is a jump (jump); null: off',
  jump_within_ms: 'the time window of jump_m',
  drift_radius_m: 'while standing, a fix wandering within this of where the truck stopped (stationary_drift); null: off',
  drift_max_speed_kmh: 'a truck reporting at most this speed is standing, for drift_radius_m',
  latch: 'a historical fix (recorded after a newer one) never becomes the fix later ones are judged against',
  overspeed_kmh: 'alert when a live fix reports more than this speed (a geofence may set its own); null: off',
  stopped_alert_ms: 'alert when a truck stands (within 100 m, at most 3 km/h) this long; null: off',
  quiet_alert_ms: "alert when no fix came from a truck for this long (on this node's clock); null: off",
};

function positive(m: ValueMap, key: string, nullable: boolean): number | null {
  const v = m[key];
  if (v === null && nullable) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new FleetSettingsError(`fleet setting ${key} must be a number above 0${nullable ? ' (or null to turn the filter off)' : ''}`);
  }
  return v;
}

function flag(m: ValueMap, key: string): boolean {
  const v = m[key];
  if (typeof v !== 'boolean') throw new FleetSettingsError(`fleet setting ${key} must be true or false`);
  return v;
}

function pair(a: number | null, b: number | null, names: string): [number, number] | null {
  if ((a === null) !== (b === null)) throw new FleetSettingsError(`fleet settings ${names} go together: set both, or both to null`);
  return a === null ? null : [a, b!];
}

/** Parses settings; keys left out keep `base`'s values. Throws FleetSettingsError naming the bad key. */
export function settingsFromValue(v: Value, base: FleetSettings = DEFAULT_SETTINGS): FleetSettings {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) throw new FleetSettingsError('fleet settings must be an object');
  const given = v as ValueMap;
  for (const k of Object.keys(given)) if (!SETTING_KEYS.includes(k)) throw new FleetSettingsError(`unknown fleet setting ${k.slice(0, 40)}; the settings are ${SETTING_KEYS.join(', ')}`);
  const m: ValueMap = { ...settingsToValue(base), ...given };
  const jump = pair(positive(m, 'jump_m', true), positive(m, 'jump_within_ms', true), 'jump_m and jump_within_ms');
  const drift = pair(positive(m, 'drift_radius_m', true), positive(m, 'drift_max_speed_kmh', true), 'drift_radius_m and drift_max_speed_kmh');
  return {
    maxSpeedKmh: positive(m, 'max_speed_kmh', false)!,
    jitterMeters: positive(m, 'jitter_m', false)!,
    futureToleranceMs: positive(m, 'future_tolerance_ms', false)!,
    maxAgeMs: positive(m, 'max_age_ms', true),
    maxAccuracyM: positive(m, 'max_accuracy_m', true),
    duplicates: flag(m, 'duplicates'),
    jump: jump && { meters: jump[0], withinMs: jump[1] },
    drift: drift && { radiusMeters: drift[0], maxSpeedKmh: drift[1] },
    latch: flag(m, 'latch'),
    overspeedKmh: positive(m, 'overspeed_kmh', true),
    stoppedAlertMs: positive(m, 'stopped_alert_ms', true),
    quietAlertMs: positive(m, 'quiet_alert_ms', true),
  };
}

/** A short digest of the settings (hex), for a fold-version tag and for comparing with peers. */
export function settingsDigest(s: FleetSettings, hasher: Hasher): string {
  return toHex(hashCanonical(settingsToValue(s), hasher)).slice(0, 16);
}

/** The settings that differ between two nodes, in words ("max_speed_kmh 180 here, 120 there"). */
export function settingsDifferences(ours: FleetSettings, theirs: FleetSettings): string[] {
  const a = settingsToValue(ours);
  const b = settingsToValue(theirs);
  return SETTING_KEYS.filter((k) => a[k] !== b[k]).map((k) => `${k} ${String(a[k])} here, ${String(b[k])} there`);
}

export function sameSettings(a: FleetSettings, b: FleetSettings): boolean {
  return settingsDifferences(a, b).length === 0;
}
