// PROVES: a relay that sends a feed signed only at its head (as relays store a kit's feed) gets
//         it fully into an empty neighbour's store, whatever the feed's length, when the keys are
//         spelled out again (a neighbour that lacked the feed after it was sent): every run fits
//         the frame as encoded, and the signed head never goes without its signature.
// CATCHES: the 20-node mesh's livelock: a run of the whole feed did not fit signed with the key
//          spelled out, so it went unsigned; the receiver held it pending, waiting for a signed
//          event above that never came, and every neighbour re-sent the same unsigned run for
//          hours. Also a keys-again run measured without its key, so it overflowed the frame.
import { describe, expect, it } from 'vitest';
import { CompactCodec, NodeRoster } from '../../src/core/sync/compact/codec';
import { RunPlanner } from '../../src/core/sync/run-planner';
import { LORA_SESSION } from '../../src/core/sync/settings';
import { LORA_FRAME_PAYLOAD } from '../../src/core/lora/rnode';
import { HEADER_BYTES } from '../../src/core/lora/link-frames';
import { MemoryFeedStore } from '../../src/node/store/memory-store';
import { crypto, FeedBuilder } from '../support/feeds';

const MTU = LORA_FRAME_PAYLOAD - HEADER_BYTES;

function kit(n: number): FeedBuilder {
  const feed = new FeedBuilder('kit-12');
  for (let i = 0; i < n; i++) feed.add('truck.position', { truck: 'KBZ 114A', fix_ms: 1_700_000_000_000 + i * 60_000, lat_e6: 2_000_000 + i * 800, lon_e6: 37_500_000 + i * 650, speed_kmh: 50, heading_deg: 45 });
  return feed;
}

/** Everything the planner sends of `feed` (held by a relay, signed at its head) to an empty neighbour. */
function relay(feed: FeedBuilder, announcedBefore: boolean): { receiver: MemoryFeedStore; frames: number[]; unsignedHead: boolean } {
  const store = new MemoryFeedStore(crypto);
  store.ingest([feed.run(1, feed.events.length)], 0);
  const codec = new CompactCodec({ hasher: crypto, roster: new NodeRoster(1), storedId: () => null, maxFrameBytes: 1024 });
  // The key was announced before (two frames) and the neighbour asked again, or never.
  if (announcedBefore) for (let i = 0; i < 2; i++) codec.encode({ type: 'frontier', heads: new Map([[feed.author, 0]]) });
  const host = { self: 'relay', name: 'relay', frontier: () => store.frontier(), digest: () => new Uint8Array(32), digestOf: () => new Uint8Array(32), readRange: (a: string, f: number, t: number) => store.readRange(a, f, t) };
  const planner = new RunPlanner(host, { ...LORA_SESSION, codec, mtu: MTU });
  const receiver = new MemoryFeedStore(crypto);
  const frames: number[] = [];
  let unsignedHead = false;
  // The neighbour lacked the feed after it was sent: gap first, prev and keys again.
  planner.plan(new Map([[feed.author, 0]]), new Set([feed.author]));
  for (let run = planner.next(); run; run = planner.next()) {
    frames.push(codec.encode(run).length);
    if (run.events.at(-1)!.seq === feed.events.length && !run.sig) unsignedHead = true;
    receiver.ingest([{ author: run.author, events: run.events, sig: run.sig }], 0);
  }
  return { receiver, frames, unsignedHead };
}

describe('a relay re-sending a feed signed only at its head', () => {
  for (const announcedBefore of [false, true]) {
    it(`every_length_from_1_to_40_arrives_whole_in_frames_that_fit${announcedBefore ? '_after_a_roster_request' : ''}`, () => {
      const bad: string[] = [];
      for (let n = 1; n <= 40; n++) {
        const feed = kit(n);
        const { receiver, frames, unsignedHead } = relay(feed, announcedBefore);
        const head = receiver.head(feed.author)?.seq ?? 0;
        if (head !== n || unsignedHead || frames.some((b) => b > MTU)) bad.push(`${n} events: receiver holds ${head}, frames ${frames.join('+')} B${unsignedHead ? ', head sent unsigned' : ''}`);
      }
      expect(bad).toEqual([]);
    });
  }
});
