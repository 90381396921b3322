// PROVES: a late fix that arrives by sync (taken before the truck's newest fix, recorded after
//         it on another node) is historical on both nodes and never moves the truck back; the
//         two nodes then hold byte-identical fleet and alerts views; a peer that judges fixes under other
//         fleet filters is named on this node's peer row with the filters that differ, and the
//         problem goes once the filters match again.
// CATCHES: a latch decided by arrival (the nodes would disagree on which fix is historical) and
//          nodes that disagree on flags silently because their filters differ.
import { afterEach, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { encodeCanonical } from '../../src/core/encoding/canonical';
import { DEFAULT_SETTINGS } from '../../src/core/projections/fleet-settings';
import { MemoryNetwork } from '../../src/node/transports/memory';
import { simNode, type SimNode } from '../support/nodes';

const nodes: SimNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

const KM = 8_993;
const position = (fixMs: number, dLat: number) => ({ kind: 'truck.position', payload: { truck: 'T-1', fix_ms: fixMs, lat_e6: -1_290_000 + dLat, lon_e6: 36_820_000 } });

it('a_late_fix_synced_from_a_peer_is_historical_on_both_nodes_and_never_moves_the_truck_back', async () => {
  const scheduler = new VirtualScheduler(1_780_000_000_000);
  const lan = new MemoryNetwork({ scheduler, seed: 11, latencyMs: [5, 20] });
  const a = await simNode('camp-a', scheduler, [lan.transport('camp-a')]);
  const b = await simNode('truck-b', scheduler, [lan.transport('truck-b')]);
  nodes.push(a, b);
  const t0 = scheduler.nowMs();
  a.node.writer.append([position(t0, 0)]);
  scheduler.advance(60_000);
  a.node.writer.append([position(t0 + 60_000, Math.round(2.5 * KM))]);
  scheduler.advance(10_000);
  // Taken between the two, recorded after the second: a dead zone's backlog on another node.
  b.node.writer.append([position(t0 + 30_000, -KM)]);
  lan.connect('camp-a', 'truck-b');
  const synced = () => a.store.eventCount() === b.store.eventCount() && a.node.api.projections.fleet.summary('T-1', 10)?.fixCount === 3 && b.node.api.projections.fleet.summary('T-1', 10)?.fixCount === 3;
  scheduler.runUntil(synced, 600_000, 500);
  expect(synced()).toBe(true);
  for (const n of [a, b]) {
    const s = n.node.api.projections.fleet.summary('T-1', 10)!;
    expect(s.current?.fixMs, `${n.name}: the truck stays at its newest live fix`).toBe(t0 + 60_000);
    expect(s.trail.map((f) => [f.fixMs - t0, f.flag, f.historical])).toEqual([
      [0, null, false],
      [30_000, null, true],
      [60_000, null, false],
    ]);
  }
  expect(encodeCanonical(a.node.api.projections.fleet.view())).toEqual(encodeCanonical(b.node.api.projections.fleet.view()));
  expect(encodeCanonical(a.node.api.projections.alerts.view())).toEqual(encodeCanonical(b.node.api.projections.alerts.view()));
});

it('a_peer_judging_under_other_fleet_filters_is_named_with_the_filters_that_differ', async () => {
  const scheduler = new VirtualScheduler(1_780_000_000_000);
  const lan = new MemoryNetwork({ scheduler, seed: 12, latencyMs: [5, 20] });
  const a = await simNode('camp-a', scheduler, [lan.transport('camp-a')]);
  const b = await simNode('truck-b', scheduler, [lan.transport('truck-b')], { fleetSettings: { ...DEFAULT_SETTINGS, maxSpeedKmh: 50 } });
  nodes.push(a, b);
  lan.connect('camp-a', 'truck-b');
  const differs = () => a.node.api.peerRows().find((r) => r.node === b.node.self)?.problems.find((p) => p.code === 'fleet_filters_differ');
  scheduler.runUntil(() => differs() !== undefined, 600_000, 500);
  expect(differs()?.message).toMatch(/truck-b judges truck fixes under other fleet filters \(max_speed_kmh 180 here, 50 there\)/);
  expect(b.node.api.peerRows().find((r) => r.node === a.node.self)?.problems.find((p) => p.code === 'fleet_filters_differ')?.message).toMatch(/max_speed_kmh 50 here, 180 there/);
  await b.node.api.setFleetSettings(DEFAULT_SETTINGS);
  scheduler.runUntil(() => differs() === undefined, 600_000, 500);
  expect(differs(), 'the same filters again: nothing to say').toBeUndefined();
});
