// The Scheduler port over real timers. Timers are unref'd so a pending retry never keeps a
// finished CLI process alive.
import { MonotonicClock, type Clock } from '../../core/clock/clock';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { SystemClock } from './system-clock';

export class RealScheduler implements Scheduler {
  constructor(private readonly clock: Clock) {}

  nowMs(): number {
    return this.clock.nowMs();
  }

  after(ms: number, fn: () => void): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  }
}

/** Real time for a process: the system clock, never running backwards, and real timers. */
export function realTime(onStepBack?: (message: string) => void): RealScheduler {
  const clock = new MonotonicClock(new SystemClock(), (r) => onStepBack?.(`the system clock went back ${r.previousMs - r.observedMs} ms; Mandala holds time steady until it catches up`));
  return new RealScheduler(clock);
}
