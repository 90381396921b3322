// Ingest: signed events from many authors, as they come off the wire (canonical bytes), opened
// (decoded + hashed), chain- and signature-checked and stored in SQLite. Baseline: raw
// better-sqlite3 inserts of the same rows with the same pragmas (WAL, synchronous=FULL, batched
// transactions), measured in the same run.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRun } from '../../core/events/event';
import type { IncomingRun } from '../../core/feed/ingest';
import { NodeCrypto } from '../../node/crypto/node-crypto';
import { startStopwatch } from '../../node/clock/system-clock';
import { SqliteFeedStore } from '../../node/store/sqlite/sqlite-store';
import type { BenchRow } from './report';
import { signedRuns } from './fixtures';

const RUNS_PER_TX = 10;

export function benchIngest(scale: number, log: (s: string) => void): BenchRow[] {
  const crypto = new NodeCrypto();
  const authors = 200;
  const perAuthor = Math.max(10, Math.round(1000 * scale));
  log(`ingest: generating ${authors} authors x ${perAuthor} signed events`);
  const runs = signedRuns(crypto, authors, perAuthor, 500);
  const wire = runs.map((r) => ({ author: r.author, bytes: r.events.map((e) => e.bytes), sig: r.sig }));
  const total = authors * perAuthor;
  const dir = mkdtempSync(join(tmpdir(), 'mandala-bench-ingest-'));
  try {
    // Raw baseline first, on its own file.
    const raw = new Database(join(dir, 'raw.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec('CREATE TABLE raw (author INTEGER NOT NULL, seq INTEGER NOT NULL, id BLOB NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (author, seq))');
    const insert = raw.prepare('INSERT INTO raw (author, seq, id, bytes) VALUES (?, ?, ?, ?)');
    const authorIx = new Map(runs.map((r) => r.author).filter((a, i, all) => all.indexOf(a) === i).map((a, i) => [a, i]));
    const rawTx = raw.transaction((batch: IncomingRun[]) => {
      for (const r of batch) for (const e of r.events) insert.run(authorIx.get(r.author)!, e.seq, Buffer.from(e.id, 'hex'), e.bytes);
    });
    let watch = startStopwatch();
    for (let i = 0; i < runs.length; i += RUNS_PER_TX) rawTx(runs.slice(i, i + RUNS_PER_TX));
    const rawRate = total / (watch.elapsedMs() / 1000);
    raw.close();

    // Mandala: open from wire bytes (decode + SHA-256), then ingest (chain, signature, store).
    const store = SqliteFeedStore.open(join(dir, 'mandala.db'), { crypto });
    watch = startStopwatch();
    let openMs = 0;
    for (let i = 0; i < wire.length; i += RUNS_PER_TX) {
      const t0 = watch.elapsedMs();
      const batch: IncomingRun[] = wire.slice(i, i + RUNS_PER_TX).map((w) => ({ author: w.author, events: openRun(w.bytes, crypto), sig: w.sig }));
      openMs += watch.elapsedMs() - t0;
      const out = store.ingest(batch, 0);
      if (out.rejections.length) throw new Error(`bench ingest rejected: ${out.rejections[0]!.code}`);
    }
    const ingestMs = watch.elapsedMs();
    const rate = total / (ingestMs / 1000);
    const stored = store.eventCount();
    store.close();
    if (stored !== total) throw new Error(`stored ${stored} of ${total}`);
    return [
      {
        section: 'ingest',
        metric: `signed events into SQLite (${authors} authors, 1 sig per 500)`,
        value: rate,
        unit: 'ev/s',
        baseline: { label: 'raw better-sqlite3 insert', value: rawRate, unit: 'rows/s' },
        ratio: rate / rawRate,
        note: `${total} events; ${((openMs / ingestMs) * 100).toFixed(0)}% of the time is decoding + hashing wire bytes, the rest chain/signature checks and storage`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
