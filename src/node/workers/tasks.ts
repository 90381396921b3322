// The worker threads' entry: CPU-heavy jobs run here, off the main thread whose event loop every
// console, peer and truck waits on. Each task takes plain data and opens what it needs itself
// (a worker opens the database read-only; SQLite's WAL lets it read beside the node).
import Database from 'better-sqlite3';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { Value } from '../../core/encoding/canonical';
import type { Checkpoint } from '../../core/store/checkpoint-store';
import { reportFromValue } from '../../core/evidence/report';
import { verifyReport, type VerifyResult } from '../../core/evidence/verify';
import { LiveState } from '../../core/live/live-state';
import { settingsFromValue } from '../../core/projections/fleet-settings';
import { createProjections } from '../../core/projections/set';
import { toWorkerError } from './worker-error';
import { NodeCrypto } from '../crypto/node-crypto';
import type { ScrubResult } from '../store/sqlite/chain-scrub';
import { SqliteFeedStore } from '../store/sqlite/sqlite-store';
import { SqliteSpans } from '../store/sqlite/sqlite-spans';
import type { StoredSpan, TraceSummary } from '../tracing/trace-types';

interface StoreRef {
  readonly dbPath: string;
  readonly nativeBinding?: string;
}

export interface WorkerTasks {
  /** Reads every feed back and names damaged events (bit rot). */
  scrub: { input: StoreRef; output: ScrubResult };
  /** A checkpoint of everything the store holds: folded from its newest checkpoint (or from the first event), encoded. */
  checkpoint: { input: StoreRef & { readonly nowMs: number; readonly fromScratch?: boolean; readonly fleetSettings?: Value }; output: Omit<Checkpoint, 'id'> };
  /** Verifies a report (as its value) against the store: replay to its input, compare hashes. */
  verifyReport: { input: StoreRef & { readonly report: Value; readonly names: readonly (readonly [string, string])[] }; output: VerifyResult };
  /** Writes the write-ahead log back into the database file (PASSIVE: never waits for the node's own reads or writes). */
  walCheckpoint: { input: StoreRef; output: { readonly frames: number; readonly written: number } };
  /** Writes a batch of lifecycle traces to the traces file (JSON: a string crosses faster than objects). */
  writeSpans: { input: { readonly path: string; readonly nativeBinding?: string; readonly maxTraces?: number; readonly maxPositions?: number; readonly batch: string }; output: { traces: number } };
}

export type WorkerTask = { [K in keyof WorkerTasks]: { readonly task: K; readonly input: WorkerTasks[K]['input'] } }[keyof WorkerTasks];

function withStore<T>(ref: StoreRef, fn: (store: SqliteFeedStore, crypto: NodeCrypto) => T): T {
  const crypto = new NodeCrypto();
  const store = SqliteFeedStore.open(ref.dbPath, { crypto, readonly: true, nativeBinding: ref.nativeBinding });
  try {
    return fn(store, crypto);
  } finally {
    store.close();
  }
}

export default function run(job: WorkerTask): WorkerTasks[keyof WorkerTasks]['output'] {
  try {
    return runTask(job);
  } catch (e) {
    throw toWorkerError(e);
  }
}

function runTask(job: WorkerTask): WorkerTasks[keyof WorkerTasks]['output'] {
  switch (job.task) {
    case 'scrub':
      return withStore(job.input, (store) => store.scrub());
    case 'checkpoint': {
      const { nowMs, fromScratch } = job.input;
      const settings = job.input.fleetSettings === undefined ? undefined : settingsFromValue(job.input.fleetSettings);
      const cp = withStore(job.input, (store, crypto) => {
        const live = fromScratch ? new LiveState(createProjections(settings)) : LiveState.open(store, crypto, false, [], settings);
        live.catchUp(store);
        return live.checkpoint(nowMs, crypto);
      });
      // The state (tens of MB for a season) moves to the main thread instead of being copied.
      return move({ [transferableSymbol]: cp.state.buffer, [valueSymbol]: cp }) as unknown as Omit<Checkpoint, 'id'>;
    }
    case 'verifyReport': {
      const names = new Map(job.input.names);
      const report = reportFromValue(job.input.report);
      return withStore(job.input, (store, crypto) => verifyReport(report, crypto, { store, nameOf: (a) => names.get(a) ?? a.slice(0, 8) }));
    }
    case 'walCheckpoint': {
      const db = new Database(job.input.dbPath, { fileMustExist: true, nativeBinding: job.input.nativeBinding });
      try {
        db.pragma('busy_timeout = 1000');
        const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
        return { frames: row?.log ?? 0, written: row?.checkpointed ?? 0 };
      } finally {
        db.close();
      }
    }
    case 'writeSpans': {
      const { path, batch, ...opts } = job.input;
      const { traces, spans } = JSON.parse(batch) as { traces: TraceSummary[]; spans: StoredSpan[] };
      const file = new SqliteSpans(path, opts);
      try {
        for (const t of traces) file.trace(t);
        for (const s of spans) file.span(s);
      } finally {
        file.close();
      }
      return { traces: traces.length };
    }
  }
}
