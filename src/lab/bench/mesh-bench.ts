// Mesh: twenty nodes on a simulated LoRa channel (SF9/125 kHz, 10% duty cycle, 2% loss, CSMA,
// collisions), split in two while they write, then healed. Measured: virtual time from heal to
// every node holding the same events, and the airtime spent from heal to convergence against a
// bound: every event broadcast once by each of the fewest nodes that reach every node (the
// smallest connected dominating set holding its author), at the compact codec's amortized
// airtime per event; then two hours of quiet (the chatter of radios in sync). The same run with the prototype's JSON protocol is the
// baseline. Stores are in memory here: this measures the network, not SQLite.
import { VirtualScheduler } from '../../core/clock/scheduler';
import { toHex } from '../../core/encoding/bytes';
import { rnodeAirtimeMs } from '../../core/lora/airtime';
import { RfChannel, type ReachEntry } from '../radio-sim/rf-channel';
import { LORA_FRAME_PAYLOAD } from '../../core/lora/rnode';
import { CodecJson } from './codec-json';
import { NodeCrypto } from '../../node/crypto/node-crypto';
import { createNode, type MandalaNode } from '../../node/create-node';
import { MemoryFeedStore } from '../../node/store/memory-store';
import { LoraTransport } from '../../node/transports/lora/lora-transport';
import { VirtualRadioPort } from '../radio-sim/virtual-radio';
import { benchIdentity } from './fixtures';
import { kitFeed } from './wire-bench';
import { CompactCodec, NodeRoster } from '../../core/sync/compact/codec';
import { HEADER_BYTES } from '../../core/lora/link-frames';
import type { BenchRow } from './report';
import { benchRadioLive, benchRadioPair } from './radio-live-bench';

const N = 20;
const COLS = 5;
const PARAMS = { frequencyHz: 869_525_000, bwHz: 125_000, sf: 9, cr: 5 };
const LINK: ReachEntry = { rssiDbm: -104, snrDb: 2.5 };

interface MeshResult {
  converged: boolean;
  convergeMs: number;
  airtimeMs: number;
  events: number;
  lowerBoundMs: number;
  /** Airtime from heal to convergence, and its bound: each event broadcast by the fewest nodes that reach every node. */
  healAirtimeMs: number;
  broadcastBoundMs: number;
  /** Radio payload bytes per node in the second hour of quiet after convergence (and the first). */
  idleBytesPerNodeHour: number;
  idleFirstHourBytes: number;
}

function neighbours(i: number, j: number): boolean {
  const [xi, yi, xj, yj] = [i % COLS, Math.floor(i / COLS), j % COLS, Math.floor(j / COLS)];
  return i !== j && Math.abs(xi - xj) <= 1 && Math.abs(yi - yj) <= 1;
}

function hopsFrom(origin: number): number[] {
  const dist = new Array<number>(N).fill(Infinity);
  dist[origin] = 0;
  const queue = [origin];
  while (queue.length) {
    const u = queue.shift()!;
    for (let v = 0; v < N; v++) {
      if (neighbours(u, v) && dist[v] === Infinity) {
        dist[v] = dist[u]! + 1;
        queue.push(v);
      }
    }
  }
  return dist;
}

/**
 * The fewest broadcasters that get one event from `origin` to every node: the smallest connected
 * dominating set of the reach graph that contains the origin (exact, by growing subset size; the
 * grid is small). Each of them must send the event at least once.
 */
function minBroadcasters(origin: number): number {
  const others = Array.from({ length: N }, (_, i) => i).filter((i) => i !== origin);
  const ok = (set: readonly number[]): boolean => {
    const inSet = new Set(set);
    for (let v = 0; v < N; v++) if (!inSet.has(v) && !set.some((u) => neighbours(u, v))) return false;
    const seen = new Set([origin]);
    const queue = [origin];
    while (queue.length) {
      const u = queue.shift()!;
      for (const v of set) {
        if (seen.has(v) || !neighbours(u, v)) continue;
        seen.add(v);
        queue.push(v);
      }
    }
    return seen.size === set.length;
  };
  const choose = (from: number, k: number, picked: number[]): boolean => {
    if (k === 0) return ok([origin, ...picked]);
    for (let i = from; i <= others.length - k; i++) if (choose(i + 1, k - 1, [...picked, others[i]!])) return true;
    return false;
  };
  for (let k = 0; k < N; k++) if (choose(0, k, [])) return k + 1;
  return N;
}

