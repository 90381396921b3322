// PROVES: the LoRa transport meets the transport contract over a simulated shared channel
//         (whole messages, fragments reassembled, bounded queues with drain, close propagated by
//         a goodbye), keeps to its duty-cycle budget, and lets a third radio use a run it
//         overheard.
// CATCHES: a LoRa link that floods the channel past its duty cycle or buffers without bound.
import { expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { RfChannel } from '../../src/lab/radio-sim/rf-channel';
import type { Link } from '../../src/core/sync/transport';
import { LoraTransport } from '../../src/node/transports/lora/lora-transport';
import { VirtualRadioPort } from '../../src/lab/radio-sim/virtual-radio';
import { identity } from '../support/feeds';
import { runTransportSuite } from './transport-suite';

const PARAMS = { frequencyHz: 868_100_000, bwHz: 250_000, sf: 7, cr: 5 };
const near = { rssiDbm: -80, snrDb: 9 };

function radios(n: number, dutyCyclePct = 100, beaconEveryMs = 0) {
  const scheduler = new VirtualScheduler();
  const channel = new RfChannel(scheduler, { loss: 0, seed: 5 });
  const transports = Array.from({ length: n }, (_, i) =>
    new LoraTransport({ radio: new VirtualRadioPort(i, channel, scheduler, PARAMS), scheduler, self: identity(`lora-${i}`).author, dutyCyclePct, beaconEveryMs }),
  );
  return { scheduler, channel, transports };
}

runTransportSuite('lora (simulated radios)', async () => {
  const { scheduler, channel, transports } = radios(2);
  channel.setReach(0, 1, near);
  channel.setReach(1, 0, near);
  const [a, b] = transports as [LoraTransport, LoraTransport];
  return {
    a,
    b,
    linkUp: async () => {
      const got: Link[] = [];
      a.events.on('link', (l) => got.push(l));
      b.events.on('link', (l) => got.push(l));
      await a.start();
      await b.start(); // each beacons once when its radio comes online
      scheduler.runUntil(() => got.length === 2, 10_000, 10);
      return [got.find((l) => l.id === `lora:${b.tag.toString(16).padStart(4, '0')}`)!, got.find((l) => l.id === `lora:${a.tag.toString(16).padStart(4, '0')}`)!];
    },
    waitFor: async (cond) => {
      scheduler.runUntil(cond, 600_000, 20);
    },
    teardown: async () => {
      await a.stop();
      await b.stop();
    },
  };
});

it('the_duty_cycle_budget_holds_airtime_to_its_share_of_the_hour', async () => {
  // Beacons keep the silent receiver known to the sender (else it would time out as gone).
  const { scheduler, channel, transports } = radios(2, 1, 60_000);
  channel.setReach(0, 1, near);
  channel.setReach(1, 0, near);
  const [a, b] = transports as [LoraTransport, LoraTransport];
  let link: Link | null = null;
  a.events.on('link', (l) => (link = l));
  await a.start();
  await b.start();
  scheduler.runUntil(() => link !== null, 10_000, 10);
  const start = scheduler.nowMs();
  let sent = 0;
  const push = () => {
    while (link!.send(new Uint8Array(240).fill(sent & 0xff))) sent++;
  };
  link!.events.on('drain', push);
  push();
  scheduler.advance(2 * 3_600_000);
  const hours = (scheduler.nowMs() - start) / 3_600_000;
  // 1% of an hour is 36 s, in any sliding hour (test/sync/duty-cycle.test.ts checks the windows).
  expect(a.budget.spentMs).toBeLessThanOrEqual(36_000 * hours + 500);
  expect(a.budget.spentMs).toBeGreaterThan(36_000 * hours * 0.9);
  expect(sent).toBeGreaterThan(100);
});

it('a_third_radio_keeps_a_run_it_overheard_but_not_other_frames', async () => {
  const { scheduler, channel, transports } = radios(3);
  for (const [x, y] of [[0, 1], [1, 0], [0, 2], [2, 0], [1, 2], [2, 1]] as const) channel.setReach(x, y, near);
  const [a, b, c] = transports as [LoraTransport, LoraTransport, LoraTransport];
  const links: Record<string, Link> = {};
  const heardAtC: Uint8Array[] = [];
  a.events.on('link', (l) => (links[`a->${l.id}`] = l));
  c.events.on('link', (l) => l.events.on('message', (m) => heardAtC.push(m)));
  for (const t of [a, b, c]) await t.start();
  scheduler.runUntil(() => Object.keys(links).length === 2, 10_000, 10);
  const toB = links[`a->lora:${b.tag.toString(16).padStart(4, '0')}`]!;
  toB.send(new Uint8Array([0x14, 1, 2, 3])); // a run frame (type 0x14)
  toB.send(new Uint8Array([0x12, 9, 9])); // a digest: addressed to b only
  scheduler.advance(5000);
  expect(heardAtC.map((m) => m[0])).toEqual([0x14]);
});
