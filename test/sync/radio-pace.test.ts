// PROVES: a radio spends its duty cycle at the pace it refills, not as fast as the hour's bound
//         allows: a kit writing a fix every 10 s to a camp two hops away (SF9/125 kHz, 1%) keeps
//         them coming all the time, each run made late enough to carry several fixes, and the
//         camp's newest fix is never more than a few minutes old. The pace itself refills at the
//         duty-cycle rate up to its burst, and says when a frame may go.
// CATCHES: a radio that spent the hour's 36 s in its first half hour on runs of three fixes,
//          then said nothing for most of an hour (positions at the camp 40 minutes old), and
//          runs built while the budget was spent that waited in the queue with what they knew then.
import { afterEach, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { AirtimePace } from '../../src/core/lora/duty-cycle';
import { RfChannel } from '../../src/lab/radio-sim/rf-channel';
import { VirtualRadioPort } from '../../src/lab/radio-sim/virtual-radio';
import { LoraTransport } from '../../src/node/transports/lora/lora-transport';
import { identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

const nodes: SimNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

it('the_pace_refills_at_the_duty_cycle_up_to_its_burst', () => {
  const pace = new AirtimePace(1, 3000, 0);
  expect(pace.readyAtMs(1000, 0), 'full at the start').toBe(0);
  pace.spend(3000, 0);
  // 1%: 1 s of airtime takes 100 s to earn.
  expect(pace.readyAtMs(1000, 0)).toBe(100_000);
  expect(pace.readyAtMs(1000, 50_000)).toBe(100_000);
  expect(pace.readyAtMs(1000, 100_000)).toBe(100_000);
  // Never above the burst, however long the quiet.
  expect(pace.readyAtMs(3000, 10_000_000)).toBe(10_000_000);
  pace.spend(3000, 10_000_000);
  expect(pace.readyAtMs(500, 10_000_000)).toBe(10_050_000);
  expect(new AirtimePace(100, 1000, 0).readyAtMs(5000, 7), 'no pace at 100%').toBe(7);
});

it('a_kit_at_one_percent_keeps_its_fixes_coming_two_hops_away', { timeout: 120_000 }, async () => {
  const scheduler = new VirtualScheduler();
  const channel = new RfChannel(scheduler, { loss: 0.02, seed: 4 });
  const link = { rssiDbm: -104, snrDb: 2.5 };
  for (const [x, y] of [[0, 1], [1, 2]] as const) {
    channel.setReach(x, y, link);
    channel.setReach(y, x, link);
  }
  const made: SimNode[] = [];
  for (const [i, name] of ['kit', 'relay', 'camp'].entries()) {
    const radio = new VirtualRadioPort(i, channel, scheduler, { frequencyHz: 869_525_000, bwHz: 125_000, sf: 9, cr: 5 });
    const node = await simNode(name, scheduler, [new LoraTransport({ radio, scheduler, self: identity(name).author, dutyCyclePct: 1 })], { gossipEveryMs: 10_000 });
    made.push(node);
    nodes.push(node);
  }
  const [kit, , camp] = made as [SimNode, SimNode, SimNode];
  scheduler.advance(20 * 60_000); // the chain learns itself
  const written = new Map<number, number>();
  const ages: number[] = [];
  let seen = camp.store.head(kit.node.self)?.seq ?? 0;
  const watch = () => {
    const head = camp.store.head(kit.node.self)?.seq ?? 0;
    for (let s = seen + 1; s <= head; s++) if (written.has(s)) ages.push(scheduler.nowMs() - written.get(s)!);
    seen = Math.max(seen, head);
  };
  // Every minute, how old the camp's newest fix of the kit is.
  const staleness: number[] = [];
  for (let f = 0; f < 360; f++) {
    const [r] = kit.node.writer.append([{ kind: 'truck.position', payload: { truck: 'KBZ 114A', fix_ms: scheduler.nowMs(), lat_e6: 350_000 + f * 300, lon_e6: 37_580_000 + f * 250, speed_kmh: 50 } }]);
    if (r?.ok) written.set(r.seq, scheduler.nowMs());
    for (let s = 0; s < 10; s++) {
      scheduler.advance(1000);
      watch();
    }
    if (f % 6 === 5 && f > 60) {
      const newest = written.get(seen);
      staleness.push(newest === undefined ? Infinity : scheduler.nowMs() - newest);
    }
  }
  // Ten minutes for the last ones.
  for (let s = 0; s < 600; s++) {
    scheduler.advance(1000);
    watch();
  }
  const sorted = [...ages].sort((a, b) => a - b);
  const p50 = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`two hops at 1%: ${ages.length} of 360 fixes at the camp ten minutes after the last, age p50 ${(p50 / 1000).toFixed(0)} s, newest fix at most ${(Math.max(...staleness) / 1000).toFixed(0)} s old`);
  expect(ages.length, 'fixes at the camp ten minutes after the last').toBeGreaterThanOrEqual(340);
  expect(p50).toBeLessThan(5 * 60_000);
  expect(Math.max(...staleness), "the camp's newest fix, checked every minute").toBeLessThan(15 * 60_000);
});
