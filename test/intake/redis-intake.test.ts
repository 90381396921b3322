// PROVES: two stateless `mandala ingest` processes on a real Redis (AOF on) and a `mandala serve
//         --buffer` node that drains the stream through a consumer group: a webhook-id received
//         by both intake processes is applied once (202 from one, 200 from the other); the node
//         killed with SIGKILL mid-burst resumes its own pending entries on restart, and every
//         acknowledged delivery lands in its feed exactly once.
// CATCHES: a replay applied twice across intake processes, an entry XACKed before it was durable
//          in the node, pending entries of a dead consumer never re-read, a torn delivery.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { BIN, serve } from '../support/cli';
import { crypto } from '../support/feeds';
import { startRedis } from '../support/redis';
import { waitFor } from '../support/wait';
import { fix, positionsPerTruck, post, SECRET, signed } from '../support/webhooks';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function ingest(url: string): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'ingest', '--buffer', url, '--port', '0', '--host', '127.0.0.1', '--webhook-secret', SECRET]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  cleanup.push(() => void (child.exitCode === null && child.kill('SIGKILL')));
  await waitFor(() => /intake: POST http:\/\/[^:]+:\d+/.test(out) || child.exitCode !== null, 'mandala ingest to start', 30_000);
  if (child.exitCode !== null) throw new Error(`mandala ingest exited: ${out}`);
  return { base: `http://127.0.0.1:${/intake: POST http:\/\/[^:]+:(\d+)/.exec(out)![1]}`, child };
}

const PER = 10;
const N = 240;
const delivery = (i: number) => signed({ positions: Array.from({ length: PER }, (_, k) => fix(`R-${i}`, k)) }, `redis-${i}`);

it('two_ingest_processes_and_a_node_killed_mid_burst_apply_every_acknowledged_delivery_once', async () => {
  const redis = await startRedis();
  cleanup.push(() => redis.stop());
  const [a, b] = [await ingest(redis.url), await ingest(redis.url)];
  const health = (await (await fetch(`${a.base}/api/health`)).json()) as { ok: boolean; intake: { buffer: string; reachable: boolean } };
  expect(health).toMatchObject({ ok: true, intake: { buffer: 'redis', reachable: true } });

  const dir = mkdtempSync(join(tmpdir(), 'mandala-redis-node-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const args = ['--data', dir, '--port', '0', '--no-discover', '--buffer', redis.url];
  const node = await serve(args);
  cleanup.push(() => node.stop());

  // The same webhook-id at both intake processes: one stores it, the other knows it.
  const twice = delivery(0);
  expect([(await post(a.base, twice)).status, (await post(b.base, twice)).status]).toEqual([202, 200]);

  const acked = new Set<number>([0]);
  let next = 1;
  let killed = false;
  const sender = async (base: string) => {
    while (next < N) {
      const i = next++;
      const r = await post(base, delivery(i));
      if (r.status === 202 || r.status === 200) acked.add(i);
      else throw new Error(`delivery ${i}: ${r.status} ${JSON.stringify(r.json)}`);
      if (!killed && acked.size >= N / 3) {
        killed = true;
        node.child.kill('SIGKILL'); // the intake keeps acknowledging: Redis holds the burst
      }
    }
  };
  await Promise.all([sender(a.base), sender(b.base), sender(a.base), sender(b.base)]);
  expect(killed).toBe(true);
  expect(acked.size, 'every delivery was acknowledged by an intake process').toBe(N);

  const again = await serve(args);
  cleanup.push(() => again.stop());
  const events = async () => ((await (await fetch(`${again.url.replace(/\/\?.*$/, '').replace(/\/$/, '')}/api/health`)).json()) as { events: number }).events;
  await waitFor(async () => (await events()) >= N * PER, 'the restarted node to drain the stream', 60_000);
  const nodeHealth = (await (await fetch(`${again.url.replace(/\/\?.*$/, '').replace(/\/$/, '')}/api/health`)).json()) as { intake: { redis?: { buffer: string; reachable: boolean; consumer: string; entries: number } } };
  expect(nodeHealth.intake.redis, 'the node says which stream it drains, as whom, and that Redis answers').toMatchObject({ buffer: 'redis', stream: 'mandala:positions', group: 'mandala-nodes', reachable: true, consumer: expect.stringMatching(/^node-[0-9a-f]{16}$/) });
  await again.stop();

  const store = SqliteFeedStore.open(join(dir, 'mandala.db'), { crypto, readonly: true });
  cleanup.push(() => store.close());
  const perTruck = positionsPerTruck(store);
  for (let i = 0; i < N; i++) expect(perTruck.get(`R-${i}`), `delivery ${i}: every position exactly once`).toBe(PER);

  // Redis gone: an intake process says so to its load balancer (503), and refuses to acknowledge.
  await redis.stop();
  await waitFor(async () => (await fetch(`${a.base}/api/health`)).status === 503, 'the intake health check to report Redis unreachable', 10_000);
  const down = (await (await fetch(`${a.base}/api/health`)).json()) as { ok: boolean; intake: { reachable: boolean } };
  expect(down).toMatchObject({ ok: false, intake: { reachable: false } });
  expect((await post(a.base, delivery(N + 1))).status, 'nothing is acknowledged without the buffer').toBe(503);
});
