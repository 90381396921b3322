// PROVES: a node's own positions wait out its freshness window on the radio, so one signed run
//         carries every fix of the window: with 30 s, three fixes written 5 s apart reach the
//         neighbour as one run, not before the window ends; with 0 each goes as soon as the link's
//         pace allows, in a run of its own; a record edit is never held. Virtual time, simulated radios.
// CATCHES: a frame (and its signature, digest and frontier) spent per fix when fixes come often.
import { afterEach, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { RfChannel } from '../../src/lab/radio-sim/rf-channel';
import { VirtualRadioPort } from '../../src/lab/radio-sim/virtual-radio';
import { LoraTransport } from '../../src/node/transports/lora/lora-transport';
import { identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

const nodes: SimNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

async function pair(freshnessMs: number, sf = 9) {
  const scheduler = new VirtualScheduler();
  const channel = new RfChannel(scheduler, { loss: 0, seed: 1 });
  channel.setReach(0, 1, { rssiDbm: -95, snrDb: 6 });
  channel.setReach(1, 0, { rssiDbm: -95, snrDb: 6 });
  const made: SimNode[] = [];
  for (const [i, name] of ['kit', 'camp'].entries()) {
    const radio = new VirtualRadioPort(i, channel, scheduler, { frequencyHz: 869_525_000, bwHz: 125_000, sf, cr: 5 });
    const node = await simNode(name, scheduler, [new LoraTransport({ radio, scheduler, self: identity(name).author, dutyCyclePct: 10 })], { radioFreshnessMs: freshnessMs });
    made.push(node);
    nodes.push(node);
  }
  const [kit, camp] = made as [SimNode, SimNode];
  // They know each other and are in sync before the fixes start.
  scheduler.runUntil(() => camp.store.head(kit.node.self) !== null && kit.store.head(camp.node.self) !== null, 600_000, 1000);
  scheduler.advance(120_000);
  // Runs of the kit's feed that reach the camp's store.
  let runs = 0;
  const ingest = camp.node.writer.ingest.bind(camp.node.writer);
  camp.node.writer.ingest = (incoming, from, stored) => {
    runs += incoming.filter((r) => r.author === kit.node.self).length;
    return ingest(incoming, from, stored);
  };
  const runsAtCamp = () => runs;
  const fix = (i: number) => kit.node.writer.append([{ kind: 'truck.position', payload: { truck: 'T-1', fix_ms: scheduler.nowMs(), lat_e6: 1_000_000 + i * 500, lon_e6: 37_000_000, speed_kmh: 40 } }]);
  return { scheduler, kit, camp, runsAtCamp, fix };
}

it('fixes_within_the_freshness_window_cross_the_radio_as_one_run', async () => {
  const { scheduler, kit, camp, runsAtCamp, fix } = await pair(30_000);
  const before = runsAtCamp();
  const base = kit.store.head(kit.node.self)!.seq;
  const t0 = scheduler.nowMs();
  for (let i = 0; i < 3; i++) {
    fix(i);
    scheduler.advance(5_000);
  }
  expect(camp.store.head(kit.node.self)!.seq, 'nothing before the window ends').toBe(base);
  scheduler.runUntil(() => camp.store.head(kit.node.self)!.seq === base + 3, 120_000, 250);
  expect(camp.store.head(kit.node.self)!.seq).toBe(base + 3);
  expect(scheduler.nowMs() - t0).toBeGreaterThanOrEqual(30_000);
  expect(runsAtCamp() - before, 'one run carried the three fixes').toBe(1);

  // A record edit is not held.
  const t1 = scheduler.nowMs();
  kit.node.writer.append([{ kind: 'field.set', payload: { record_id: 'DL-1', field: 'status', value: 'delivered' } }]);
  scheduler.runUntil(() => camp.store.head(kit.node.self)!.seq === base + 4, 120_000, 250);
  expect(scheduler.nowMs() - t1).toBeLessThan(30_000);
});

it('with_a_window_of_0_each_fix_goes_at_once_in_a_run_of_its_own', async () => {
  const { scheduler, kit, camp, runsAtCamp, fix } = await pair(0);
  const before = runsAtCamp();
  const base = kit.store.head(kit.node.self)!.seq;
  for (let i = 0; i < 3; i++) {
    fix(i);
    // At once, as the link's pace allows (an announcement, the camp's frontier, the run).
    scheduler.runUntil(() => camp.store.head(kit.node.self)!.seq === base + i + 1, 90_000, 250);
    expect(camp.store.head(kit.node.self)!.seq, `fix ${i} arrived before the next was written`).toBe(base + i + 1);
  }
  expect(runsAtCamp() - before).toBe(3);
});

it('a_live_feed_sends_one_run_per_window_while_the_camp_keeps_asking', async () => {
  // Five minutes of fixes 5 s apart at SF7, whose quick pace puts several digests in each window:
  // the digests and the camp's frontiers must not draw the held fixes out early (they used to,
  // in runs of two, each with its own signature).
  const { scheduler, kit, camp, runsAtCamp, fix } = await pair(30_000, 7);
  const before = runsAtCamp();
  const base = kit.store.head(kit.node.self)!.seq;
  for (let i = 0; i < 60; i++) {
    fix(i);
    scheduler.advance(5_000);
  }
  scheduler.runUntil(() => camp.store.head(kit.node.self)!.seq === base + 60, 300_000, 250);
  expect(camp.store.head(kit.node.self)!.seq).toBe(base + 60);
  // 300 s of fixes in 30 s windows: 10 windows (11 when one straddles the end).
  expect(runsAtCamp() - before).toBeLessThanOrEqual(11);
  expect(runsAtCamp() - before).toBeGreaterThanOrEqual(10);
});
