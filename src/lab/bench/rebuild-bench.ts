// Projection rebuild, checkpoints and evidence reports over a large store (1M events at scale 1).
//   - rebuild from scratch: fold every event, as a node does at start-up without a checkpoint;
//     baseline: a raw SQLite scan of the same rows (no decoding, no folding);
//   - rebuild from a checkpoint after 1% more events arrived, against a scratch fold of the same
//     store;
//   - a Consistent evidence report of the fleet (its output hash over the whole state, from the
//     digests the checkpoint carries), against reading and SHA-256-hashing every stored event
//     once; a MaybeStale report served from the projection cache, against the Consistent one; a
//     second Consistent conflicts report against the first after the restart;
//   - verifying that report by replay, from a checkpoint against from the first event.
import { DEFAULT_SETTINGS } from '../../core/projections/fleet-settings';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectionHashes } from '../../core/projections/set';
import { verifyReport } from '../../core/evidence/verify';
import { NodeCrypto } from '../../node/crypto/node-crypto';
import { startStopwatch, SystemClock } from '../../node/clock/system-clock';
import { ReportMaker } from '../../node/evidence/report-maker';
import { LiveState } from '../../core/live/live-state';
import { SqliteFeedStore } from '../../node/store/sqlite/sqlite-store';
import type { BenchRow } from './report';
import { benchIdentity, signedRuns } from './fixtures';

const AUTHORS = 100;

