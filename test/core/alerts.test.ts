// PROVES: the alerts projection raises geofence enter and exit, overspeed (the fleet's limit, or
//         a geofence's lower one inside it) once per episode, and stopped once per stop, only
//         from live fixes: a late (historical) fix and a flagged fix raise nothing; a geofence
//         applies to fixes recorded after its ring was set; an acknowledgement (any node's, the
//         first in total order) is shown with the alert; the same events folded in any order give
//         the same alerts, and a checkpoint keeps the acknowledgements.
// CATCHES: alerts fired by a dead zone's backlog or an impossible fix, alerts that differ
//          between nodes, an acknowledgement lost at a restart.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Value } from '../../src/core/encoding/canonical';
import type { FeedEvent } from '../../src/core/events/event';
import { KindHeads } from '../../src/core/evidence/input-frontier';
import { decodeFoldState, encodeFoldState } from '../../src/core/projections/checkpoint';
import { DEFAULT_SETTINGS, type FleetSettings } from '../../src/core/projections/fleet-settings';
import { applyAll, createProjections } from '../../src/core/projections/set';
import { crypto, FeedBuilder } from '../support/feeds';

const T0 = 1_780_000_000_000;
const MIN = 60_000;
// A square geofence of about 2 km around (-1.29, 36.82).
const DEPOT: Value = [
  [-1.3, 36.81],
  [-1.3, 36.83],
  [-1.28, 36.83],
  [-1.28, 36.81],
];
const INSIDE = -1_290_000;
const OUTSIDE = -1_320_000; // 3.3 km south

function geofence(by: FeedBuilder, maxSpeed?: number): void {
  by.add('record.create', { record_id: 'G-depot', form: 'geofence' }, { wall: T0 - 10 * MIN, counter: 0 });
  by.add('field.set', { record_id: 'G-depot', field: 'name', value: 'Depot', deps: [] }, { wall: T0 - 10 * MIN, counter: 1 });
  by.add('field.set', { record_id: 'G-depot', field: 'ring', value: DEPOT, deps: [] }, { wall: T0 - 10 * MIN, counter: 2 });
  if (maxSpeed !== undefined) by.add('field.set', { record_id: 'G-depot', field: 'max_speed_kmh', value: maxSpeed, deps: [] }, { wall: T0 - 10 * MIN, counter: 3 });
}

function fix(kit: FeedBuilder, minute: number, lat: number, speed?: number, recordedMinute = minute): FeedEvent {
  const payload: Record<string, Value> = { truck: 'T-1', fix_ms: T0 + minute * MIN, lat_e6: lat, lon_e6: 36_820_000 };
  if (speed !== undefined) payload['speed_kmh'] = speed;
  return kit.add('truck.position', payload, { wall: T0 + recordedMinute * MIN + 500, counter: 0 });
}

function alerts(events: FeedEvent[], settings: FleetSettings = DEFAULT_SETTINGS) {
  const set = createProjections(settings);
  applyAll(set, events);
  return { set, list: set.alerts.alerts().map((a) => [a.kind, (a.atMs - T0) / MIN]) };
}

