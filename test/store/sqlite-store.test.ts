// PROVES: the SQLite store obeys the feed rules on a real file, keeps its pending buffer and
//         quarantine across restarts, and refuses corrupt or foreign files without touching them.
// CATCHES: lost buffered events after a restart; a store that overwrites a file it does not own.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { encodeCanonical } from '../../src/core/encoding/canonical';
import { crypto, FeedBuilder } from '../support/feeds';
import { runStoreSuites } from './suites/run-store-suites';
import { localAppender } from './suites/harness';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mandala-store-'));
}

runStoreSuites('sqlite', true, () => {
  const dir = tempDir();
  const path = join(dir, 'mandala.db');
  let store = SqliteFeedStore.open(path, { crypto });
  return {
    store,
    reopen: () => {
      store.close();
      store = SqliteFeedStore.open(path, { crypto });
      return store;
    },
    cleanup: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** A fresh store file for one test, closed and removed after it. */
function withStoreFile(body: (store: SqliteFeedStore, path: string) => void): void {
  const dir = tempDir();
  const path = join(dir, 'mandala.db');
  const store = SqliteFeedStore.open(path, { crypto });
  try {
    body(store, path);
  } finally {
    store.close();
    rmSync(dir, { recursive: true });
  }
}

/** A page read through another connection, from the file itself. */
function readFromFile(path: string, cursor: number) {
  const other = SqliteFeedStore.open(path, { crypto, readonly: true });
  try {
    return other.readSince(cursor, 100);
  } finally {
    other.close();
  }
}

describe('SqliteFeedStore reading what it just stored', () => {
  it('read_since_gives_an_ingest_s_events_exactly_as_another_connection_reads_them_from_the_file', () =>
    withStoreFile((store, path) => {
      const a = new FeedBuilder('alice');
      const b = new FeedBuilder('bob');
      a.addMany(6);
      b.addMany(3);
      const comparable = (evs: readonly { author: string; seq: number; id: string; payload: unknown; bytes: Uint8Array; sig: Uint8Array | null }[]) =>
        evs.map((e) => ({ author: e.author, seq: e.seq, id: e.id, payload: e.payload, bytes: Buffer.from(e.bytes).toString('hex'), sig: e.sig ? Buffer.from(e.sig).toString('hex') : null }));
      // An unsigned run first (the next run's signature authenticates it); one event of bob's is
      // buffered (a gap) until the run that fills it.
      store.ingest([a.run(1, 3, false), b.run(3, 3), a.run(4, 6)], 0);
      // Read in two pages, as a fold may.
      const first = store.readSince(0, 4);
      const rest = store.readSince(first.cursor, 100);
      const file1 = readFromFile(path, 0);
      expect(comparable([...first.events, ...rest.events]), 'alice 1..6, bob 3 waits for 1..2').toEqual(comparable(file1.events));
      expect(file1.events).toHaveLength(6);
      expect(rest.cursor).toBe(file1.cursor);
      store.ingest([b.run(1, 2)], 0);
      const second = store.readSince(rest.cursor, 100);
      const file2 = readFromFile(path, rest.cursor);
      expect(comparable(second.events), 'bob 1..3, the buffered one included').toEqual(comparable(file2.events));
      expect(second.events.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(store.readSince(second.cursor, 100).events, 'nothing after the last position').toEqual([]);
    }));

  it('read_since_after_a_local_append_gives_payloads_as_stored_not_as_the_caller_built_them', () =>
    withStoreFile((store, path) => {
      const built = store.appendLocal(localAppender('camp'), [{ kind: 'truck.position', payload: { truck: 'T1', fix_ms: 1_700_000_000_000, lat_e6: -0, lon_e6: 5, speed_kmh: undefined } }]);
      expect(Object.is((built[0]!.payload as { lat_e6: number }).lat_e6, -0), 'the caller\'s value').toBe(true);
      const read = store.readSince(0, 10).events;
      const fromFile = readFromFile(path, 0).events;
      expect(read).toHaveLength(1);
      expect(Object.is((read[0]!.payload as { lat_e6: number }).lat_e6, 0), 'the stored bytes say 0').toBe(true);
      expect(Object.keys(read[0]!.payload as object), 'no key for an undefined value, in canonical order').toEqual(Object.keys(fromFile[0]!.payload as object));
      expect(read[0]!.id).toBe(fromFile[0]!.id);
    }));
});

describe('SqliteFeedStore schema upgrades', () => {
  it('positions_waiting_in_an_inbox_of_schema_6_are_kept_in_order_by_the_upgrade', () => {
    const dir = tempDir();
    const path = join(dir, 'mandala.db');
    SqliteFeedStore.open(path, { crypto }).close();
    // The inbox as schema 5 made it (one row per position), with two positions waiting.
    const old = new Database(path);
    old.exec(`DROP TABLE intake_deliveries; CREATE TABLE intake_inbox (row INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload BLOB NOT NULL) STRICT;`);
    const fix = (n: number) => ({ truck: 'T1', fix_ms: 1_700_000_000_000 + n, lat_e6: n, lon_e6: -n });
    const insert = old.prepare(`INSERT INTO intake_inbox (kind, payload) VALUES ('truck.position', ?)`);
    insert.run(encodeCanonical(fix(2)));
    insert.run(encodeCanonical(fix(1)));
    old.pragma('user_version = 6');
    old.close();
    const store = SqliteFeedStore.open(path, { crypto });
    try {
      expect(store.inbox.inboxDepth()).toBe(2);
      expect(store.inbox.inboxPeek(10).map((e) => e.draft), 'admission order, payloads intact').toEqual([
        { kind: 'truck.position', payload: fix(2) },
        { kind: 'truck.position', payload: fix(1) },
      ]);
    } finally {
      store.close();
      rmSync(dir, { recursive: true });
    }
  });
});

describe('SqliteFeedStore on bad files', () => {
  it('refuses_a_file_that_is_not_sqlite_and_leaves_it_untouched', () => {
    const dir = tempDir();
    const path = join(dir, 'mandala.db');
    writeFileSync(path, 'this is a shopping list, not a database\n');
    expect(() => SqliteFeedStore.open(path, { crypto })).toThrow(/not a SQLite database/);
    expect(readFileSync(path, 'utf8')).toBe('this is a shopping list, not a database\n');
    rmSync(dir, { recursive: true });
  });

  it('refuses_a_sqlite_database_that_another_program_made', () => {
    const dir = tempDir();
    const path = join(dir, 'mandala.db');
    const other = new Database(path);
    other.exec('CREATE TABLE invoices (n INTEGER)');
    other.close();
    const before = readFileSync(path);
    try {
      SqliteFeedStore.open(path, { crypto });
      expect.unreachable('opening a foreign database must fail');
    } catch (e) {
      expect((e as { code: string }).code).toBe('store_foreign');
    }
    expect(readFileSync(path).equals(before), 'the foreign file is byte-identical (not even switched to WAL)').toBe(true);
    expect(existsSync(`${path}-wal`), 'no WAL was created for it').toBe(false);
    const check = new Database(path);
    expect(check.prepare(`SELECT name FROM sqlite_master`).all()).toEqual([{ name: 'invoices' }]);
    check.close();
    rmSync(dir, { recursive: true });
  });

  it('reports_a_damaged_database_as_store_corrupt', () => {
    const dir = tempDir();
    const path = join(dir, 'mandala.db');
    const s = SqliteFeedStore.open(path, { crypto });
    const b = new FeedBuilder('peer-a');
    b.addMany(200);
    s.ingest([b.run(1, 200)], 0);
    s.close();
    // Keep the header, scribble over the pages behind it.
    const bytes = readFileSync(path);
    for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    writeFileSync(path, bytes);
    let code = '';
    try {
      const again = SqliteFeedStore.open(path, { crypto });
      again.eventCount();
      again.close();
    } catch (e) {
      code = (e as { code: string }).code;
    }
    expect(code).toBe('store_corrupt');
    rmSync(dir, { recursive: true });
  });

  it('verify_chains_finds_no_problems_in_a_healthy_store', () => {
    const dir = tempDir();
    const s = SqliteFeedStore.open(join(dir, 'mandala.db'), { crypto });
    const b = new FeedBuilder('peer-a');
    b.addMany(50);
    s.ingest([b.run(1, 20), b.run(21, 50)], 0);
    expect(s.verifyChains()).toEqual({ authors: 1, events: 50, problems: [] });
    s.close();
    rmSync(dir, { recursive: true });
  });
});

describe('SqliteFeedStore checkpoint parts', () => {
  const meta = (cursor: number, versions: string) => ({
    createdAtMs: 1_700_000_000_000,
    cursor,
    eventCount: cursor,
    frontier: new Uint8Array([1]),
    frontierDigest: new Uint8Array(32),
    hlcHigh: { wall: 1_700_000_000_000, counter: 0 },
    versions,
    stateHash: new Uint8Array(32),
  });

  it('a_whole_save_that_drops_a_staged_checkpoint_drops_its_parts_and_keeps_a_stage_still_being_written', () => {
    const dir = tempDir();
    const path = join(dir, 'mandala.db');
    try {
      const store = SqliteFeedStore.open(path, { crypto });
      const old = store.openCheckpointStage();
      store.addCheckpointPart(old, 0, new Uint8Array(1000).fill(1));
      store.addCheckpointPart(old, 1, new Uint8Array(1000).fill(2));
      store.commitCheckpointStage(old, meta(10, 'snapshot:1,fleet:3'), 2, 2);
      // A worker has begun the next checkpoint, in parts, when the node saves one whole (at stop).
      const writing = store.openCheckpointStage();
      store.addCheckpointPart(writing, 0, new Uint8Array([5]));
      store.saveCheckpoint({ ...meta(20, 'snapshot:2,fleet:3'), state: new Uint8Array([7]) }, 2);
      const raw = new Database(path, { readonly: true });
      const stages = (raw.prepare('SELECT stage, count(*) AS n FROM checkpoint_parts GROUP BY stage').all() as { stage: number; n: number }[]).map((r) => [r.stage, r.n]);
      raw.close();
      expect(stages, 'the old format\'s parts are gone; the stage being written is whole').toEqual([[writing, 1]]);
      expect(store.latestCheckpoint('snapshot:1,fleet:3')).toBeNull();
      store.commitCheckpointStage(writing, meta(30, 'snapshot:2,fleet:3'), 1, 2);
      expect([...store.latestCheckpoint('snapshot:2,fleet:3')!.state]).toEqual([5]);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
