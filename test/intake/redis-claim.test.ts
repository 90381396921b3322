// PROVES: entries another node read from the Redis stream and never acknowledged (it died
//         mid-batch) are claimed by a live node once they have been idle long enough (XAUTOCLAIM),
//         admitted to its durable SQLite inbox exactly once, then acknowledged and deleted; the
//         live node's figures say how many it claimed.
// CATCHES: a dead consumer's pending entries stranded in the stream forever, a claim that admits
//          an entry twice, an entry XACKed without being admitted.
// Real parts: redis-server (AOF on), the node's SQLite inbox and its IntakeBuffer; the "dead
// node" is a real Redis consumer in the group that reads and then stops.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import type { LocalDraft } from '../../src/core/store/feed-log';
import { RealScheduler } from '../../src/node/clock/real-scheduler';
import { SystemClock } from '../../src/node/clock/system-clock';
import { IntakeBuffer } from '../../src/node/intake/intake-buffer';
import { RedisDrain } from '../../src/node/intake/redis-drain';
import { entryFields, GROUP, STREAM } from '../../src/node/intake/redis-stream';
import { ProblemLog } from '../../src/node/problems/problem-log';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { crypto } from '../support/feeds';
import { startRedis } from '../support/redis';
import { waitFor } from '../support/wait';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const draft = (truck: string, n: number): LocalDraft => ({ kind: 'truck.position', payload: { truck, fix_ms: 1_764_576_000_000 + n * 1000, lat_e6: n, lon_e6: n, source: 'bench' } });

it('entries_a_dead_node_left_pending_are_claimed_and_admitted_once', async () => {
  const server = await startRedis();
  cleanup.push(() => server.stop());
  const producer = new Redis(server.url);
  cleanup.push(() => producer.disconnect());
  await producer.xgroup('CREATE', STREAM, GROUP, '0', 'MKSTREAM');
  for (let i = 0; i < 6; i++) await producer.xadd(STREAM, '*', ...entryFields({ key: `webhook:v:${i}`, atMs: 1_000, drafts: [draft(`D-${i}`, 1), draft(`D-${i}`, 2)] }));
  // Another node takes all six, then dies before acknowledging any.
  const taken = (await producer.xreadgroup('GROUP', GROUP, 'node-dead', 'COUNT', 10, 'STREAMS', STREAM, '>')) as [string, unknown[]][];
  expect(taken[0]![1]).toHaveLength(6);

  const dir = mkdtempSync(join(tmpdir(), 'mandala-redis-claim-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const store = SqliteFeedStore.open(join(dir, 'mandala.db'), { crypto });
  cleanup.push(() => store.close());
  const scheduler = new RealScheduler(new SystemClock());
  const problems = new ProblemLog(scheduler);
  const drained: LocalDraft[] = [];
  const buffer = new IntakeBuffer({ inbox: store.inbox, scheduler, problems, drainDelayMs: 10, apply: (drafts, settle) => settle(() => void drained.push(...drafts)) });
  buffer.start();
  cleanup.push(() => buffer.stop());
  const drain = new RedisDrain({ redis: new Redis(server.url), url: server.url, consumer: 'node-alive', buffer, scheduler, problems, claimIdleMs: 400, claimEveryMs: 100 });
  await drain.start();
  cleanup.push(() => drain.stop());

  await waitFor(() => drain.stats().claimed === 6 && drained.length === 12, 'the live node to claim the dead one\'s entries', 15_000);
  expect(new Set(drained.map((d) => JSON.stringify(d.payload))).size, 'each position once').toBe(12);
  expect(drain.stats()).toMatchObject({ buffer: 'redis', consumer: 'node-alive', reachable: true, claimed: 6, entries: 6, duplicates: 0 });
  const pending = (await producer.xpending(STREAM, GROUP)) as [number, ...unknown[]];
  expect(pending[0], 'nothing left pending in the group').toBe(0);
  expect(await producer.xlen(STREAM), 'claimed entries are deleted once admitted').toBe(0);
  // The dead node's deliveries are known to the live node's inbox: a replay is a duplicate.
  expect(store.inbox.admitDeliveries([{ key: 'webhook:v:3', atMs: 2_000, drafts: [draft('D-3', 1)] }])).toEqual(['duplicate']);
});
