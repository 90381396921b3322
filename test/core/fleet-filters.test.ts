// PROVES: each plausibility filter flags its fix with its stable reason code, and the fix is kept
//         (in the fleet's view, in the conflict timeline) and left out of the current position;
//         a filter that is off flags nothing; the event-time latch marks a fix recorded after a
//         newer one historical, the same whatever order the events are folded in, and with the
//         latch on a late fix cannot flag a live fix and move the truck back; settings parse
//         strictly and name the bad key.
// CATCHES: a filter that drops fixes, flags under the wrong code, fires when off, or a late fix
//          that changes which fix is current.
import { describe, expect, it } from 'vitest';
import type { Value } from '../../src/core/encoding/canonical';
import type { FeedEvent } from '../../src/core/events/event';
import { DEFAULT_SETTINGS, LEGACY_SETTINGS, settingsDifferences, settingsFromValue, type FleetSettings } from '../../src/core/projections/fleet-settings';
import { applyAll, createProjections, projectionHashes } from '../../src/core/projections/set';
import { crypto, FeedBuilder } from '../support/feeds';

const T0 = 1_780_000_000_000;
const LAT = -1_290_000;
const LON = 36_820_000;
/** About 1 km of latitude, in microdegrees. */
const KM = 8_993;

interface FixSpec {
  readonly t: number;
  readonly dLat?: number;
  readonly lat?: number;
  readonly lon?: number;
  readonly speed?: number;
  readonly accuracy?: number;
  /** Recorded this long after the fix (ms). */
  readonly delay?: number;
}

function fixes(specs: readonly FixSpec[], kit = new FeedBuilder('filter-kit')): FeedEvent[] {
  for (const s of specs) {
    const payload: Record<string, Value> = { truck: 'T-1', fix_ms: T0 + s.t, lat_e6: s.lat ?? LAT + Math.round(s.dLat ?? 0), lon_e6: s.lon ?? LON };
    if (s.speed !== undefined) payload['speed_kmh'] = s.speed;
    if (s.accuracy !== undefined) payload['accuracy_m'] = s.accuracy;
    kit.add('truck.position', payload, { wall: T0 + s.t + (s.delay ?? 500), counter: 0 });
  }
  return kit.events;
}

function judge(events: FeedEvent[], settings: FleetSettings) {
  const set = createProjections(settings);
  applyAll(set, events);
  const s = set.fleet.summary('T-1', 1000)!;
  return { set, summary: s, flags: s.trail.map((f) => f.flag), reasons: set.conflicts.entries().filter((e) => e.kind === 'implausible_fix').map((e) => (e.detail as { reason: string }).reason) };
}

// Each case: the fixes, the settings turning the filter on, and the index of the fix it flags.
const CASES: [code: string, specs: FixSpec[], settings: FleetSettings, flagged: number][] = [
  ['coordinates_out_of_range', [{ t: 0 }, { t: 60_000, lat: 95_000_000 }], DEFAULT_SETTINGS, 1],
  ['null_island', [{ t: 0 }, { t: 60_000, lat: 0, lon: 0 }], DEFAULT_SETTINGS, 1],
  ['fix_in_future', [{ t: 0 }, { t: 3_600_000, delay: -3_600_000 }], DEFAULT_SETTINGS, 1],
  ['fix_too_old', [{ t: 0, delay: 40 * 86_400_000 }, { t: 60_000 }], { ...DEFAULT_SETTINGS, maxAgeMs: 30 * 86_400_000 }, 0],
  ['poor_accuracy', [{ t: 0, accuracy: 8 }, { t: 60_000, accuracy: 900 }], { ...DEFAULT_SETTINGS, maxAccuracyM: 100 }, 1],
  ['duplicate_fix', [{ t: 0 }, { t: 60_000, dLat: KM }, { t: 60_000, dLat: KM }], DEFAULT_SETTINGS, 2],
  ['teleport', [{ t: 0 }, { t: 60_000, dLat: KM }, { t: 60_000, dLat: 3 * KM }], DEFAULT_SETTINGS, 2],
  ['jump', [{ t: 0 }, { t: 30_000, dLat: 1.4 * KM }], { ...DEFAULT_SETTINGS, jump: { meters: 1_000, withinMs: 60_000 } }, 1],
  ['implied_speed_over_limit', [{ t: 0 }, { t: 60_000, dLat: 10 * KM }], DEFAULT_SETTINGS, 1],
  ['stationary_drift', [{ t: 0, speed: 0 }, { t: 60_000, dLat: 0.02 * KM, speed: 1 }], { ...DEFAULT_SETTINGS, drift: { radiusMeters: 30, maxSpeedKmh: 2 } }, 1],
];

