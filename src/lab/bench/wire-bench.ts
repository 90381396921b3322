// Wire: what the compact codec puts on air against the prototype's JSON, for the same events.
// Frames are LoRa packets as RNode sends them (254 payload bytes), link header included.
import type { FeedEvent } from '../../core/events/event';
import { HEADER_BYTES } from '../../core/lora/link-frames';
import { signHead } from '../../core/feed/head';
import { LORA_FRAME_PAYLOAD } from '../../core/lora/rnode';
import { CodecJson } from './codec-json';
import { CompactCodec, NodeRoster } from '../../core/sync/compact/codec';
import { sealEvent } from '../../core/events/event';
import { NodeCrypto } from '../../node/crypto/node-crypto';
import type { NodeIdentity } from '../../node/crypto/identity';
import { benchIdentity } from './fixtures';
import type { BenchRow } from './report';

const FRAME = LORA_FRAME_PAYLOAD - HEADER_BYTES;

/** A truck kit's feed: a fix every ~5 s at road speed, as the demo and real kits produce. */
export function kitFeed(id: NodeIdentity, crypto: NodeCrypto, n: number): FeedEvent[] {
  const out: FeedEvent[] = [];
  let lat = -1_292_066;
  let lon = 36_821_946;
  let t = 1_763_800_000_000;
  let heading = 40;
  for (let i = 0; i < n; i++) {
    t += 5000 + ((i * 7) % 40);
    heading = (heading + ((i % 7) - 3) + 360) % 360;
    lat += Math.round(700 * Math.cos((heading * Math.PI) / 180)) + ((i * 13) % 9) - 4;
    lon += Math.round(700 * Math.sin((heading * Math.PI) / 180)) + ((i * 17) % 9) - 4;
    const ev: FeedEvent = sealEvent(
      { author: id.author, seq: i + 1, prev: out[i - 1]?.id ?? null, hlc: { wall: t, counter: 0 }, kind: 'truck.position', payload: { truck: 'KBZ 114A', fix_ms: t - 1000, lat_e6: lat, lon_e6: lon, speed_kmh: 55 + (i % 12), heading_deg: heading } },
      crypto,
    );
    out.push(ev);
  }
  return out;
}

/** Sends a feed frame by frame (each signed), returning total bytes on air and frames. */
function sendFeed(codec: { runCapacity: CompactCodec['runCapacity']; encode: CompactCodec['encode'] }, events: FeedEvent[], id: NodeIdentity, frame: number): { bytes: number; frames: number } {
  let bytes = 0;
  let frames = 0;
  for (let i = 0; i < events.length; ) {
    const fit = Math.max(1, codec.runCapacity(events.slice(i, i + 255), true, frame));
    const chunk = events.slice(i, i + fit);
    const last = chunk[chunk.length - 1]!;
    const encoded = codec.encode({ type: 'run', author: id.author, events: chunk, sig: signHead(id, id.author, last.seq, last.id) });
    bytes += encoded.length + HEADER_BYTES * Math.ceil(encoded.length / frame);
    frames += Math.ceil(encoded.length / frame);
    i += fit;
  }
  return { bytes, frames };
}

export function benchWire(scale: number, log: (s: string) => void): BenchRow[] {
  const crypto = new NodeCrypto();
  const id = benchIdentity('wire-kit');
  const n = Math.max(100, Math.round(2000 * scale));
  log(`wire: ${n} truck positions, 50-author frontiers`);
  const events = kitFeed(id, crypto, n);
  const compact = () => new CompactCodec({ hasher: crypto, roster: new NodeRoster(1), storedId: () => null, maxFrameBytes: 64 * 1024 });
  const json = new CodecJson(crypto);

  const first = compact().runCapacity(events, true, FRAME);
  const warm = compact();
  // The author is announced: a new key is spelled out in the first two frames that name it.
  for (let i = 0; i < 2; i++) warm.encode({ type: 'frontier', heads: new Map([[id.author, 0]]) });
  const steady = warm.runCapacity(events, true, FRAME);
  const jsonOne = json.encode({ type: 'run', author: id.author, events: events.slice(0, 1), sig: signHead(id, id.author, 1, events[0]!.id) }).length + HEADER_BYTES;

  const c = sendFeed(compact(), events, id, FRAME);
  const j = sendFeed({ runCapacity: (e, s, m) => json.runCapacity(e, s, m), encode: (m) => json.encode(m) }, events, id, FRAME);

  const authors = Array.from({ length: 50 }, (_, i) => benchIdentity(`wire-author-${i}`).author);
  const heads = new Map(authors.map((a, i) => [a, 1200 + i * 97] as const));
  const digest = compact().encode({ type: 'digest', digest: new Uint8Array(32), feeds: 50 }).length + HEADER_BYTES;
  const jsonFrontier = json.encode({ type: 'frontier', heads }).length;
  const jsonSyncCheck = jsonFrontier + HEADER_BYTES * Math.ceil(jsonFrontier / FRAME);
  const roster = compact();
  for (let i = 0; i < 2; i++) roster.encode({ type: 'frontier', heads }); // the first two exchanges spell the 50 keys out
  const compactFrontier = roster.encode({ type: 'frontier', heads }).length;

  return [
    { section: 'wire', metric: 'truck positions per 254-byte LoRa frame, signed (author known)', value: steady, unit: 'positions', baseline: { label: 'prototype JSON', value: FRAME / jsonOne, unit: 'positions' }, ratio: steady / (FRAME / jsonOne), note: `${first} in the first two frames to a peer (they carry the 32-byte author key); one JSON position is ${jsonOne} bytes, over a whole frame` },
    { section: 'wire', metric: 'bytes on air per event, amortized (signed frames)', value: c.bytes / n, unit: 'B/event', baseline: { label: 'prototype JSON', value: j.bytes / n, unit: 'B/event' }, ratio: c.bytes / n / (j.bytes / n), note: `${n} positions: ${c.frames} frames compact, ${j.frames} JSON` },
    { section: 'wire', metric: 'bytes to confirm two nodes with 50 authors are in sync (per direction)', value: digest, unit: 'B', baseline: { label: 'prototype JSON frontier', value: jsonSyncCheck, unit: 'B' }, ratio: digest / jsonSyncCheck },
    { section: 'wire', metric: 'bytes per author of a differing frontier (once the keys are known)', value: compactFrontier / 50, unit: 'B/author', baseline: { label: 'prototype JSON', value: jsonFrontier / 50, unit: 'B/author' }, ratio: compactFrontier / jsonFrontier },
  ];
}
