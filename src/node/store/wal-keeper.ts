// The write-ahead log is written back into the database file off the event loop. SQLite does
// that by default inside the commit that crosses 1,000 pages: the committing call copies the log
// and waits for the disk, tens of ms on a quiet machine and over 100 ms on a loaded one, on the
// main thread, every 4 MiB written (a checkpoint's parts, a burst of intake). Here the node's own
// connection never checkpoints; a worker thread with a connection of its own does it (PASSIVE:
// it never blocks the node's reads or writes) once as many pages wait as SQLite's own threshold.
import { every, type Scheduler, type TimerHandle } from '../../core/clock/scheduler';
import type { ProblemLog } from '../problems/problem-log';
import type { WorkerPool } from '../workers/worker-pool';

/** The store side: who checkpoints, and how large the log is now. */
export interface WalStore {
  /** Stops the node's connection from checkpointing in its commits (true), or lets it again (false). */
  checkpointInCommits(on: boolean): void;
  /** Pages in the log not yet written back into the database; null when that cannot be read. */
  walBacklog(): number | null;
}

export interface WalKeeperOptions {
  readonly store: WalStore;
  readonly pool: WorkerPool;
  readonly dbPath: string;
  readonly nativeBinding?: string;
  readonly scheduler: Scheduler;
  readonly problems: ProblemLog;
  /** Write back once this many pages wait (SQLite's own default for commits: 1,000). */
  readonly thresholdPages?: number;
  readonly everyMs?: number;
}

export const WAL_THRESHOLD_PAGES = 1000;

export class WalKeeper {
  private timer: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  /** Checkpoints written back by the worker (for tests and the bench). */
  done = 0;

  constructor(private readonly opts: WalKeeperOptions) {}

  start(): void {
    this.opts.store.checkpointInCommits(false);
    this.timer = every(this.opts.scheduler, this.opts.everyMs ?? 1000, () => void this.maybeRun(), (e) => this.opts.problems.internalError('writing the log back into the database', e));
  }

  /**
   * Writes the log back now if enough pages wait (or how many cannot be read); one at a time.
   * A PASSIVE pass stops at pages a reader still needs; the next pass takes up the rest.
   */
  maybeRun(): Promise<void> {
    if (this.running) return this.running;
    const backlog = this.opts.store.walBacklog();
    if (backlog !== null && backlog < (this.opts.thresholdPages ?? WAL_THRESHOLD_PAGES)) return Promise.resolve();
    this.running = this.opts.pool
      .run('walCheckpoint', { dbPath: this.opts.dbPath, nativeBinding: this.opts.nativeBinding })
      .then(
        () => {
          this.done++;
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
