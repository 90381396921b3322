// Projection rebuild: fold every event of a large store into records and fleet from scratch, as
// a node does at start-up, then hash both views. Baseline: a raw SQLite scan of the same rows
// (no decoding, no folding), measured in the same run.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectionHashes } from '../../core/projections/set';
import { NodeCrypto } from '../../node/crypto/node-crypto';
import { startStopwatch } from '../../node/clock/system-clock';
import { LiveState } from '../../node/service/live-state';
import { SqliteFeedStore } from '../../node/store/sqlite/sqlite-store';
import type { BenchRow } from './report';
import { signedRuns } from './fixtures';

export function benchRebuild(scale: number, log: (s: string) => void): BenchRow[] {
  const crypto = new NodeCrypto();
  const authors = 100;
  const perAuthor = Math.max(10, Math.round(10_000 * scale));
  const total = authors * perAuthor;
  const dir = mkdtempSync(join(tmpdir(), 'mandala-bench-rebuild-'));
  try {
    const path = join(dir, 'mandala.db');
    const store = SqliteFeedStore.open(path, { crypto });
    log(`rebuild: building a store of ${total.toLocaleString('en-US')} events`);
    // Ten authors at a time keeps generation memory flat.
    for (let a = 0; a < authors; a += 10) store.ingest(signedRuns(crypto, 10, perAuthor, 1000, a), 0);
    if (store.eventCount() !== total) throw new Error(`built ${store.eventCount()} of ${total}`);
    store.close();

    const raw = new Database(path, { readonly: true });
    let watch = startStopwatch();
    let bytes = 0;
    for (const row of raw.prepare('SELECT pos, id, bytes, sig FROM events ORDER BY pos').iterate() as Iterable<{ bytes: Buffer }>) bytes += row.bytes.length;
    const scanMs = watch.elapsedMs();
    raw.close();

    const reopened = SqliteFeedStore.open(path, { crypto });
    const live = new LiveState();
    watch = startStopwatch();
    live.catchUp(reopened);
    const foldMs = watch.elapsedMs();
    watch = startStopwatch();
    projectionHashes(live.projections, crypto);
    const hashMs = watch.elapsedMs();
    reopened.close();
    const heapMb = process.memoryUsage().heapUsed / 1e6;
    return [
      {
        section: 'rebuild',
        metric: `projections from scratch (${(total / 1e6).toFixed(2)}M events)`,
        value: foldMs / 1000,
        unit: 's',
        baseline: { label: 'raw SQLite scan of the same rows', value: scanMs / 1000, unit: 's' },
        ratio: foldMs / scanMs,
        note: `${Math.round(total / (foldMs / 1000)).toLocaleString('en-US')} ev/s folded; ${(bytes / 1e6).toFixed(0)} MB of events; heap ${heapMb.toFixed(0)} MB after`,
      },
      { section: 'rebuild', metric: 'output hash of records + fleet views', value: hashMs / 1000, unit: 's', note: 'canonical encoding + SHA-256 of both full views' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
