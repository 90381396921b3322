// PROVES: while a freshness window is open, the radio's view of the node shows its own feed as it
//         was when the window opened (frontier, digest and readable runs alike), other feeds as
//         they are, and everything again once released; a window already open keeps its end.
// CATCHES: a digest or frontier that gives held fixes away (a neighbour then asks for them, and
//          they cross early in small runs), or a readRange that lets the planner send them.
import { expect, it } from 'vitest';
import { frontierDigest } from '../../src/core/feed/frontier';
import { FreshnessHold } from '../../src/core/sync/freshness-hold';
import { MemoryFeedStore } from '../../src/node/store/memory-store';
import { crypto, FeedBuilder } from '../support/feeds';

it('the_hold_shows_the_own_feed_as_it_was_when_the_window_opened', () => {
  const own = new FeedBuilder('kit-1');
  const other = new FeedBuilder('camp-2');
  const fix = (i: number) => own.add('truck.position', { truck: 'T-1', fix_ms: 1_700_000_000_000 + i * 5000, lat_e6: 1_000_000 + i, lon_e6: 37_000_000 });
  for (let i = 0; i < 3; i++) fix(i);
  other.add('note.add', { record_id: 'R-1', text: 'a' });
  const store = new MemoryFeedStore(crypto);
  store.ingest([own.run(1, 3), other.run(1, 1)], 0);
  const host = { self: own.author, name: 'kit', frontier: () => store.frontier(), digest: () => frontierDigest(store.frontier(), crypto), digestOf: (f: Parameters<typeof frontierDigest>[0]) => frontierDigest(f, crypto), readRange: (a: string, f: number, t: number) => store.readRange(a, f, t) };
  const hold = new FreshnessHold(host);
  const before = host.digest();

  expect(hold.hold(1000, 30_000)).toBe(31_000);
  for (let i = 3; i < 6; i++) fix(i);
  other.add('note.add', { record_id: 'R-1', text: 'b' });
  store.ingest([own.run(4, 6), other.run(2, 2)], 0);
  expect(hold.hold(6000, 30_000), 'a window already open keeps its end').toBe(31_000);
  expect(hold.frontier().get(own.author)?.seq).toBe(3);
  expect(hold.frontier().get(own.author)?.id).toBe(store.readRange(own.author, 3, 3)[0]!.id);
  expect(hold.frontier().get(other.author)?.seq, 'other feeds are not held').toBe(2);
  expect(hold.digest()).toEqual(frontierDigest(hold.frontier(), crypto));
  expect(hold.digest()).not.toEqual(before);
  expect(hold.readRange(own.author, 1, 6).map((e) => e.seq)).toEqual([1, 2, 3]);
  expect(hold.readRange(own.author, 4, 6)).toEqual([]);
  expect(hold.readRange(other.author, 1, 2)).toHaveLength(2);

  hold.release();
  expect(hold.holding).toBe(false);
  expect(hold.frontier().get(own.author)?.seq).toBe(6);
  expect(hold.digest()).toEqual(host.digest());
  expect(hold.readRange(own.author, 4, 6)).toHaveLength(3);
  // The next window holds from what was released.
  hold.hold(40_000, 30_000);
  fix(6);
  store.ingest([own.run(7, 7)], 0);
  expect(hold.frontier().get(own.author)?.seq).toBe(6);
});
