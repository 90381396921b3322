// The Scheduler port over real timers. Timers are unref'd so a pending retry never keeps a
// finished CLI process alive.
import type { Clock } from '../../core/clock/clock';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';

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
