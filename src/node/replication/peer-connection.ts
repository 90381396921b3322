// One live link to one peer: decodes what arrives, feeds it to the sync session, ingests the
// runs it yields, and pumps the session's messages out only while the link can take them.
// Bad input from the peer is counted and reported; it never closes the link or throws.
import type { SyncCodec } from '../../core/sync/messages';
import type { SyncSession } from '../../core/sync/session';
import type { PeerInfo, SessionStats } from '../../core/sync/host';
import type { Link } from '../../core/sync/transport';
import type { LinkHost } from './link-host';
import { LinkPump, type PumpStep } from './link-pump';
import type { PeerView } from './peer-view';

/** Messages sent per pump before yielding to the event loop. */
const PUMP_BATCH = 32;

export class PeerConnection implements PeerView {
  private closedReason: string | null = null;
  private readonly pumper: LinkPump;
  private readonly traffic = { sent: 0, received: 0 };

  constructor(
    readonly link: Link,
    readonly session: SyncSession,
    private readonly codec: SyncCodec,
    private readonly host: LinkHost,
  ) {
    this.pumper = new LinkPump({
      scheduler: host.scheduler,
      batch: PUMP_BATCH,
      step: (now) => this.sendNext(now),
      nextWakeMs: () => this.session.nextWakeMs(),
      beforeTurn: () => {
        for (const frame of this.codec.takeOutgoing?.() ?? []) this.send(frame);
      },
      stopped: () => this.closed,
    });
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

  /** Why the link closed (a refusal code, `peer_closed`, …); null while open. */
  get closeReason(): string | null {
    return this.closedReason;
  }

  // ---- PeerView -------------------------------------------------------------------------------
  get key(): string {
    return this.link.id;
  }
  peerInfo(): PeerInfo | null {
    return this.session.peer;
  }
  holds(author: string, seq: number) {
    return this.session.holds(author, seq);
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
  peerHeads(): ReadonlyMap<string, number> | 'in_sync' | null {
    return this.session.inSync ? 'in_sync' : this.session.peerHeads;
  }
  bytes(): { readonly sent: number; readonly received: number } {
    return this.traffic;
  }
  refusals() {
    return [...this.session.refused.entries()].map(([author, v]) => ({ author, code: v.code }));
  }

  refuseAndClose(code: string): void {
    const node = this.session.peer?.node;
    if (node && this.link.writable) this.send(this.codec.encode({ type: 'refuse', author: node, seq: 0, code }));
    this.link.close(code);
  }

  start(): void {
    this.session.start();
    this.pump();
  }

  /** Sends bytes on the link, counting what it took. */
  private send(bytes: Uint8Array): boolean {
    const taken = this.link.send(bytes);
    if (taken) this.traffic.sent += bytes.length;
    return taken;
  }

  private onBytes(bytes: Uint8Array): void {
    this.traffic.received += bytes.length;
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

  /** Sends what the session has, as long as the link accepts it; continues after a drain. */
  pump(): void {
    this.pumper.pump();
  }

  private sendNext(now: number): PumpStep {
    if (!this.link.writable) return 'blocked';
    const msg = this.session.next(now);
    if (!msg) return 'idle';
    const bytes = this.codec.encode(msg);
    if (!this.send(bytes)) {
      this.host.problem(this, 'message_over_mtu', `a ${msg.type} message of ${bytes.length} bytes does not fit this link (${this.link.mtu} bytes)`);
      return 'blocked';
    }
    return 'sent';
  }
}
