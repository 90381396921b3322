// PROVES: a running node stays responsive while it does its heavy work: over a store of 200k
//         signed events, GET /api/health answers within 100 ms all the time a checkpoint is
//         folded and encoded (in a worker thread) and written (in parts), all the time a
//         Consistent fleet report is folded and hashed (in a worker) and all the time that
//         report is verified by replay. The checkpoint restores to the live fold's state; the
//         report is the one the live fold gives (same output hash, same input), and verifies.
// CATCHES: a checkpoint, a report or a verification made on the main thread (the health check
//          would stall for seconds), and a worker's fold that differs from the node's own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { LiveState } from '../../src/core/live/live-state';
import { foldVersions } from '../../src/core/projections/checkpoint';
import { outputHash } from '../../src/core/projections/projection';
import { createProjections, projectionHashes } from '../../src/core/projections/set';
import { CHECKPOINT_PART_BYTES } from '../../src/node/live/checkpointer';
import { signedRuns } from '../../src/lab/bench/fixtures';
import { ConsoleServer } from '../../src/node/api/console-server';
import { createHandlers } from '../../src/node/api/handlers';
import { startStopwatch } from '../../src/node/clock/system-clock';
import { openNode } from '../../src/node/open-node';
import { startRuntime, type Runtime } from '../../src/node/runtime';

const dirs: string[] = [];
const runtimes: Runtime[] = [];

afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.stop().catch(() => {});
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const AUTHORS = 100;
const PER_AUTHOR = 2_000;

/** Polls the health check until `work` settles; returns every answer's latency (ms). */
async function healthLatencies(base: string, work: Promise<unknown>): Promise<number[]> {
  let done = false;
  void work.finally(() => (done = true)).catch(() => {});
  const out: number[] = [];
  while (!done) {
    const watch = startStopwatch();
    const res = await fetch(`${base}/api/health`);
    await res.json();
    out.push(watch.elapsedMs());
    await new Promise((r) => setTimeout(r, 20));
  }
  return out;
}

it('the_health_check_answers_within_100_ms_while_a_checkpoint_a_report_and_its_verification_run_over_200k_events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-loop-'));
  dirs.push(dir);
  const folder = openNode(dir, { create: true, name: 'camp' });
  for (let a = 0; a < AUTHORS; a += 10) folder.store.ingest(signedRuns(folder.crypto, 10, PER_AUTHOR, 1000, a), 0);
  expect(folder.store.eventCount()).toBe(AUTHORS * PER_AUTHOR);
  folder.store.close();

  const runtime = await startRuntime({
    dir,
    version: 'test',
    name: 'camp',
    listen: { host: '127.0.0.1', port: 0 },
    http: (n) => new ConsoleServer({ node: n.api, handlers: createHandlers(n.api, 'test'), version: 'test', staticDir: null }).http,
  });
  runtimes.push(runtime);
  const base = `http://127.0.0.1:${runtime.boundPort}`;
  const evidence = runtime.node.api.evidence;
  // The first fetch loads the HTTP client itself: not the node's latency.
  await fetch(`${base}/api/health`);

  // Start-up found 200k events in no checkpoint: the policy saves one, off the loop.
  const saving = healthLatencies(base, runtime.node.live.checkpointSettled());
  const whileSaving = await saving;
  const versions = foldVersions(createProjections());
  const cp = runtime.folder.store.latestCheckpoint(versions);
  expect(cp?.eventCount, 'a checkpoint of the whole store').toBe(AUTHORS * PER_AUTHOR + 1);
  expect(cp!.state.length, 'large enough to be written in several parts').toBeGreaterThan(2 * CHECKPOINT_PART_BYTES);
  expect(whileSaving.length, 'the save took long enough to show a stall').toBeGreaterThanOrEqual(10);
  expect(Math.max(...whileSaving), `health latencies while the checkpoint was saved: ${whileSaving.map(Math.round).join(' ')}`).toBeLessThan(100);
  const restored = LiveState.open(runtime.folder.store, runtime.folder.crypto);
  expect(restored.startedFrom?.events).toBe(AUTHORS * PER_AUTHOR + 1);
  expect(projectionHashes(restored.projections, runtime.folder.crypto)).toEqual(projectionHashes(runtime.node.live.state.projections, runtime.folder.crypto));

  const making = evidence.create('fleet', { kind: 'consistent' });
  const during = await healthLatencies(base, making);
  const made = await making;
  const diagnostics = made.report.metadata.diagnostics as Record<string, number>;
  expect(diagnostics['events_folded'], 'the worker folded the whole store (and the node profile)').toBe(AUTHORS * PER_AUTHOR + 1);
  expect(during.length, `the report took ${diagnostics['run_ms']} ms: long enough to show a stall`).toBeGreaterThanOrEqual(10);
  expect(Math.max(...during), `health latencies while the report ran: ${during.map(Math.round).join(' ')}`).toBeLessThan(100);

  // The worker's fold is the node's own: same output, same input.
  const fleet = runtime.node.live.state.projections.fleet;
  expect(made.report.body.outputHash).toBe(outputHash(fleet.view(), runtime.folder.crypto));
  expect(made.report.body.input.vector.length).toBe(AUTHORS);
  expect(made.stored, made.message).not.toBeNull();

  const verifying = evidence.verify(made.report);
  const whileVerifying = await healthLatencies(base, verifying);
  expect(await verifying).toMatchObject({ verdict: 'valid', code: 'ok' });
  expect(whileVerifying.length).toBeGreaterThanOrEqual(3);
  expect(Math.max(...whileVerifying), `health latencies while verifying: ${whileVerifying.map(Math.round).join(' ')}`).toBeLessThan(100);

  // The node measures its own loop, and the health check says so.
  const health = (await (await fetch(`${base}/api/health`)).json()) as { loop: { p50Ms: number; p99Ms: number; maxMs: number; windowMs: number } };
  expect(health.loop.windowMs).toBeGreaterThan(0);
  expect(health.loop.maxMs).toBeGreaterThanOrEqual(health.loop.p99Ms);
  expect(health.loop.p99Ms).toBeGreaterThanOrEqual(health.loop.p50Ms);
}, 180_000);
