// The live phase of a radio link: a truck kit at one end of a chain of five radios (SF9/125 kHz,
// 1% duty cycle, 2% loss) records a fix every 10 s for an hour. Measured, for freshness windows
// of 0, 30 s and 120 s: the airtime all radios spent per position, and each position's age when
// the farthest node (four hops away) first held it (p50/p95). The baseline is the prototype's
// JSON protocol at the default window, in the same run. Stores are in memory: this measures the
// network, not SQLite.
import { VirtualScheduler } from '../../core/clock/scheduler';
import { RfChannel, type ReachEntry } from '../radio-sim/rf-channel';
import { VirtualRadioPort } from '../radio-sim/virtual-radio';
import { CodecJson } from './codec-json';
import { NodeCrypto } from '../../node/crypto/node-crypto';
import { createNode, type MandalaNode } from '../../node/create-node';
import { MemoryFeedStore } from '../../node/store/memory-store';
import { LoraTransport } from '../../node/transports/lora/lora-transport';
import { DEFAULT_RADIO_FRESHNESS_MS } from '../../core/sync/settings';
import { benchIdentity } from './fixtures';
import type { BenchRow } from './report';

const HOPS = 4;
const PARAMS = { frequencyHz: 869_525_000, bwHz: 125_000, sf: 9, cr: 5 };
const LINK: ReachEntry = { rssiDbm: -104, snrDb: 2.5 };
const FIX_EVERY_MS = 10_000;

interface LiveResult {
  readonly positions: number;
  readonly delivered: number;
  readonly airtimePerPositionMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

const quantile = (sorted: readonly number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);

/** One bench node on a simulated radio, its store in memory (the JSON prototype's codec when asked). */
function radioNode(i: number, name: string, channel: RfChannel, scheduler: VirtualScheduler, params: typeof PARAMS, dutyCyclePct: number, protocol: 'compact' | 'json', crypto: NodeCrypto, extra: { radioFreshnessMs?: number } = {}) {
  const id = benchIdentity(name);
  const store = new MemoryFeedStore(crypto);
  const node = createNode({
    store,
    crypto,
    identity: id,
    name,
    scheduler,
    transports: [new LoraTransport({ radio: new VirtualRadioPort(i, channel, scheduler, params), scheduler, self: id.author, dutyCyclePct })],
    gossipEveryMs: 10_000,
    pollExternalMs: 3_600_000,
    ...extra,
    ...(protocol === 'json' ? { radioCodec: () => new CodecJson(crypto) } : {}),
  });
  return { node, store };
}

async function runLive(freshnessMs: number, protocol: 'compact' | 'json', minutes: number): Promise<LiveResult> {
  const crypto = new NodeCrypto();
  const scheduler = new VirtualScheduler();
  const channel = new RfChannel(scheduler, { loss: 0.02, seed: 11 });
  for (let i = 0; i < HOPS; i++) {
    channel.setReach(i, i + 1, LINK);
    channel.setReach(i + 1, i, LINK);
  }
  const nodes: MandalaNode[] = [];
  const stores: MemoryFeedStore[] = [];
  for (let i = 0; i <= HOPS; i++) {
    const { node, store } = radioNode(i, `live-${i}`, channel, scheduler, PARAMS, 1, protocol, crypto, { radioFreshnessMs: freshnessMs });
    nodes.push(node);
    stores.push(store);
  }
  for (const n of nodes) await n.start();
  // The chain learns itself first (hellos, profiles); what is measured starts from quiet.
  scheduler.advance(20 * 60_000);
  const airtimeBefore = [...channel.counters.values()].reduce((n, c) => n + c.txAirtimeMs, 0);
  const kit = nodes[0]!;
  const far = stores[HOPS]!;
  const writtenAt = new Map<number, number>();
  const ages: number[] = [];
  let seen = far.head(kit.self)?.seq ?? 0;
  const watch = () => {
    const head = far.head(kit.self)?.seq ?? 0;
    for (let s = seen + 1; s <= head; s++) {
      const at = writtenAt.get(s);
      if (at !== undefined) ages.push(scheduler.nowMs() - at);
    }
    seen = Math.max(seen, head);
  };
  const fixes = Math.round((minutes * 60_000) / FIX_EVERY_MS);
  for (let f = 0; f < fixes; f++) {
    const t = scheduler.nowMs();
    const [r] = kit.writer.append([{ kind: 'truck.position', payload: { truck: 'KBZ 114A', fix_ms: t, lat_e6: 350_000 + f * 300, lon_e6: 37_580_000 + f * 250, speed_kmh: 50, heading_deg: 45 } }]);
    if (r?.ok) writtenAt.set(r.seq, t);
    for (let s = 0; s < FIX_EVERY_MS; s += 1000) {
      scheduler.advance(1000);
      watch();
    }
  }
  // The last fixes get half an hour to arrive.
  for (let s = 0; s < 30 * 60 && ages.length < writtenAt.size; s++) {
    scheduler.advance(1000);
    watch();
  }
  const airtime = [...channel.counters.values()].reduce((n, c) => n + c.txAirtimeMs, 0) - airtimeBefore;
  for (const n of nodes) await n.stop();
  const sorted = [...ages].sort((a, b) => a - b);
  return { positions: writtenAt.size, delivered: ages.length, airtimePerPositionMs: airtime / Math.max(1, ages.length), p50Ms: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95) };
}

