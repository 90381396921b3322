// PROVES: no radio passes its duty cycle in any sliding hour, read from the simulator's airtime
//         log (exact overlaps, every window position that can be a maximum): a sender that always
//         transmits as soon as its budget allows, and a mesh of four nodes writing positions for
//         three hours, at 1% and at 10%. The budget is also used: a sender with more to say fills
//         at least nine tenths of every hour it may.
// CATCHES: a token bucket (a full bucket spent and refilled within one hour is twice the budget
//          in that hour), or a budget that starves the link.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { AirtimeBudget } from '../../src/core/lora/duty-cycle';
import { SeededRandom } from '../../src/core/util/random';
import { RfChannel } from '../../src/lab/radio-sim/rf-channel';
import { VirtualRadioPort } from '../../src/lab/radio-sim/virtual-radio';
import { LoraTransport } from '../../src/node/transports/lora/lora-transport';
import { identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

const HOUR = 3_600_000;
const nodes: SimNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

/** The most airtime inside any window of `windowMs` (the maximum sits where a window edge meets an interval's edge). */
function maxInAnyWindow(intervals: readonly Interval[], windowMs: number): number {
  const iv = [...intervals].sort((a, b) => a.startMs - b.startMs);
  const ends = [...iv.map((x) => x.endMs), ...iv.map((x) => x.startMs + windowMs)].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (const end of ends) {
    const start = end - windowMs;
    while (lo < iv.length && iv[lo]!.endMs <= start) lo++;
    let sum = 0;
    for (let j = lo; j < iv.length && iv[j]!.startMs < end; j++) sum += Math.min(iv[j]!.endMs, end) - Math.max(iv[j]!.startMs, start);
    best = Math.max(best, sum);
  }
  return best;
}

describe.each([1, 10])('at a %i% duty cycle', (pct) => {
  it('a_sender_that_always_transmits_when_allowed_stays_within_and_uses_its_budget', () => {
    const rng = new SeededRandom(pct);
    const budget = new AirtimeBudget(pct, 0);
    const sent: Interval[] = [];
    let now = 0;
    while (now < 5 * HOUR) {
      const airtime = 20 + rng.next() * 1280; // a digest to a full SF9 frame
      const at = budget.readyAtMs(airtime, now);
      budget.spend(airtime, at);
      sent.push({ startMs: at, endMs: at + airtime });
      now = at + airtime;
    }
    const cap = (HOUR * pct) / 100;
    expect(maxInAnyWindow(sent, HOUR)).toBeLessThanOrEqual(cap + 1e-6);
    // Busy all along: every whole hour after the first carries at least 90% of the budget.
    for (let h = 1; h < 4; h++) {
      const inHour = sent.filter((s) => s.startMs >= h * HOUR && s.endMs <= (h + 1) * HOUR).reduce((n, s) => n + s.endMs - s.startMs, 0);
      expect(inHour).toBeGreaterThan(cap * 0.9);
    }
  });

  it('a_mesh_writing_positions_for_three_hours_keeps_every_radio_within_it', { timeout: 240_000 }, async () => {
    const scheduler = new VirtualScheduler();
    const channel = new RfChannel(scheduler, { loss: 0.02, seed: 7, log: true });
    const near = { rssiDbm: -100, snrDb: 3 };
    // A chain 0-1-2-3, with 1 and 2 also hearing each other's far side.
    for (const [x, y] of [[0, 1], [1, 2], [2, 3], [0, 2]] as const) {
      channel.setReach(x, y, near);
      channel.setReach(y, x, near);
    }
    const here: SimNode[] = [];
    for (let i = 0; i < 4; i++) {
      const radio = new VirtualRadioPort(i, channel, scheduler, { frequencyHz: 868_100_000, bwHz: 125_000, sf: 9, cr: 5 });
      const node = await simNode(`kit-${i}`, scheduler, [new LoraTransport({ radio, scheduler, self: identity(`kit-${i}`).author, dutyCyclePct: pct })]);
      here.push(node);
      nodes.push(node);
    }
    for (let t = 0; t < 3 * 360; t++) {
      here.forEach((n, i) => n.node.writer.append([{ kind: 'truck.position', payload: { truck: `T-${i}`, fix_ms: scheduler.nowMs(), lat_e6: 1_000_000 + t * 90, lon_e6: 37_000_000 + i * 5000, speed_kmh: 40 } }]));
      scheduler.advance(10_000);
    }
    const cap = (HOUR * pct) / 100;
    for (let radio = 0; radio < 4; radio++) {
      const mine = channel.log!.filter((l) => l.from === radio);
      expect(mine.length, `radio ${radio} sent`).toBeGreaterThan(10);
      expect(maxInAnyWindow(mine, HOUR), `radio ${radio}: most airtime in any hour`).toBeLessThanOrEqual(cap + 1e-6);
    }
    // At 1% the radios have more to say than the budget allows: someone used nearly all of it.
    if (pct === 1) expect(Math.max(...[0, 1, 2, 3].map((r) => maxInAnyWindow(channel.log!.filter((l) => l.from === r), HOUR)))).toBeGreaterThan(cap * 0.8);
  });
});
