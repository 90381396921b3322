// What every store suite runs against: a fresh store per test, and a way to reopen it (for stores
// that survive a restart). Each adapter's test file hands one of these to runStoreSuites.
import type { FeedStore } from '../../../src/core/store/feed-store';
import type { LocalAppender } from '../../../src/core/store/feed-log';
import { signHead } from '../../../src/core/feed/head';
import { identity } from '../../support/feeds';

export interface StoreHarness {
  store: FeedStore;
  /** Close and reopen the same store (SQLite); null for stores that cannot survive a restart. */
  reopen: (() => FeedStore) | null;
  cleanup: () => void;
}

export type MakeHarness = () => StoreHarness;

export const NOW = 1_700_000_500_000;

/** Runs `fn` on a fresh store and cleans up, whatever happens. */
export function withStore(make: MakeHarness, fn: (h: StoreHarness) => void): () => void {
  return () => {
    const h = make();
    try {
      fn(h);
    } finally {
      h.cleanup();
    }
  };
}

export function localAppender(label: string): LocalAppender {
  const id = identity(label);
  let wall = 1_700_000_000_000;
  return {
    author: id.author,
    stamp: ({ head }) => ({ wall: Math.max(++wall, head ? head.hlc.wall + 1 : 0), counter: 0 }),
    signHead: (seq, eventId) => signHead(id, id.author, seq, eventId),
  };
}
