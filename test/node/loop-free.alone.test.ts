// PROVES: a running node stays responsive while it does its heavy work. `mandala serve` in its
//         own process over a store of 200k signed events answers GET /api/health within 100 ms
//         all the time it makes a Consistent fleet report right after its start (its per-truck
//         digests hashed on the live fold in slices of a few ms) and saves its first checkpoint
//         (folded and encoded in a worker thread, written in parts), and all the time it
//         verifies that report by replay (in a worker). The checkpoint covers every event, and
//         the report's output hash is the one a fold of the store gives.
// CATCHES: a checkpoint or a verification made on the main thread, a report hashed in one go
//          (the health check would stall for seconds), and a fold that differs from the store's.
// Runs alone (vitest.alone.config.ts), after the other tests: it measures time.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { LiveState } from '../../src/core/live/live-state';
import { foldVersions } from '../../src/core/projections/checkpoint';
import { projectionOutputHash } from '../../src/core/projections/projection';
import { createProjections } from '../../src/core/projections/set';
import { signedRuns } from '../../src/lab/bench/fixtures';
import { apiCall, loopOf, probeHealth } from '../../src/lab/bench/probe';
import { CHECKPOINT_PART_BYTES } from '../../src/node/live/checkpointer';
import { NodeCrypto } from '../../src/node/crypto/node-crypto';
import { openNode } from '../../src/node/open-node';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import type { ReportCreatedDto, VerifyResultDto } from '../../src/shared/api';
import { serve, type Served } from '../support/cli';
import { waitFor } from '../support/wait';

const dirs: string[] = [];
const nodes: Served[] = [];

afterEach(async () => {
  for (const n of nodes.splice(0)) await n.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const AUTHORS = 100;
const PER_AUTHOR = 2_000;
const EVENTS = AUTHORS * PER_AUTHOR + 1; // and the node's own profile

/** The health check's answer times (ms) while `work` runs; throws unless every one is under 100 ms. */
async function staysFree(port: number, what: string, work: () => Promise<unknown>, atLeast: number): Promise<void> {
  const probe = probeHealth(port);
  try {
    await work();
  } finally {
    const { latencies } = await probe.stop();
    expect(latencies.length, `${what} took long enough to show a stall`).toBeGreaterThanOrEqual(atLeast);
    expect(Math.max(...latencies), `health answers while ${what} (ms): ${latencies.map(Math.round).join(' ')}`).toBeLessThan(100);
  }
}

it('the_health_check_answers_within_100_ms_while_a_checkpoint_a_report_and_its_verification_run_over_200k_events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-loop-'));
  dirs.push(dir);
  const folder = openNode(dir, { create: true, name: 'camp' });
  for (let a = 0; a < AUTHORS; a += 10) folder.store.ingest(signedRuns(folder.crypto, 10, PER_AUTHOR, 1000, a), 0);
  folder.store.close();

  const node = await serve(['--data', dir, '--port', '0', '--no-discover']);
  nodes.push(node);
  // The first fetch loads this process's HTTP client: not the node's latency.
  await fetch(`http://127.0.0.1:${node.port}/api/health`);
  const crypto = new NodeCrypto();
  const store = SqliteFeedStore.open(join(dir, 'mandala.db'), { crypto, readonly: true });
  try {
    // Right after a start without a checkpoint no truck has a digest yet (the node makes them in
    // the background too): the report makes them, in slices, while the node saves its first
    // checkpoint (folded and encoded in a worker). One probe runs through both. Only the newest
    // checkpoint's count is read while probing: its whole state would stall this process.
    const versions = foldVersions(createProjections());
    const raw = new Database(join(dir, 'mandala.db'), { readonly: true });
    const newest = raw.prepare('SELECT event_count AS n FROM checkpoints ORDER BY checkpoint_id DESC LIMIT 1');
    let made: ReportCreatedDto | null = null;
    await staysFree(
      node.port,
      'the report was made and the checkpoint saved',
      async () => {
        made = (await apiCall(node.port, 'reports.create', { projection: 'fleet' }, 120_000)) as ReportCreatedDto;
        await waitFor(() => ((newest.get() as { n: number } | undefined)?.n ?? 0) >= EVENTS, 'a checkpoint of the whole store', 120_000);
      },
      10,
    );
    raw.close();
    const report = made!.report as { metadata: { diagnostics: Record<string, number> } };
    expect(made!.stored, made!.message).toBe(true);
    expect(report.metadata.diagnostics['events_folded'], 'the report covers the whole store').toBe(EVENTS);
    expect(report.metadata.diagnostics['hash_ms'], 'the report hashed long enough to stall a loop it held').toBeGreaterThan(200);
    const cp = store.latestCheckpoint(versions)!;
    expect(cp.state.length, 'large enough to be written in several parts').toBeGreaterThan(2 * CHECKPOINT_PART_BYTES);

    let verdict: VerifyResultDto | null = null;
    await staysFree(node.port, 'the report was verified', async () => (verdict = (await apiCall(node.port, 'reports.verify', made!.summary.ref, 120_000)) as VerifyResultDto), 3);
    expect(verdict).toMatchObject({ verdict: 'valid', code: 'ok' });

    // The node measures its own loop, and the health check says so.
    const loop = await loopOf(node.port);
    expect(loop.windowMs).toBeGreaterThan(0);
    expect(loop.maxMs).toBeGreaterThanOrEqual(loop.p99Ms);
    expect(loop.p99Ms).toBeGreaterThanOrEqual(loop.p50Ms);

    // The node's fold is the store's: the same output hash from a fold here.
    const here = LiveState.open(store, crypto);
    expect(made!.summary.outputHash).toBe(projectionOutputHash(here.projections.fleet, crypto));
  } finally {
    store.close();
  }
}, 300_000);
