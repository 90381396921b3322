// PROVES: the in-memory store obeys the same feed rules as the SQLite store.
// CATCHES: simulations that pass only because their store is laxer than the real one.
import { MemoryFeedStore } from '../../src/node/store/memory-store';
import { crypto } from '../support/feeds';
import { runFeedStoreSuite } from './feed-store-suite';

runFeedStoreSuite('memory', false, () => ({ store: new MemoryFeedStore(crypto), reopen: null, cleanup: () => {} }));
