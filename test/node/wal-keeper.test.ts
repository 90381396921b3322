// PROVES: a running node's commits never write the log back into the database themselves; a
//         worker thread does it (node/store/wal-keeper.ts) once 1,000 pages wait, as SQLite's
//         commits would, and if the worker cannot, the node's own connection takes the job back
//         and says so. The log is cut back once written back, so its size is what waits.
// CATCHES: a node that still copies the log inside a commit on its event loop (every 4 MiB,
//          tens to hundreds of ms each), a keeper that never writes the log back (it would grow
//          without end) or writes back every few events, a misread backlog, and a failure that
//          leaves the log growing in silence.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { signedRuns } from '../../src/lab/bench/fixtures';
import { ProblemLog } from '../../src/node/problems/problem-log';
import { WalKeeper } from '../../src/node/store/wal-keeper';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { WorkerPool } from '../../src/node/workers/worker-pool';
import { crypto } from '../support/feeds';

const dirs: string[] = [];
const pools: WorkerPool[] = [];
const stores: SqliteFeedStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) s.close();
  for (const p of pools.splice(0)) await p.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(dbPathForWorker?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-wal-'));
  dirs.push(dir);
  const dbPath = join(dir, 'mandala.db');
  const store = SqliteFeedStore.open(dbPath, { crypto });
  stores.push(store);
  const pool = new WorkerPool({ maxThreads: 1 });
  pools.push(pool);
  const scheduler = new VirtualScheduler();
  const problems = new ProblemLog(scheduler);
  const keeper = new WalKeeper({ store, pool, dbPath: dbPathForWorker ?? dbPath, scheduler, problems });
  let batch = 0;
  // About 2.5 MB of signed events per call (10 authors x 1,000).
  const write = () => store.ingest(signedRuns(crypto, 10, 1000, 500, 10 * batch++), 0);
  const dbBytes = () => statSync(dbPath).size;
  return { store, keeper, problems, write, dbBytes };
}

it('the_log_is_written_back_by_the_worker_not_by_the_commits_once_1000_pages_wait', async () => {
  const { store, keeper, write, dbBytes } = setup();
  keeper.start();
  write();
  const before = dbBytes();
  const small = store.walFile()!.bytes;
  expect(small, 'one batch: the log holds it, less than 1,000 pages').toBeGreaterThan(100 * 4096);
  expect(small).toBeLessThan(1000 * 4096);
  await keeper.maybeRun();
  expect(keeper.done, 'below the threshold nothing is written back').toBe(0);
  for (let i = 0; i < 3; i++) write(); // past SQLite's 1,000-page threshold
  // No commit wrote the log back: the database file has not grown.
  expect(dbBytes()).toBe(before);
  expect(store.walFile()!.bytes).toBeGreaterThan(1000 * 4096);
  await keeper.maybeRun();
  expect(keeper.done).toBe(1);
  expect(dbBytes(), 'the worker wrote the pages back').toBeGreaterThan(before + 5_000_000);
  // An unchanged log needs no second pass.
  await keeper.maybeRun();
  expect(keeper.done).toBe(1);
  // The next commit restarts the log and cuts it back: small again.
  write();
  expect(store.walFile()!.bytes, 'the log restarted from nothing').toBeLessThan(1000 * 4096);
  keeper.stop();
});

it('when_the_worker_cannot_the_commits_write_the_log_back_again_and_the_node_says_so', async () => {
  const { keeper, problems, write, dbBytes } = setup('/nonexistent/mandala.db');
  keeper.start();
  for (let i = 0; i < 4; i++) write();
  await keeper.maybeRun();
  expect(keeper.done).toBe(0);
  expect(problems.list().map((p) => p.message).join('\n')).toMatch(/writing the log back into the database/);
  const before = dbBytes();
  for (let i = 0; i < 4; i++) write();
  expect(dbBytes(), "the node's own commits wrote the log back").toBeGreaterThan(before);
});
