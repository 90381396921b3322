// The write-ahead log is written back into the database file off the event loop. SQLite does
// that by default inside the commit that crosses 1,000 pages: the committing call copies the log
// and waits for the disk, tens of ms on a quiet machine and over 100 ms on a loaded one, on the
// main thread, every 4 MiB written (a checkpoint's parts, a burst of intake). Here the node's own
// connection never checkpoints; a worker thread with a connection of its own does it (PASSIVE:
// it never blocks the node's reads or writes) once the log holds as much as SQLite's own
// threshold (1,000 pages of 4 KiB). The log is cut back to nothing when it restarts after being
// written back, so its size is what waits; it is read with a stat (opening SQLite's files from
// this process and closing them would drop the locks SQLite holds on them).
import { every, type Scheduler, type TimerHandle } from '../../core/clock/scheduler';
import type { ProblemLog } from '../problems/problem-log';
import type { WorkerPool } from '../workers/worker-pool';

/** The store side: who checkpoints, and how large the log is now. */
export interface WalStore {
  /** Whether the node's connection writes the log back inside its commits (true: SQLite's default) or leaves it to the keeper (false). */
  checkpointInCommits(on: boolean): void;
  /** The log file's size and a stamp that changes when it is written; null when there is none. */
  walFile(): { readonly bytes: number; readonly stamp: string } | null;
}

export interface WalKeeperOptions {
  readonly store: WalStore;
  readonly pool: WorkerPool;
  readonly dbPath: string;
  readonly nativeBinding?: string;
  readonly scheduler: Scheduler;
  readonly problems: ProblemLog;
  /** Write back once the log holds this many bytes (SQLite's own default for commits: 1,000 pages). */
  readonly thresholdBytes?: number;
  readonly everyMs?: number;
}

export const WAL_THRESHOLD_BYTES = 1000 * 4096;

export class WalKeeper {
  private timer: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  /** Passes the worker made (for tests). */
  done = 0;
  /** The log as the last pass left it: a log that has not changed since needs no pass. */
  private lastStamp: string | null = null;

  constructor(private readonly opts: WalKeeperOptions) {}

  start(): void {
    this.opts.store.checkpointInCommits(false);
    this.timer = every(this.opts.scheduler, this.opts.everyMs ?? 1000, () => void this.maybeRun(), (e) => this.opts.problems.internalError('writing the log back into the database', e));
  }

  /**
   * Writes the log back now if it holds enough and changed since the last pass; one at a time.
   * A PASSIVE pass stops at pages a reader still needs; the next pass takes up the rest.
   */
  maybeRun(): Promise<void> {
    if (this.running) return this.running;
    const wal = this.opts.store.walFile();
    if (!wal || wal.bytes < (this.opts.thresholdBytes ?? WAL_THRESHOLD_BYTES) || wal.stamp === this.lastStamp) return Promise.resolve();
    this.running = this.opts.pool
      .run('walCheckpoint', { dbPath: this.opts.dbPath, nativeBinding: this.opts.nativeBinding })
      .then(
        () => {
          this.done++;
          this.lastStamp = this.opts.store.walFile()?.stamp ?? null;
        },
        (e: unknown) => {
          // The node's own connection takes the job back: slower commits, but the log stays bounded.
          this.stop();
          this.opts.store.checkpointInCommits(true);
          this.opts.problems.internalError('writing the log back into the database (in a worker); commits do it again', e);
        },
      )
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Stops the timer (the node's connection writes what is left back when it closes). */
  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
