// Sync over one radio: a NeighborhoodSession talking to everyone in range through the transport's
// broadcast channel. Each neighbour's frames are decoded by that neighbour's own codec (rosters are
// per sender); what this node says is encoded once, by the broadcast codec. Each neighbour is also
// a PeerView, so the frontier table shows it like any other peer.
import type { SyncCodec } from '../../core/sync/messages';
import type { NeighborhoodSession, NeighborState } from '../../core/sync/neighborhood';
import type { PeerInfo, SessionStats } from '../../core/sync/host';
import type { BroadcastChannel, Link } from '../../core/sync/transport';
import type { LinkHost } from './link-host';
import { LinkPump } from './link-pump';
import type { PeerView } from './peer-view';

/** One neighbour, as the frontier table sees it. */
class NeighborView implements PeerView {
  /** Bytes heard from this neighbour, and sent to it alone (roster entries it asked for). */
  readonly traffic = { received: 0, unicast: 0 };

  constructor(
    readonly link: Link,
    private readonly state: () => NeighborState | undefined,
    private readonly session: NeighborhoodSession,
    /** What this node has broadcast so far, and as much of it as went out before this neighbour was heard. */
    private readonly broadcast: () => number,
    private readonly broadcastBefore: number,
  ) {}

  get key(): string {
    return this.link.id;
  }
  peerInfo(): PeerInfo | null {
    return this.state()?.peer ?? null;
  }
  holds(author: string, seq: number) {
    return this.session.holdsOf(this.link.id, author, seq);
  }
  lacks() {
    return this.session.lacksOf(this.link.id);
  }
  inSync(): boolean {
    return this.state()?.inSync ?? false;
  }
  queued(): number {
    return this.session.queuedEvents;
  }
  stats(): SessionStats {
    return this.state()?.stats ?? { runsSent: 0, eventsSent: 0, runsReceived: 0, eventsReceived: 0, refusalsReceived: 0, lastHeardMs: null };
  }
  peerHeads(): ReadonlyMap<string, number> | 'in_sync' | null {
    const s = this.state();
    if (!s) return null;
    return s.inSync ? 'in_sync' : s.heads;
  }
  bytes(): { readonly sent: number; readonly received: number } {
    return { sent: this.broadcast() - this.broadcastBefore + this.traffic.unicast, received: this.traffic.received };
  }
  refusals() {
    return [...(this.state()?.refused.entries() ?? [])].map(([author, r]) => ({ author, code: r.code }));
  }
  refuseAndClose(code: string): void {
    this.link.close(code); // airtime is not spent on telling a stranger why
  }
}

const PUMP_BATCH = 8;

export class NeighborhoodConnection {
  readonly views = new Map<string, NeighborView>();
  private readonly decoders = new Map<string, SyncCodec>();
  private readonly pumper: LinkPump;
  private stopped = false;
  /** Bytes this node broadcast on the radio. */
  private broadcastBytes = 0;

  constructor(
    readonly session: NeighborhoodSession,
    private readonly channel: BroadcastChannel,
    /** Encodes what this node broadcasts. */
    private readonly encoder: SyncCodec,
    /** A fresh decoder for one neighbour's frames. */
    private readonly decoderFor: (link: Link) => SyncCodec,
    private readonly host: LinkHost,
  ) {
    this.pumper = new LinkPump({
      scheduler: host.scheduler,
      batch: PUMP_BATCH,
      step: (now) => {
        if (!this.channel.writable) return 'blocked';
        const msg = this.session.next(now);
        if (!msg) return 'idle';
        const bytes = this.encoder.encode(msg);
        if (this.channel.send(bytes)) this.broadcastBytes += bytes.length;
        return 'sent';
      },
      nextWakeMs: () => this.session.nextWakeMs(),
      stopped: () => this.stopped,
    });
    channel.events.on('drain', () => this.pump());
  }

  /** A neighbour was heard for the first time (the transport made a link for it). */
  add(link: Link): PeerView {
    const view = new NeighborView(link, () => this.session.neighbors.get(link.id), this.session, () => this.broadcastBytes, this.broadcastBytes);
    this.views.set(link.id, view);
    this.decoders.set(link.id, this.decoderFor(link));
    this.session.neighbor(link.id);
    link.events.on('message', (bytes) => this.onBytes(link, view, bytes));
    link.events.on('close', () => {
      this.views.delete(link.id);
      this.decoders.delete(link.id);
      this.session.forget(link.id);
      this.host.closed(view);
    });
    this.pump();
    return view;
  }

  private onBytes(link: Link, view: NeighborView, bytes: Uint8Array): void {
    view.traffic.received += bytes.length;
    const decoder = this.decoders.get(link.id)!;
    const decoded = decoder.decode(bytes);
    // A neighbour's decoder may need to ask it for roster entries: that goes to it alone.
    for (const frame of decoder.takeOutgoing?.() ?? []) if (link.send(frame)) view.traffic.unicast += frame.length;
    if (!decoded.ok) {
      this.host.problem(view, decoded.code, `sent a frame that could not be read (${decoded.code}: ${decoded.message}); it was ignored`);
      return;
    }
    if (decoded.message === null) {
      // A roster request: the broadcast encoder announces those author keys again.
      this.encoder.decode(bytes);
      return;
    }
    const before = view.peerInfo();
    const { runs } = this.session.receive(link.id, decoded.message, this.host.scheduler.nowMs());
    if (runs.length > 0) {
      const outcome = this.host.ingest(runs, view);
      this.session.reportRejections(outcome.rejections);
    }
    if (before !== view.peerInfo() || decoded.message.type !== 'run') this.host.peerChanged(view);
    this.pump();
  }

  pump(): void {
    this.pumper.pump();
  }

  /** The node is stopping: nothing more is sent (a turn already scheduled does nothing). */
  stop(): void {
    this.stopped = true;
  }
}