/** One run of the mesh; `seed` drives the channel's losses, `idle: false` skips the two quiet hours. */
export async function runMesh(protocol: 'compact' | 'json', perEventAirtimeMs: number, capMs: number, seed = 77, opts: { idle?: boolean } = {}): Promise<MeshResult> {
  const crypto = new NodeCrypto();
  const scheduler = new VirtualScheduler();
  const channel = new RfChannel(scheduler, { loss: 0.02, seed, log: true });
  const reach = (group: (i: number) => number) => {
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) channel.setReach(i, j, neighbours(i, j) && group(i) === group(j) ? LINK : null);
  };
  const nodes: MandalaNode[] = [];
  const stores: MemoryFeedStore[] = [];
  for (let i = 0; i < N; i++) {
    const id = benchIdentity(`mesh-${i}`);
    const radio = new VirtualRadioPort(i, channel, scheduler, PARAMS);
    const transport = new LoraTransport({ radio, scheduler, self: id.author, dutyCyclePct: 10, beaconEveryMs: 120_000 });
    const store = new MemoryFeedStore(crypto);
    stores.push(store);
    const node = createNode({
      store,
      crypto,
      identity: id,
      name: `mesh-${i}`,
      scheduler,
      transports: [transport],
      gossipEveryMs: 10_000,
      pollExternalMs: 3_600_000,
      ...(protocol === 'json' ? { radioCodec: () => new CodecJson(crypto) } : {}),
    });
    nodes.push(node);
  }
  reach((i) => (i % COLS < 2.5 ? 0 : 1)); // split into west and east while writing
  for (const n of nodes) await n.start();
  const kits = [0, 4, 7, 12, 15, 19];
  for (let minute = 0; minute < 20; minute++) {
    for (const k of kits) {
      const t = scheduler.nowMs();
      nodes[k]!.writer.append([{ kind: 'truck.position', payload: { truck: `T-${k}`, fix_ms: t, lat_e6: 2_000_000 + k * 10_000 + minute * 800, lon_e6: 37_500_000 + minute * 650, speed_kmh: 50, heading_deg: 45 } }]);
    }
    if (minute % 7 === 0) for (const camp of [2, 10, 17]) nodes[camp]!.writer.append([{ kind: 'field.set', payload: { record_id: `R-${camp}`, field: 'status', value: `m${minute}` } }]);
    scheduler.advance(60_000);
  }
  reach(() => 0); // heal
  const healedAt = scheduler.nowMs();
  const airtimeAtHeal = [...channel.counters.values()].reduce((n, c) => n + c.txAirtimeMs, 0);
  const digests = () => new Set(nodes.map((n) => toHex(n.replicator.digest())));
  scheduler.runUntil(() => digests().size === 1, capMs, 5_000);
  const converged = digests().size === 1;
  let airtimeMs = 0;
  for (let i = 0; i < N; i++) airtimeMs += channel.counters.get(i)!.txAirtimeMs;
  const healAirtimeMs = airtimeMs - airtimeAtHeal;
  let lowerBoundMs = 0;
  let broadcastBoundMs = 0;
  let events = 0;
  for (let i = 0; i < N; i++) {
    const own = stores[i]!.head(nodes[i]!.self)?.seq ?? 0;
    events += own;
    lowerBoundMs += own * Math.max(...hopsFrom(i)) * perEventAirtimeMs;
    // Each event the other side lacked at the heal must be broadcast by a set of nodes that
    // includes its author, is connected, and is heard by every node.
    broadcastBoundMs += own * minBroadcasters(i) * perEventAirtimeMs;
  }
  const convergeMs = scheduler.nowMs() - healedAt;
  // Then nothing changes for two hours: what the radios still say is chatter.
  const idleHour = (): number => {
    const from = channel.log!.length;
    scheduler.advance(3_600_000);
    return channel.log!.slice(from).reduce((n, l) => n + l.bytes, 0) / N;
  };
  const idle = converged && opts.idle !== false;
  const idleFirstHourBytes = idle ? idleHour() : NaN;
  const idleBytesPerNodeHour = idle ? idleHour() : NaN;
  for (const n of nodes) await n.stop();
  return { converged, convergeMs, airtimeMs, events, lowerBoundMs, healAirtimeMs, broadcastBoundMs, idleBytesPerNodeHour, idleFirstHourBytes };
}

