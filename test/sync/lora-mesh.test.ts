// PROVES: nodes on simulated LoRa radios converge through a relay they share, with loss on:
//         events written at A reach C through B although A and C are out of each other's reach;
//         positions travel in the compact codec; and each node stays within its duty cycle.
// CATCHES: LoRa sync that needs a direct link, stalls on loss, or blows the airtime budget.
import { afterEach, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { toHex } from '../../src/core/encoding/bytes';
import { RfChannel } from '../../src/lab/radio-sim/rf-channel';
import { stableJson } from '../../src/node/api/dto';
import { LoraTransport } from '../../src/node/transports/lora/lora-transport';
import { VirtualRadioPort } from '../../src/lab/radio-sim/virtual-radio';
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
    a.node.writer.append([{ kind: 'truck.position', payload: { truck: 'KBZ 114A', fix_ms: scheduler.nowMs(), lat_e6: 1_000_000 + i * 700, lon_e6: 37_000_000 + i * 450, speed_kmh: 60, heading_deg: 45 } }]);
    scheduler.advance(5000);
  }
  a.node.writer.append([{ kind: 'field.set', payload: { record_id: 'DL-7', field: 'status', value: 'delivered' } }]);
  c.node.writer.append([{ kind: 'note.add', payload: { record_id: 'DL-7', text: 'received at camp c' } }]);
  const digests = () => new Set(nodes.map((n) => toHex(n.node.replicator.digest())));
  const took = scheduler.runUntil(() => digests().size === 1, 3 * 3_600_000, 1000);
  expect(digests().size, `not converged after ${took} ms of virtual time`).toBe(1);
  expect(c.store.head(a.node.self)?.seq).toBe(a.store.head(a.node.self)?.seq);
  const views = nodes.map((n) => stableJson(n.node.live.state.projections.fleet.view()) + stableJson(n.node.live.state.projections.records.view()));
  expect(new Set(views).size).toBe(1);
  expect(channel.counters.get(0)!.delivered + channel.counters.get(2)!.delivered).toBeGreaterThan(0);
  for (const t of transports) expect(t.budget.spentMs).toBeLessThanOrEqual(t.budget.capacityMs + (took * 10) / 100);
  // A and C never heard each other.
  expect(transports[0]!.describe()).not.toContain(transports[2]!.tag.toString(16).padStart(4, '0'));
});

it('a_rogue_radio_with_forged_batches_huge_counts_garbage_and_a_fork_cannot_hurt_a_node', async () => {
  const { CompactCodec, NodeRoster } = await import('../../src/core/sync/compact/codec');
  const { signHead } = await import('../../src/core/feed/head');
  const { FeedBuilder, forkOf, crypto } = await import('../support/feeds');
  const scheduler = new VirtualScheduler();
  const channel = new RfChannel(scheduler, { loss: 0, seed: 9 });
  for (const [x, y] of [[0, 1], [1, 0]] as const) channel.setReach(x, y, { rssiDbm: -90, snrDb: 7 });
  const params = { frequencyHz: 868_100_000, bwHz: 500_000, sf: 7, cr: 5 };
  const honestRadio = new LoraTransport({ radio: new VirtualRadioPort(0, channel, scheduler, params), scheduler, self: identity('honest').author, dutyCyclePct: 100 });
  const honest = await simNode('honest', scheduler, [honestRadio]);
  nodes.push(honest);
  const rogue = new LoraTransport({ radio: new VirtualRadioPort(1, channel, scheduler, params), scheduler, self: identity('rogue').author, dutyCyclePct: 100 });
  await rogue.start();
  scheduler.advance(3000);
  const codec = new CompactCodec({ hasher: crypto, roster: new NodeRoster(1), storedId: () => null, maxFrameBytes: 4096 });
  const send = (bytes: Uint8Array) => {
    rogue.broadcast.send(bytes);
    scheduler.advance(2000);
  };
  send(codec.encode({ type: 'hello', node: identity('rogue').author, name: 'rogue', protocol: 1 }));
  const victim = new FeedBuilder('victim');
  victim.addMany(3);
  send(codec.encode({ type: 'run', author: victim.author, events: victim.events, sig: signHead(identity('rogue'), victim.author, 3, victim.events[2]!.id) }));
  codec.encode({ type: 'run', author: victim.author, events: victim.events.slice(0, 1), sig: null }); // a key is spelled out twice
  const huge = codec.encode({ type: 'run', author: victim.author, events: victim.events.slice(0, 1), sig: null });
  huge[4] = 0xff; // the event count: claims far more than the frame holds
  send(huge);
  send(new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x14]));
  const liar = new FeedBuilder('liar');
  liar.addMany(2);
  send(codec.encode({ type: 'run', author: liar.author, events: liar.events, sig: liar.sig(2) }));
  const other = forkOf(liar, 2);
  send(codec.encode({ type: 'run', author: liar.author, events: other.events.slice(1), sig: other.sig(2) }));
  scheduler.advance(5000);

  expect(honest.store.head(victim.author), 'forged events never land').toBeNull();
  expect(honest.store.quarantined()).toEqual([liar.author]);
  expect(honest.store.forks()).toHaveLength(1);
  const row = honest.node.replicator.peerRows().find((r) => r.name === 'rogue')!;
  expect(row.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['bad_signature', 'bad_count']));
  expect(honest.node.problems.list().map((w) => w.code)).toContain('fork_detected');
  expect(row.problems.map((p) => p.code)).toContain('unsupported_version'); // the garbage frame
  // Still working: an honest event still syncs.
  honest.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R', text: 'still here' } }]);
  expect(honest.store.eventCount()).toBeGreaterThan(0);
  await rogue.stop();
});
