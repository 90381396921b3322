// PROVES: radios that agree fall quiet (Trickle): six nodes at SF9/125 kHz, in sync, send at most
//         500 bytes each in an hour of nothing changing (digests and beacons, link headers
//         included, read from the simulator's airtime log); a newcomer is still heard and known
//         by its neighbours within one Trickle floor, and holds their events soon after.
// CATCHES: "are we in sync?" chatter at a fixed pace, which spends airtime positions need.
import { afterEach, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { toHex } from '../../src/core/encoding/bytes';
import { loraSession } from '../../src/core/sync/settings';
import { rnodeAirtimeMs } from '../../src/core/lora/airtime';
import { RfChannel } from '../../src/lab/radio-sim/rf-channel';
import { VirtualRadioPort } from '../../src/lab/radio-sim/virtual-radio';
import { LoraTransport } from '../../src/node/transports/lora/lora-transport';
import { identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

const nodes: SimNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

const PARAMS = { frequencyHz: 869_525_000, bwHz: 125_000, sf: 9, cr: 5 };
const HOUR = 3_600_000;

it('radios_in_sync_send_at_most_500_bytes_an_hour_and_a_newcomer_is_known_within_one_floor', { timeout: 240_000 }, async () => {
  const scheduler = new VirtualScheduler();
  const channel = new RfChannel(scheduler, { loss: 0.02, seed: 3, log: true });
  const near = { rssiDbm: -100, snrDb: 3 };
  // Six in a ring, each hearing its two neighbours; the seventh (the newcomer) hears 0 and 1.
  const links: [number, number][] = [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 0], [6, 0], [6, 1]];
  for (const [x, y] of links) {
    channel.setReach(x, y, near);
    channel.setReach(y, x, near);
  }
  const start = async (i: number) => {
    const radio = new VirtualRadioPort(i, channel, scheduler, PARAMS);
    const node = await simNode(`kit-${i}`, scheduler, [new LoraTransport({ radio, scheduler, self: identity(`kit-${i}`).author, dutyCyclePct: 10 })]);
    nodes.push(node);
    return node;
  };
  const ring: SimNode[] = [];
  for (let i = 0; i < 6; i++) ring.push(await start(i));
  for (const [i, n] of ring.entries()) n.node.writer.append([{ kind: 'truck.position', payload: { truck: `T-${i}`, fix_ms: scheduler.nowMs(), lat_e6: 1_000_000 + i * 1000, lon_e6: 37_000_000, speed_kmh: 40 } }]);
  const digests = (list: SimNode[]) => new Set(list.map((n) => toHex(n.node.replicator.digest())));
  scheduler.runUntil(() => digests(ring).size === 1, 2 * HOUR, 1000);
  expect(digests(ring).size, 'the ring converged').toBe(1);

  // Quiet: an hour to settle, then an hour measured.
  scheduler.advance(HOUR);
  const from = channel.log!.length;
  scheduler.advance(HOUR);
  const quiet = channel.log!.slice(from);
  for (let i = 0; i < 6; i++) {
    const bytes = quiet.filter((l) => l.from === i).reduce((n, l) => n + l.bytes, 0);
    console.log(`kit-${i}: ${bytes} B in an hour of quiet`);
    expect(bytes, `kit-${i}: bytes sent in an hour of nothing changing`).toBeLessThanOrEqual(500);
  }
  expect(digests(ring).size, 'still in sync').toBe(1);

  // A newcomer: its neighbours know it (a peer row with its name) within one Trickle floor.
  const floorMs = loraSession(rnodeAirtimeMs(255, PARAMS)).pokeEveryMs / 2;
  const joinedAt = scheduler.nowMs();
  const newcomer = await start(6);
  const known = () => [ring[0]!, ring[1]!].every((n) => n.node.replicator.peerRows().some((r) => r.name === 'kit-6'));
  scheduler.runUntil(known, floorMs, 250);
  expect(known(), `known by kit-0 and kit-1 within ${floorMs} ms`).toBe(true);
  expect(scheduler.nowMs() - joinedAt).toBeLessThanOrEqual(floorMs);
  scheduler.runUntil(() => digests([...ring, newcomer]).size === 1, HOUR, 1000);
  expect(newcomer.store.head(ring[3]!.node.self)?.seq, 'the newcomer holds the far side of the ring').toBe(ring[3]!.store.head(ring[3]!.node.self)?.seq);
});
