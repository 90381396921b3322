// The Scheduler port over real timers. One Node timer serves an ordered queue of tasks, so tasks
// run in deadline order and equal deadlines in the order given, as the Scheduler contract says
// (separate Node timers may not: one held back for a few ms would run after a later one). The
// timer is unref'd so a pending retry never keeps a finished CLI process alive.
import { MonotonicClock, type Clock } from '../../core/clock/clock';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { SystemClock } from './system-clock';

/** How early a Node timer may fire against the clock, at most, and still be held back. */
const EARLY_SLACK_MS = 20;

interface Task {
  readonly at: number;
  readonly order: number;
  readonly fn: () => void;
}

const before = (a: Task, b: Task) => a.at < b.at || (a.at === b.at && a.order < b.order);

export class RealScheduler implements Scheduler {
  private readonly queue: Task[] = [];
  private order = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The deadline the timer was armed for, and whether it is the one-time wait for an early fire. */
  private armedFor = 0;
  private heldBack = false;

  constructor(private readonly clock: Clock) {}

  nowMs(): number {
    return this.clock.nowMs();
  }

  after(ms: number, fn: () => void): TimerHandle {
    const task: Task = { at: this.clock.nowMs() + Math.max(0, ms), order: this.order++, fn };
    this.queue.splice(this.indexOf(task), 0, task);
    if (this.queue[0] === task) this.arm();
    return {
      cancel: () => {
        const i = this.indexOf(task);
        if (this.queue[i] === task) this.queue.splice(i, 1);
      },
    };
  }

  /** Where `task` is, or would go, in the queue (binary search on deadline, then order). */
  private indexOf(task: Task): number {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.queue[mid]!, task)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const head = this.queue[0];
    if (!head) return;
    this.armedFor = head.at;
    this.timer = setTimeout(this.fire, Math.max(0, head.at - this.clock.nowMs()));
    this.timer.unref?.();
  }

  private readonly fire = (): void => {
    this.timer = null;
    const now = this.clock.nowMs();
    // Node's timers count from the event loop's cached time, which can differ from the clock by a
    // few ms on a busy loop, so the timer may fire just before its deadline: it waits those few ms
    // out once. (A larger gap is the clock held after a step back: the tasks due then run now.)
    const left = this.armedFor - now;
    if (!this.heldBack && left > 0 && left <= EARLY_SLACK_MS) {
      this.heldBack = true;
      this.timer = setTimeout(this.fire, left);
      this.timer.unref?.();
      return;
    }
    this.heldBack = false;
    const limit = Math.max(now, this.armedFor);
    // Only tasks that existed when the timer fired: one a task schedules runs on a later turn.
    const lastOrder = this.order;
    try {
      while (this.queue.length > 0) {
        const task = this.queue[0]!;
        if (task.at > limit || task.order >= lastOrder) break;
        this.queue.shift();
        task.fn();
      }
    } finally {
      // A throwing task still propagates (as a Node timer's would); the rest run on the next turn.
      this.arm();
    }
  };
}

/** Real time for a process: the system clock, never running backwards, and real timers. */
export function realTime(onStepBack?: (message: string) => void): RealScheduler {
  const clock = new MonotonicClock(new SystemClock(), (r) => onStepBack?.(`the system clock went back ${r.previousMs - r.observedMs} ms; Mandala holds time steady until it catches up`));
  return new RealScheduler(clock);
}
