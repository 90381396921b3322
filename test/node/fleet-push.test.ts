// PROVES: fleet pushes carry only the trucks whose trails changed since the last push, numbered
//         1, 2, 3…; the first push, and the first after the fold was rebuilt, carry every truck;
//         the console's fold keeps the trucks a partial push leaves out as they were (the same
//         objects) and merges the ones it names; the map's source diff sends only what changed.
// CATCHES: a 5,000-truck fleet re-sent whole four times a second, a partial push that empties the
//          map of every truck it does not name, a map that re-uploads unchanged features.
import { describe, expect, it } from 'vitest';
import { FleetProjection } from '../../src/core/projections/fleet';
import { FleetPushes } from '../../src/node/api/fleet-push';
import { foldSnapshot } from '../../src/renderer/src/store/trail-merge';
import { SourceDiff } from '../../src/renderer/src/map/source-diff';
import { FeedBuilder } from '../support/feeds';

const T0 = 1_800_000_000_000;
const fix = (feed: FeedBuilder, truck: string, i: number) => feed.add('truck.position', { truck, fix_ms: T0 + i * 60_000, lat_e6: 1_000_000 + i * 500, lon_e6: 36_000_000, speed_kmh: 30, heading_deg: 0 }, { wall: T0 + i * 60_000 + 1000, counter: 0 });

describe('fleet pushes', () => {
  it('push_only_the_trucks_that_changed_and_whole_after_a_rebuild', () => {
    const kit = new FeedBuilder('kit');
    let fleet = new FleetProjection();
    for (const truck of ['T-1', 'T-2', 'T-3']) fleet.apply(fix(kit, truck, 1));
    const pushes = new FleetPushes(20);
    const first = pushes.next(fleet, T0);
    expect(first).toMatchObject({ partial: false, pushSeq: 1 });
    expect(first.trucks.map((t) => t.truck)).toEqual(['T-1', 'T-2', 'T-3']);

    fleet.apply(fix(kit, 'T-2', 2));
    const second = pushes.next(fleet, T0);
    expect(second).toMatchObject({ partial: true, pushSeq: 2 });
    expect(second.trucks.map((t) => [t.truck, t.fixCount])).toEqual([['T-2', 2]]);
    expect(pushes.next(fleet, T0)).toMatchObject({ partial: true, pushSeq: 3, trucks: [] });

    // A rebuilt fold (new filters: any flag may have changed) is pushed whole.
    const rebuilt = new FleetProjection();
    for (const ev of kit.events) rebuilt.apply(ev);
    fleet = rebuilt;
    const fourth = pushes.next(fleet, T0);
    expect(fourth).toMatchObject({ partial: false, pushSeq: 4 });
    expect(fourth.trucks).toHaveLength(3);

    // The console's fold: a partial push leaves the others as held, the same objects.
    const held = foldSnapshot([], first).tracks;
    const after = foldSnapshot(held, second).tracks;
    expect(after.map((t) => t.summary.truck)).toEqual(['T-1', 'T-2', 'T-3']);
    expect(after[0]).toBe(held[0]);
    expect(after[2]).toBe(held[2]);
    expect(after[1]!.trail).toHaveLength(2);
    expect(foldSnapshot(held, { ...second, partial: false }).tracks.map((t) => t.summary.truck), 'a whole snapshot replaces the set').toEqual(['T-2']);
  });

  it('the_map_source_diff_sends_only_what_changed', () => {
    const d = new SourceDiff();
    const f = (id: string, v: number) => ({ id, signature: [v], make: () => ({ type: 'Feature' as const, properties: { truck: id, v }, geometry: { type: 'Point' as const, coordinates: [v, 0] } }) });
    expect(d.diff([f('a', 1), f('b', 1)])).toEqual({ remove: [], add: [expect.objectContaining({ properties: { truck: 'a', v: 1 } }), expect.objectContaining({ properties: { truck: 'b', v: 1 } })] });
    expect(d.diff([f('a', 1), f('b', 1)]), 'nothing changed').toBeNull();
    expect(d.diff([f('a', 1), f('b', 2), f('c', 1)])).toEqual({ remove: ['b'], add: [expect.objectContaining({ properties: { truck: 'b', v: 2 } }), expect.objectContaining({ properties: { truck: 'c', v: 1 } })] });
    expect(d.diff([f('c', 1)])).toEqual({ remove: ['a', 'b'], add: [] });
  });
});