export async function benchRadioLive(scale: number, log: (s: string) => void): Promise<BenchRow[]> {
  const minutes = Math.max(10, Math.round(60 * Math.min(1, scale)));
  log(`live: a kit 4 radio hops from the farthest node, a fix every 10 s for ${minutes} min, 1% duty cycle`);
  const json = await runLive(DEFAULT_RADIO_FRESHNESS_MS, 'json', minutes);
  const rows: BenchRow[] = [];
  for (const windowMs of [0, 30_000, 120_000]) {
    const c = await runLive(windowMs, 'compact', minutes);
    const label = `freshness ${windowMs / 1000} s`;
    const lost = c.delivered < c.positions ? `; ${c.positions - c.delivered} of ${c.positions} not at the far end within 30 min` : '';
    rows.push({
      section: 'mesh',
      metric: `live, ${label}: airtime per position (all 5 radios)`,
      value: c.airtimePerPositionMs,
      unit: 'ms/position',
      baseline: { label: `prototype JSON, freshness ${DEFAULT_RADIO_FRESHNESS_MS / 1000} s`, value: json.airtimePerPositionMs, unit: 'ms/position' },
      ratio: c.airtimePerPositionMs / json.airtimePerPositionMs,
      note: `${c.delivered} of ${c.positions} positions delivered 4 hops away; JSON delivered ${json.delivered}`,
    });
    // The prototype may deliver nothing 4 hops away within the half hour: then it has no age to compare.
    const jsonAge = json.delivered > 0 ? { baseline: { label: 'prototype JSON p50', value: json.p50Ms / 1000, unit: 's' }, ratio: c.p50Ms / json.p50Ms } : {};
    rows.push({
      section: 'mesh',
      metric: `live, ${label}: position age 4 hops away, p50 / p95`,
      value: c.p50Ms / 1000,
      unit: 's',
      ...jsonAge,
      note: `p95 ${(c.p95Ms / 1000).toFixed(1)} s (${json.delivered > 0 ? `JSON p95 ${(json.p95Ms / 1000).toFixed(1)} s` : `JSON: none of ${json.positions} delivered 4 hops away within 30 min`})${lost}`,
    });
  }
  return rows;
}

/**
 * End to end over two radios (SF7/125 kHz, 10% duty cycle, 2% loss), from power-on: a kit
 * records 80 fixes 5 s apart and the camp stores them. Every byte either radio sent counts
 * (hellos, beacons, digests, frontiers, runs, roster requests, link headers), until the camp holds
 * the 80 fixes. Returns positions per 255 bytes of radio payload.
 */
async function runPair(protocol: 'compact' | 'json'): Promise<{ perFrame: number; bytes: number; delivered: number }> {
  const crypto = new NodeCrypto();
  const scheduler = new VirtualScheduler();
  const channel = new RfChannel(scheduler, { loss: 0.02, seed: 5, log: true });
  channel.setReach(0, 1, LINK);
  channel.setReach(1, 0, LINK);
  const nodes: MandalaNode[] = [];
  const stores: MemoryFeedStore[] = [];
  for (let i = 0; i < 2; i++) {
    const { node, store } = radioNode(i, `pair-${i}`, channel, scheduler, { ...PARAMS, sf: 7 }, 10, protocol, crypto);
    nodes.push(node);
    stores.push(store);
  }
  for (const n of nodes) await n.start();
  const [kit] = nodes as [MandalaNode, MandalaNode];
  let last = 0;
  for (let f = 0; f < 80; f++) {
    const t = scheduler.nowMs();
    const [r] = kit.writer.append([{ kind: 'truck.position', payload: { truck: 'KBZ 114A', fix_ms: t, lat_e6: 350_000 + f * 300, lon_e6: 37_580_000 + f * 250, speed_kmh: 50, heading_deg: 45 } }]);
    if (r?.ok) last = r.seq;
    scheduler.advance(5_000);
  }
  scheduler.runUntil(() => (stores[1]!.head(kit.self)?.seq ?? 0) >= last, 3_600_000, 1000);
  const delivered = Math.min(80, Math.max(0, (stores[1]!.head(kit.self)?.seq ?? 0) - (last - 80)));
  const bytes = channel.log!.reduce((n, l) => n + l.bytes, 0);
  for (const n of nodes) await n.stop();
  return { perFrame: (delivered / bytes) * 255, bytes, delivered };
}

export async function benchRadioPair(log: (s: string) => void): Promise<BenchRow[]> {
  log('pair: two radios from power-on, 80 fixes, every byte on air counted');
  const c = await runPair('compact');
  const j = await runPair('json');
  return [
    {
      section: 'mesh',
      metric: 'end to end: positions delivered per 255 bytes of radio payload, all traffic (target 16)',
      value: c.perFrame,
      unit: 'positions',
      baseline: { label: 'prototype JSON protocol', value: j.perFrame, unit: 'positions' },
      ratio: c.perFrame / j.perFrame,
      note: `${c.delivered} fixes in ${c.bytes} bytes both ways (SF7/125 kHz, 10% duty, 2% loss, freshness 30 s, from power-on); JSON ${j.delivered} in ${j.bytes} B; in-process channel (the radio simulator's own SimRadio), not pseudo-terminals`,
    },
  ];
}
