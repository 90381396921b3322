// PROVES: nodes on simulated LoRa radios converge through a relay they share, with loss on:
//         events written at A reach C through B although A and C are out of each other's reach;
//         positions travel in the compact codec; and each node stays within its duty cycle.
// CATCHES: LoRa sync that needs a direct link, stalls on loss, or blows the airtime budget.
import { afterEach, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { toHex } from '../../src/core/encoding/bytes';
import { RfChannel } from '../../src/core/lora/rf-channel';
import { stableJson } from '../../src/node/api/dto';
import { LoraTransport } from '../../src/node/transports/lora/lora-transport';
import { VirtualRadioPort } from '../../src/node/transports/lora/virtual-radio';
import { identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

const nodes: SimNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

it('a_chain_of_three_radios_converges_through_the_middle_one_with_loss', async () => {
  const scheduler = new VirtualScheduler();
  const channel = new RfChannel(scheduler, { loss: 0.05, seed: 21 });
  const near = { rssiDbm: -98, snrDb: 4.5 };
  for (const [x, y] of [[0, 1], [1, 2]] as const) {
    channel.setReach(x, y, near);
    channel.setReach(y, x, near);
  }
  const names = ['camp-a', 'relay-b', 'camp-c'];
  const transports: LoraTransport[] = [];
  for (const [i, name] of names.entries()) {
    const radio = new VirtualRadioPort(i, channel, scheduler, { frequencyHz: 868_100_000, bwHz: 125_000, sf: 9, cr: 5 });
    const t = new LoraTransport({ radio, scheduler, self: identity(name).author, dutyCyclePct: 10, beaconEveryMs: 60_000 });
    transports.push(t);
    nodes.push(await simNode(name, scheduler, [t]));
  }
  const [a, , c] = nodes as [SimNode, SimNode, SimNode];
  for (let i = 0; i < 30; i++) {
    a.service.append([{ kind: 'truck.position', payload: { truck: 'KBZ 114A', fix_ms: scheduler.nowMs(), lat_e6: 1_000_000 + i * 700, lon_e6: 37_000_000 + i * 450, speed_kmh: 60, heading_deg: 45 } }]);
    scheduler.advance(5000);
  }
  a.service.append([{ kind: 'field.set', payload: { record_id: 'DL-7', field: 'status', value: 'delivered' } }]);
  c.service.append([{ kind: 'note.add', payload: { record_id: 'DL-7', text: 'received at camp c' } }]);
  const digests = () => new Set(nodes.map((n) => toHex(n.service.digest())));
  const took = scheduler.runUntil(() => digests().size === 1, 3 * 3_600_000, 1000);
  expect(digests().size, `not converged after ${took} ms of virtual time`).toBe(1);
  expect(c.store.head(a.service.self)?.seq).toBe(a.store.head(a.service.self)?.seq);
  const views = nodes.map((n) => stableJson(n.service.live.projections.fleet.view()) + stableJson(n.service.live.projections.records.view()));
  expect(new Set(views).size).toBe(1);
  expect(channel.counters.get(0)!.delivered + channel.counters.get(2)!.delivered).toBeGreaterThan(0);
  for (const t of transports) expect(t.budget.spentMs).toBeLessThanOrEqual(t.budget.capacityMs + (took * 10) / 100);
  // A and C never heard each other.
  expect(transports[0]!.describe()).not.toContain(transports[2]!.tag.toString(16).padStart(4, '0'));
});