describe('alerts projection', () => {
  it('geofence_enter_and_exit_are_raised_by_crossings_of_live_fixes', () => {
    const camp = new FeedBuilder('alerts-camp');
    geofence(camp);
    const kit = new FeedBuilder('alerts-kit');
    fix(kit, 0, OUTSIDE, 40);
    fix(kit, 2, INSIDE, 40);
    fix(kit, 4, INSIDE, 10);
    fix(kit, 6, OUTSIDE, 40);
    expect(alerts([...camp.events, ...kit.events]).list).toEqual([
      ['geofence_enter', 2],
      ['geofence_exit', 6],
    ]);
  });

  it('a_late_fix_and_a_flagged_fix_raise_nothing', () => {
    const camp = new FeedBuilder('alerts-camp');
    geofence(camp);
    const kit = new FeedBuilder('alerts-kit');
    fix(kit, 0, OUTSIDE, 40);
    fix(kit, 4, OUTSIDE, 40);
    fix(kit, 2, INSIDE, 40, 5); // taken inside, recorded after the 4-minute fix: historical
    fix(kit, 5, 40_000_000, 40); // 4,500 km away in a minute: flagged, never inside anything
    fix(kit, 6, OUTSIDE, 40);
    const { set, list } = alerts([...camp.events, ...kit.events]);
    expect(list).toEqual([]);
    const trail = set.fleet.summary('T-1', 10)!.trail;
    expect(trail.map((f) => [f.historical, f.flag])).toEqual([
      [false, null],
      [true, null],
      [false, null],
      [false, 'implied_speed_over_limit'],
      [false, null],
    ]);
  });

  it('overspeed_is_raised_once_per_episode_with_the_lower_limit_of_a_geofence_inside_it', () => {
    const camp = new FeedBuilder('alerts-camp');
    geofence(camp, 30);
    const kit = new FeedBuilder('alerts-kit');
    fix(kit, 0, OUTSIDE, 70);
    fix(kit, 1, OUTSIDE - 100, 90);
    fix(kit, 2, OUTSIDE - 200, 95);
    fix(kit, 3, OUTSIDE - 300, 60);
    fix(kit, 10, INSIDE, 40);
    const { list, set } = alerts([...camp.events, ...kit.events], { ...DEFAULT_SETTINGS, overspeedKmh: 80 });
    expect(list).toEqual([
      ['overspeed', 1],
      ['geofence_enter', 10],
      ['overspeed', 10],
    ]);
    expect(set.alerts.alerts().filter((a) => a.kind === 'overspeed').map((a) => a.limitKmh)).toEqual([80, 30]);
    expect(alerts([...camp.events, ...kit.events]).list, 'no fleet limit: only the geofence one').toEqual([
      ['geofence_enter', 10],
      ['overspeed', 10],
    ]);
  });

  it('stopped_is_raised_once_a_truck_stands_for_the_fleet_limit', () => {
    const kit = new FeedBuilder('alerts-kit');
    for (let m = 0; m <= 14; m += 2) fix(kit, m, INSIDE + (m % 4) * 10, 0);
    fix(kit, 16, INSIDE + 20_000, 50);
    expect(alerts(kit.events, { ...DEFAULT_SETTINGS, stoppedAlertMs: 10 * MIN }).list).toEqual([['stopped', 10]]);
    expect(alerts(kit.events).list, 'off by default').toEqual([]);
  });

  it('a_geofence_applies_to_fixes_recorded_after_its_ring_was_set', () => {
    const kit = new FeedBuilder('alerts-kit');
    fix(kit, 0, OUTSIDE, 40);
    fix(kit, 2, INSIDE, 40);
    const camp = new FeedBuilder('alerts-camp-late');
    camp.add('record.create', { record_id: 'G-depot', form: 'geofence' }, { wall: T0 + 3 * MIN, counter: 0 });
    camp.add('field.set', { record_id: 'G-depot', field: 'ring', value: DEPOT, deps: [] }, { wall: T0 + 3 * MIN, counter: 1 });
    fix(kit, 4, OUTSIDE, 40);
    fix(kit, 6, INSIDE, 40);
    expect(alerts([...kit.events, ...camp.events]).list).toEqual([['geofence_enter', 6]]);
  });

  it('an_acknowledgement_from_any_node_is_shown_and_kept_by_a_checkpoint', () => {
    const camp = new FeedBuilder('alerts-camp');
    geofence(camp);
    const kit = new FeedBuilder('alerts-kit');
    fix(kit, 0, OUTSIDE, 40);
    fix(kit, 2, INSIDE, 40);
    const { set } = alerts([...camp.events, ...kit.events]);
    const id = set.alerts.alerts()[0]!.id;
    const base = new FeedBuilder('alerts-base');
    base.add('alert.ack', { alert: id, note: 'driver called in' }, { wall: T0 + 5 * MIN, counter: 0 });
    camp.add('alert.ack', { alert: id }, { wall: T0 + 6 * MIN, counter: 0 });
    camp.add('alert.ack', { alert: 'quiet:T-7:1780000000000' }, { wall: T0 + 6 * MIN, counter: 1 });
    const acked = createProjections();
    applyAll(acked, [...camp.events, ...kit.events, ...base.events]);
    expect(acked.alerts.acknowledgement(id)).toMatchObject({ at: { author: base.author }, note: 'driver called in' });
    const view = acked.alerts.view() as { alerts: { ack: unknown }[]; other_acks: Record<string, unknown> };
    expect(view.alerts[0]!.ack).toMatchObject({ author: base.author, note: 'driver called in' });
    expect(Object.keys(view.other_acks)).toEqual(['quiet:T-7:1780000000000']);
    const restored = decodeFoldState(encodeFoldState({ set: acked, heads: new KindHeads(), events: 0, extras: null }, crypto)).set;
    expect(restored.alerts.view()).toEqual(acked.alerts.view());
  });

  it('the_same_events_in_any_order_give_the_same_alerts', () => {
    const camp = new FeedBuilder('alerts-camp');
    geofence(camp, 50);
    const kits = [new FeedBuilder('alerts-kit-a'), new FeedBuilder('alerts-kit-b')];
    const lats = [OUTSIDE, INSIDE, INSIDE, OUTSIDE, INSIDE, OUTSIDE, OUTSIDE, INSIDE];
    lats.forEach((lat, i) => fix(kits[i % 2]!, i * 2, lat, 30 + (i % 3) * 20, i * 2 + (i === 5 ? 7 : 0)));
    const events = [...camp.events, ...kits[0]!.events, ...kits[1]!.events];
    const reference = JSON.stringify(alerts(events, { ...DEFAULT_SETTINGS, overspeedKmh: 60 }).set.alerts.view());
    expect(reference).toContain('geofence_enter');
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), (order) => {
        expect(JSON.stringify(alerts(order, { ...DEFAULT_SETTINGS, overspeedKmh: 60 }).set.alerts.view())).toBe(reference);
      }),
      { numRuns: 60 },
    );
  });
});