function time<T>(fn: () => T): { value: T; ms: number } {
  const watch = startStopwatch();
  const value = fn();
  return { value, ms: watch.elapsedMs() };
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');

export function benchRebuild(scale: number, log: (s: string) => void): BenchRow[] {
  const crypto = new NodeCrypto();
  const perAuthor = Math.max(10, Math.round(10_000 * scale));
  const total = AUTHORS * perAuthor;
  const dir = mkdtempSync(join(tmpdir(), 'mandala-bench-rebuild-'));
  const rows: BenchRow[] = [];
  try {
    const path = join(dir, 'mandala.db');
    const store = SqliteFeedStore.open(path, { crypto });
    log(`rebuild: building a store of ${n(total)} events`);
    // Ten authors at a time keeps generation memory flat.
    for (let a = 0; a < AUTHORS; a += 10) store.ingest(signedRuns(crypto, 10, perAuthor, 1000, a), 0);
    if (store.eventCount() !== total) throw new Error(`built ${store.eventCount()} of ${total}`);
    store.close();

    const raw = new Database(path, { readonly: true });
    const select = raw.prepare('SELECT pos, id, bytes, sig FROM events ORDER BY pos');
    const scan = time(() => {
      let bytes = 0;
      for (const row of select.iterate() as Iterable<{ bytes: Buffer }>) bytes += row.bytes.length;
      return bytes;
    });
    const scanHash = time(() => {
      for (const row of select.iterate() as Iterable<{ bytes: Buffer }>) createHash('sha256').update(row.bytes).digest();
    });
    raw.close();

    const reopened = SqliteFeedStore.open(path, { crypto });
    log('rebuild: folding from scratch');
    let live: LiveState | null = new LiveState();
    const scratch = time(() => live!.catchUp(reopened));
    const hashes = time(() => projectionHashes(live!.projections, crypto));
    const heapMb = process.memoryUsage().heapUsed / 1e6;
    rows.push(
      {
        section: 'rebuild',
        metric: `projections from scratch (${(total / 1e6).toFixed(2)}M events)`,
        value: scratch.ms / 1000,
        unit: 's',
        baseline: { label: 'raw SQLite scan of the same rows', value: scan.ms / 1000, unit: 's' },
        ratio: scratch.ms / scan.ms,
        note: `${n(total / (scratch.ms / 1000))} ev/s folded; ${(scan.value / 1e6).toFixed(0)} MB of events; heap ${heapMb.toFixed(0)} MB after`,
      },
      { section: 'rebuild', metric: 'output hashes of records + fleet + conflicts views', value: hashes.ms / 1000, unit: 's', note: 'canonical encoding + SHA-256 of the three full views' },
    );

    log('rebuild: saving a checkpoint');
    const clock = new SystemClock();
    const saved = time(() => {
      const cp = live!.checkpoint(clock.nowMs(), crypto);
      reopened.saveCheckpoint(cp, 2);
      return cp.state.length;
    });
    live = null;
    // 1% more events arrive after the checkpoint (ten new authors).
    const extra = Math.max(1, Math.round(total / 100 / 10));
    reopened.ingest(signedRuns(crypto, 10, extra, 1000, AUTHORS), 0);
    log('rebuild: restarting from the checkpoint, then from scratch');
    const fromCp = time(() => LiveState.open(reopened, crypto));
    const restored = fromCp.value;
    const again = time(() => {
      const l = new LiveState();
      l.catchUp(reopened);
      return l.eventCount;
    });
    rows.push(
      {
        section: 'rebuild',
        metric: `restart from a checkpoint (+${n(extra * 10)} events after it)`,
        value: fromCp.ms / 1000,
        unit: 's',
        baseline: { label: 'fold of the same store from scratch', value: again.ms / 1000, unit: 's' },
        ratio: fromCp.ms / again.ms,
        note: `checkpoint: ${(saved.value / 1e6).toFixed(0)} MB, saved in ${(saved.ms / 1000).toFixed(1)} s; ${n(again.value)} events`,
      },
    );

    log('rebuild: evidence reports over the whole state');
    const identity = benchIdentity('reporter');
    const maker = new ReportMaker({ store: reopened, crypto, identity, clock, appVersion: 'bench', nodeName: () => 'bench', fleetSettings: () => DEFAULT_SETTINGS });
    const consistent = time(() => maker.make('fleet', { kind: 'consistent' }, () => restored));
    const stale = time(() => maker.make('fleet', { kind: 'maybe_stale', maxStaleMs: 3_600_000 }, () => restored));
    if (stale.value.body.cache.kind !== 'hit') throw new Error(`expected a cache hit, got ${stale.value.body.cache.kind}`);
    rows.push(
      {
        section: 'evidence',
        metric: `signed report of fleet, Consistent (${(restored.eventCount / 1e6).toFixed(2)}M-event state)`,
        value: consistent.ms / 1000,
        unit: 's',
        baseline: { label: 'read + SHA-256 every stored event once', value: scanHash.ms / 1000, unit: 's' },
        ratio: consistent.ms / scanHash.ms,
        note: `fleet view of ${n(restored.projections.fleet.truckIds().length)} trucks hashed in ${consistent.value.metadata.diagnostics['hash_ms']} ms; input frontier of ${consistent.value.body.input.vector.length} feeds`,
      },
      {
        section: 'evidence',
        metric: 'signed report of fleet, MaybeStale (projection cache hit)',
        value: stale.ms,
        unit: 'ms',
        baseline: { label: 'the Consistent report', value: consistent.ms, unit: 'ms' },
        ratio: stale.ms / consistent.ms,
      },
    );

    // The checkpoint carries the conflict timeline's digests too: the first report after the
    // restart re-hashes only the trucks the 1% of new events touched.
    const timeline = time(() => maker.make('conflicts', { kind: 'consistent' }, () => restored));
    const timelineAgain = time(() => maker.make('conflicts', { kind: 'consistent' }, () => restored));
    rows.push({
      section: 'evidence',
      metric: 'signed report of conflicts, Consistent, the next one',
      value: timelineAgain.ms,
      unit: 'ms',
      baseline: { label: 'the first after the restart', value: timeline.ms, unit: 'ms' },
      ratio: timelineAgain.ms / timeline.ms,
    });

    log('rebuild: verifying the report by replay');
    const report = consistent.value;
    const viaCp = time(() => verifyReport(report, crypto, { store: reopened, useCheckpoint: true }));
    const full = time(() => verifyReport(report, crypto, { store: reopened, useCheckpoint: false }));
    if (viaCp.value.code !== 'ok' || full.value.code !== 'ok') throw new Error(`verification failed: ${viaCp.value.message} / ${full.value.message}`);
    rows.push({
      section: 'evidence',
      metric: 'verify-report --data: replay from a checkpoint',
      value: viaCp.ms / 1000,
      unit: 's',
      baseline: { label: 'replay from the first event', value: full.ms / 1000, unit: 's' },
      ratio: viaCp.ms / full.ms,
      note: `${n(viaCp.value.replayedEvents ?? 0)} events folded after the checkpoint vs ${n(full.value.replayedEvents ?? 0)}`,
    });
    reopened.close();
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
