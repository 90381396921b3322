// One live link to one peer: decodes what arrives, feeds it to the sync session, ingests the
// runs it yields, and pumps the session's messages out only while the link can take them.
// Bad input from the peer is counted and reported; it never closes the link or throws.
import type { Scheduler } from '../../core/clock/scheduler';
import type { BatchOutcome } from '../../core/feed/store';
import type { IncomingRun } from '../../core/feed/ingest';
import type { SyncCodec } from '../../core/sync/messages';
import type { PeerInfo, SessionStats, SyncSession } from '../../core/sync/session';
import type { PeerView } from './peer-view';
import type { Link } from '../../core/sync/transport';

export interface PeerConnectionHost {
  readonly scheduler: Scheduler;
  ingest(runs: IncomingRun[], from: PeerView): BatchOutcome;
  /** A peer said hello, changed state, or went away. */
  peerChanged(view: PeerView): void;
  problem(view: PeerView, code: string, message: string): void;
  closed(view: PeerView): void;
}

/** Messages sent per pump before yielding to the event loop. */
const PUMP_BATCH = 32;

export class PeerConnection implements PeerView {
  private pumpScheduled = false;
  private wake: { atMs: number; cancel(): void } | null = null;
  private closedReason: string | null = null;

  constructor(
    readonly link: Link,
    readonly session: SyncSession,
    private readonly codec: SyncCodec,
    private readonly host: PeerConnectionHost,
  ) {
    link.events.on('message', (bytes) => this.onBytes(bytes));
    link.events.on('drain', () => this.pump());
    link.events.on('close', (reason) => {
      this.closedReason = reason;
      this.host.closed(this);
    });
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  // ---- PeerView -------------------------------------------------------------------------------
  get key(): string {
    return this.link.id;
  }
  peerInfo(): PeerInfo | null {
    return this.session.peer;
  }
  lacks() {
    return this.session.lacks();
  }
  inSync(): boolean {
    return this.session.inSync;
  }
  queued(): number {
    return this.session.queuedEvents;
  }
  stats(): SessionStats {
    return this.session.stats;
  }
  refusals() {
    return [...this.session.refused.entries()].map(([author, v]) => ({ author, code: v.code }));
  }

  start(): void {
    this.session.start();
    this.pump();
  }

  private onBytes(bytes: Uint8Array): void {
    const decoded = this.codec.decode(bytes);
    if (!decoded.ok) {
      this.host.problem(this, decoded.code, `sent a message that could not be read (${decoded.code}: ${decoded.message}); it was ignored`);
      return;
    }
    if (decoded.message === null) {
      this.pump(); // the codec consumed it and may have something to say back
      return;
    }
    const before = this.session.peer;
    const { runs } = this.session.receive(decoded.message, this.host.scheduler.nowMs());
    if (runs.length > 0) {
      const outcome = this.host.ingest(runs, this);
      this.session.reportRejections(outcome.rejections);
    }
    if (before !== this.session.peer || decoded.message.type !== 'run') this.host.peerChanged(this);
    this.pump();
  }

  /** Comes back when the session will have something (a throttled announcement). */
  private scheduleWake(): void {
    const at = this.session.nextWakeMs();
    if (at === null || (this.wake && this.wake.atMs <= at)) return;
    this.wake?.cancel();
    const handle = this.host.scheduler.after(at - this.host.scheduler.nowMs(), () => {
      this.wake = null;
      this.pump();
    });
    this.wake = { atMs: at, cancel: () => handle.cancel() };
  }

  /** Sends what the session has, as long as the link accepts it; continues after a drain. */
  pump(): void {
    if (this.closed || this.pumpScheduled) return;
    const now = this.host.scheduler.nowMs();
    for (const frame of this.codec.takeOutgoing?.() ?? []) this.link.send(frame);
    for (let i = 0; i < PUMP_BATCH; i++) {
      if (!this.link.writable) return; // resumes on drain
      const msg = this.session.next(now);
      if (!msg) {
        this.scheduleWake();
        return;
      }
      const bytes = this.codec.encode(msg);
      if (!this.link.send(bytes)) {
        this.host.problem(this, 'message_over_mtu', `a ${msg.type} message of ${bytes.length} bytes does not fit this link (${this.link.mtu} bytes)`);
        return;
      }
    }
    // More to send: yield to the event loop, then carry on.
    this.pumpScheduled = true;
    this.host.scheduler.after(0, () => {
      this.pumpScheduled = false;
      this.pump();
    });
  }
}