/** Steady-state positions per signed frame, for the lower bound's per-event airtime. */
export function positionsPerFrame(crypto: NodeCrypto): number {
  const id = benchIdentity('mesh-bound');
  const codec = new CompactCodec({ hasher: crypto, roster: new NodeRoster(1), storedId: () => null, maxFrameBytes: 64 * 1024 });
  for (let i = 0; i < 2; i++) codec.encode({ type: 'frontier', heads: new Map([[id.author, 0]]) }); // the key is known
  return codec.runCapacity(kitFeed(id, crypto, 100), true, LORA_FRAME_PAYLOAD - HEADER_BYTES);
}

export async function benchMesh(scale: number, log: (s: string) => void): Promise<BenchRow[]> {
  const perEvent = rnodeAirtimeMs(LORA_FRAME_PAYLOAD, PARAMS) / positionsPerFrame(new NodeCrypto());
  const cap = Math.max(2, Math.round(12 * Math.min(1, scale * 4))) * 3_600_000;
  log(`mesh: 20 radios, compact protocol`);
  const c = await runMesh('compact', perEvent, cap);
  log(`mesh: 20 radios, JSON baseline protocol`);
  const j = await runMesh('json', perEvent, cap);
  const live = [...(await benchRadioPair(log)), ...(await benchRadioLive(scale, log))];
  const minutes = (ms: number) => ms / 60_000;
  const status = (r: MeshResult) => (r.converged ? '' : ` (not converged within ${minutes(cap) / 60} h of virtual time)`);
  return [
    {
      section: 'mesh',
      metric: `20-node LoRa mesh: time to converge after a partition heals`,
      value: minutes(c.convergeMs),
      unit: 'min',
      baseline: { label: 'prototype JSON protocol', value: minutes(j.convergeMs), unit: 'min' },
      ratio: c.convergeMs / j.convergeMs,
      note: `${c.events} events, SF9/125 kHz, 10% duty cycle, 2% loss${status(c)}; JSON${status(j)}`,
    },
    {
      section: 'mesh',
      metric: 'heal: airtime from heal to convergence, as a multiple of the broadcast bound (target 3)',
      value: c.healAirtimeMs / c.broadcastBoundMs,
      unit: 'x bound',
      baseline: { label: 'prototype JSON protocol', value: j.healAirtimeMs / j.broadcastBoundMs, unit: 'x bound' },
      ratio: c.healAirtimeMs / j.healAirtimeMs,
      note: `bound ${(c.broadcastBoundMs / 1000).toFixed(1)} s: each event sent once by each of the fewest nodes that reach every node (a connected dominating set with its author), at ${perEvent.toFixed(1)} ms/event; the looser bound (once per hop to the farthest node) is ${(c.lowerBoundMs / 1000).toFixed(1)} s; compact used ${(c.healAirtimeMs / 1000).toFixed(1)} s after the heal (${(c.airtimeMs / 1000).toFixed(1)} s in all), JSON ${(j.healAirtimeMs / 1000).toFixed(1)} s`,
    },
    {
      section: 'mesh',
      metric: 'idle: radio bytes per node per hour, 20 nodes in sync (target 500)',
      value: c.idleBytesPerNodeHour,
      unit: 'B/node/h',
      baseline: { label: 'prototype JSON protocol', value: j.idleBytesPerNodeHour, unit: 'B/node/h' },
      ratio: c.idleBytesPerNodeHour / j.idleBytesPerNodeHour,
      note: `the second hour of quiet after convergence (the first: ${Math.round(c.idleFirstHourBytes)} B, JSON ${Math.round(j.idleFirstHourBytes)} B); packet bytes with the link header, beacons included`,
    },
    ...live,
  ];
}
