// Bit rot is caught in the background: a worker thread reads every feed back soon after start-up
// and then periodically (chain-scrub.ts), and what it finds goes into the damage register, so the
// node stops serving those events and takes them back from its peers. The event loop only waits
// for the answer.
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { every } from '../../core/clock/scheduler';
import type { ProblemLog } from '../problems/problem-log';
import type { DamagedEvent, ScrubResult } from '../store/sqlite/chain-scrub';
import type { WorkerPool } from '../workers/worker-pool';
import type { DamageRegister } from './damage-register';

export interface ScrubberOptions {
  readonly pool: WorkerPool;
  readonly dbPath: string;
  readonly nativeBinding?: string;
  readonly scheduler: Scheduler;
  readonly problems: ProblemLog;
  readonly register: DamageRegister;
  /** Newly found damage: the sync view changed. */
  readonly onDamage: (found: readonly DamagedEvent[]) => void;
  /** The first scrub this long after start (not to compete with start-up). */
  readonly firstAfterMs?: number;
  readonly everyMs?: number;
}

export class Scrubber {
  private timers: TimerHandle[] = [];
  private running: Promise<ScrubResult | null> | null = null;
  /** The last full pass: when, and what it found. */
  last: { atMs: number; result: ScrubResult } | null = null;

  constructor(private readonly opts: ScrubberOptions) {}

  start(): void {
    const { scheduler } = this.opts;
    this.timers.push(scheduler.after(this.opts.firstAfterMs ?? 5_000, () => void this.runOnce()));
    this.timers.push(every(scheduler, this.opts.everyMs ?? 6 * 3600_000, () => void this.runOnce()));
  }

  /** One full pass (one at a time); resolves with what it found, or null if it could not run. */
  runOnce(): Promise<ScrubResult | null> {
    this.running ??= this.opts.pool
      .run('scrub', { dbPath: this.opts.dbPath, nativeBinding: this.opts.nativeBinding })
      .then(
        (result) => {
          this.last = { atMs: this.opts.scheduler.nowMs(), result };
          const news = result.damaged.filter((d) => this.opts.register.mark(d));
          for (const d of news) {
            this.opts.problems.warn('event_damaged', `${d.message}: the stored copy is damaged (bit rot on this disk?); it is no longer served and will be fetched again from a peer`);
          }
          if (news.length) this.opts.onDamage(news);
          return result;
        },
        (e: unknown) => {
          this.opts.problems.internalError('the background scrub of the event store', e);
          return null;
        },
      )
      .finally(() => (this.running = null));
    return this.running;
  }

  stop(): void {
    for (const t of this.timers) t.cancel();
    this.timers = [];
  }
}
