// The Scheduler port over real timers. Timers are unref'd so a pending retry never keeps a
// finished CLI process alive.
import { MonotonicClock, type Clock } from '../../core/clock/clock';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { SystemClock } from './system-clock';

/** How early a Node timer may fire against the clock, at most, and still be held back. */
const EARLY_SLACK_MS = 20;

export class RealScheduler implements Scheduler {
  constructor(private readonly clock: Clock) {}

  nowMs(): number {
    return this.clock.nowMs();
  }

  after(ms: number, fn: () => void): TimerHandle {
    // Node's timers count from the event loop's cached time, which can lag the clock by a few ms
    // on a busy loop, so a timer may fire just before `ms` of this clock have passed: it waits out
    // those few ms once. (A larger gap is the clock held after a step back: the task runs then.)
    const due = this.clock.nowMs() + Math.max(0, ms);
    let t: ReturnType<typeof setTimeout>;
    const arm = (wait: number, again: boolean) => {
      t = setTimeout(() => {
        const left = due - this.clock.nowMs();
        if (again && left > 0 && left <= EARLY_SLACK_MS) arm(left, false);
        else fn();
      }, wait);
      t.unref?.();
    };
    arm(Math.max(0, ms), true);
    return { cancel: () => clearTimeout(t) };
  }
}

/** Real time for a process: the system clock, never running backwards, and real timers. */
export function realTime(onStepBack?: (message: string) => void): RealScheduler {
  const clock = new MonotonicClock(new SystemClock(), (r) => onStepBack?.(`the system clock went back ${r.previousMs - r.observedMs} ms; Mandala holds time steady until it catches up`));
  return new RealScheduler(clock);
}