describe('plausibility filters', () => {
  it.each(CASES)('%s: the fix is kept, flagged with its code, in the timeline, and not current', (code, specs, settings, flagged) => {
    const { summary, flags, reasons } = judge(fixes(specs), settings);
    expect(summary.fixCount, 'every fix is kept').toBe(specs.length);
    expect(flags[flagged]).toBe(code);
    expect(flags.filter((f) => f !== null)).toEqual([code]);
    expect(reasons).toEqual([code]);
    const flaggedFix = summary.trail[flagged]!;
    expect(summary.current === null || summary.current.at.seq !== flaggedFix.at.seq, 'a flagged fix is never current').toBe(true);
  });

  it.each(CASES.filter(([code]) => ['poor_accuracy', 'duplicate_fix', 'jump', 'stationary_drift', 'fix_too_old'].includes(code)))('%s: off in the legacy settings, it flags nothing', (_code, specs) => {
    expect(judge(fixes(specs), LEGACY_SETTINGS).flags.every((f) => f === null)).toBe(true);
  });
});

describe('event-time latch', () => {
  // P and C are live; H is taken between them and recorded after C (a dead zone's backlog).
  // Judged against H, C would be impossible (3.5 km in 30 s); judged against P it is 150 km/h.
  const late: FixSpec[] = [
    { t: 0 },
    { t: 60_000, dLat: 2.5 * KM },
    { t: 30_000, dLat: -1 * KM, delay: 40_000 },
  ];

  it('a_late_fix_is_historical_and_never_moves_the_truck_back', () => {
    const { summary } = judge(fixes(late), DEFAULT_SETTINGS);
    expect(summary.trail.map((f) => [f.fixMs - T0, f.flag, f.historical])).toEqual([
      [0, null, false],
      [30_000, null, true],
      [60_000, null, false],
    ]);
    expect(summary.current?.fixMs).toBe(T0 + 60_000);
    expect(summary.historicalCount).toBe(1);
    // Without the latch (the legacy settings), the late fix re-judges C and the truck jumps back to H.
    const legacy = judge(fixes(late), LEGACY_SETTINGS).summary;
    expect(legacy.current?.fixMs).toBe(T0 + 30_000);
  });

  it('two_nodes_folding_the_same_events_in_other_orders_agree_on_flags_and_historical_marks', () => {
    const a = fixes([{ t: 0 }, { t: 60_000, dLat: 2.5 * KM }, { t: 120_000, dLat: 60 * KM }], new FeedBuilder('latch-kit-a'));
    const b = fixes([{ t: 30_000, dLat: -1 * KM, delay: 40_000 }, { t: 90_000, dLat: 3 * KM, delay: 1000 }, { t: 90_000, dLat: 3 * KM, delay: 1000 }], new FeedBuilder('latch-kit-b'));
    const marks = (events: FeedEvent[]) => {
      const { set, summary } = judge(events, DEFAULT_SETTINGS);
      return { trail: summary.trail.map((f) => [f.at.author.slice(0, 4), f.at.seq, f.flag, f.historical]), hashes: projectionHashes(set, crypto) };
    };
    const one = marks([...a, ...b]);
    expect(marks([...b, ...a])).toEqual(one);
    expect(marks([b[0]!, a[0]!, b[1]!, a[2]!, a[1]!, b[2]!])).toEqual(one);
    expect(one.trail.some((f) => f[3] === true), 'the world has a historical fix').toBe(true);
    expect(one.trail.some((f) => f[2] === 'duplicate_fix')).toBe(true);
  });
});

describe('fleet settings', () => {
  it('parse_strictly_and_name_the_bad_key', () => {
    expect(settingsFromValue({ max_speed_kmh: 120 }).maxSpeedKmh).toBe(120);
    expect(settingsFromValue({ jump_m: 500, jump_within_ms: 10_000 }).jump).toEqual({ meters: 500, withinMs: 10_000 });
    expect(() => settingsFromValue({ warp: 1 })).toThrow(/unknown fleet setting warp/);
    expect(() => settingsFromValue({ max_speed_kmh: -1 })).toThrow(/max_speed_kmh must be a number above 0/);
    expect(() => settingsFromValue({ max_speed_kmh: null })).toThrow(/max_speed_kmh/);
    expect(() => settingsFromValue({ jump_m: 500 })).toThrow(/jump_m and jump_within_ms go together/);
    expect(() => settingsFromValue({ duplicates: 1 })).toThrow(/duplicates must be true or false/);
    expect(settingsDifferences(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, maxSpeedKmh: 120 })).toEqual(['max_speed_kmh 180 here, 120 there']);
  });
});
