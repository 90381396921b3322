// The timer port. The node layer supplies real timers; tests and simulations use the
// VirtualScheduler, whose time moves only when told, so a mesh of twenty nodes with latency and
// loss replays identically from a seed.
import type { Clock } from './clock';

export interface TimerHandle {
  cancel(): void;
}

export interface Scheduler extends Clock {
  /** Runs `fn` after `ms` milliseconds (0 = soon, after the current task). */
  after(ms: number, fn: () => void): TimerHandle;
}

interface Task {
  readonly at: number;
  readonly order: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class VirtualScheduler implements Scheduler {
  private now: number;
  private order = 0;
  private tasks: Task[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  after(ms: number, fn: () => void): TimerHandle {
    const task: Task = { at: this.now + Math.max(0, ms), order: this.order++, fn, cancelled: false };
    // Keep tasks sorted by (time, insertion order); most inserts land at the end.
    let i = this.tasks.length;
    while (i > 0 && (this.tasks[i - 1]!.at > task.at || (this.tasks[i - 1]!.at === task.at && this.tasks[i - 1]!.order > task.order))) i--;
    this.tasks.splice(i, 0, task);
    return { cancel: () => (task.cancelled = true) };
  }

  /** Runs every task due up to `now + ms`, advancing time task by task. Returns tasks run. */
  advance(ms: number): number {
    const until = this.now + ms;
    let ran = 0;
    for (;;) {
      const next = this.tasks[0];
      if (!next || next.at > until) break;
      this.tasks.shift();
      this.now = next.at;
      if (!next.cancelled) {
        next.fn();
        ran++;
      }
    }
    this.now = until;
    return ran;
  }

  /** Advances in steps until `done()` holds or `maxMs` elapses; returns the time it took. */
  runUntil(done: () => boolean, maxMs: number, stepMs = 50): number {
    const start = this.now;
    while (!done() && this.now - start < maxMs) this.advance(stepMs);
    return this.now - start;
  }

  get pending(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }
}

/**
 * Runs `fn` every `ms` (the first time after `ms`) until the handle is cancelled. A throw goes
 * to `onError` and the ticking goes on; without `onError` it propagates and the ticking stops.
 */
export function every(scheduler: Scheduler, ms: number, fn: () => void, onError?: (e: unknown) => void): TimerHandle {
  let current: TimerHandle | null = null;
  let cancelled = false;
  const tick = () => {
    if (cancelled) return;
    try {
      fn();
    } catch (e) {
      if (!onError) throw e;
      onError(e);
    }
    if (!cancelled) current = scheduler.after(ms, tick);
  };
  current = scheduler.after(ms, tick);
  return {
    cancel: () => {
      cancelled = true;
      current?.cancel();
    },
  };
}
