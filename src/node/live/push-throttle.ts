// Coalesces change notifications per topic: however many changes a burst brings, each topic is
// pushed at most once per interval (its own, when the interval depends on the topic), with the
// state as it is when the push goes out.
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';

export class PushThrottle<Topic extends string> {
  private readonly lastSent = new Map<Topic, number>();
  private readonly timers = new Map<Topic, TimerHandle>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly intervalMs: number | ((topic: Topic) => number),
    private readonly fire: (topic: Topic) => void,
  ) {}

  mark(topic: Topic): void {
    if (this.timers.has(topic)) return;
    const last = this.lastSent.get(topic) ?? Number.NEGATIVE_INFINITY;
    const interval = typeof this.intervalMs === 'number' ? this.intervalMs : this.intervalMs(topic);
    const wait = Math.max(0, last + interval - this.scheduler.nowMs());
    this.timers.set(
      topic,
      this.scheduler.after(wait, () => {
        this.timers.delete(topic);
        this.lastSent.set(topic, this.scheduler.nowMs());
        this.fire(topic);
      }),
    );
  }

  cancelAll(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
