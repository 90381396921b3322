// Sends a session's messages only while the medium can take them, for both kinds of connection
// (a peer's link, a radio's broadcast channel). A burst is sent in batches that yield to the
// event loop between them; when the session has nothing now, the pump comes back at the time
// the session names (a throttled announcement); when the medium is full, a drain restarts it.
import type { Scheduler } from '../../core/clock/scheduler';

/** What one step of sending did. */
export type PumpStep = 'sent' | 'blocked' | 'idle';

export interface PumpOptions {
  readonly scheduler: Scheduler;
  /** Messages sent per turn before yielding to the event loop. */
  readonly batch: number;
  /** Sends the session's next message if the medium takes it. */
  readonly step: (nowMs: number) => PumpStep;
  /** When the session will next have something to send, or null. */
  readonly nextWakeMs: () => number | null;
  /** Runs first on every turn (frames a codec owes, say). */
  readonly beforeTurn?: () => void;
  readonly stopped?: () => boolean;
}

export class LinkPump {
  private turnScheduled = false;
  private wake: { atMs: number; cancel(): void } | null = null;

  constructor(private readonly opts: PumpOptions) {}

  /** Sends what there is; continues by itself after a batch, a drain (call again) or a wake. */
  pump(): void {
    const o = this.opts;
    if (o.stopped?.() || this.turnScheduled) return;
    o.beforeTurn?.();
    const now = o.scheduler.nowMs();
    for (let i = 0; i < o.batch; i++) {
      const step = o.step(now);
      if (step === 'blocked') return; // resumes on drain
      if (step === 'idle') {
        this.scheduleWake();
        return;
      }
    }
    // More to send: yield to the event loop, then carry on.
    this.turnScheduled = true;
    o.scheduler.after(0, () => {
      this.turnScheduled = false;
      this.pump();
    });
  }

  /** Comes back when the session will have something (a throttled announcement). */
  private scheduleWake(): void {
    const at = this.opts.nextWakeMs();
    if (at === null || (this.wake && this.wake.atMs <= at)) return;
    this.wake?.cancel();
    const handle = this.opts.scheduler.after(at - this.opts.scheduler.nowMs(), () => {
      this.wake = null;
      this.pump();
    });
    this.wake = { atMs: at, cancel: () => handle.cancel() };
  }
}
