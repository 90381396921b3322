// PROVES: the in-memory store obeys the same storage contracts as the SQLite store.
// CATCHES: simulations that pass only because their store is laxer than the real one.
import { MemoryFeedStore } from '../../src/node/store/memory-store';
import { crypto } from '../support/feeds';
import { runStoreSuites } from './suites/run-store-suites';

runStoreSuites('memory', false, () => ({ store: new MemoryFeedStore(crypto), reopen: null, cleanup: () => {} }));
