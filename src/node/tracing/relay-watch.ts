// The last step of a position's path: relayed to each peer, which is done when that peer's
// frontier (or digest) first holds the delivery's last event. For the deliveries appended lately
// a span per peer runs from the append to that moment. Checked on the node's timer against what
// the peers have told; bounded in count and in age (an older delivery's state is still read from
// the frontiers by the inspector, just not timed).
import type { Span } from '@opentelemetry/api';

export interface PeerHolding {
  readonly node: string;
  readonly name: string;
  /** True once the peer's frontier holds the event; null when the peer has not told it. */
  readonly holds: boolean | null;
}

export interface RelaySpans {
  child(parent: Span, name: string, attributes: Record<string, string | number>, startMs: number): Span;
  finish(span: Span, refusal: null): void;
}

interface Watched {
  readonly root: Span;
  readonly author: string;
  readonly seq: number;
  readonly appendedMs: number;
  readonly acked: Set<string>;
}

export class RelayWatch {
  private watched: Watched[] = [];

  constructor(
    private readonly spans: RelaySpans,
    private readonly max = 2_000,
    private readonly maxAgeMs = 3_600_000,
  ) {}

  get size(): number {
    return this.watched.length;
  }

  /** A delivery's last event (author#seq) was appended at `appendedMs`: time its relay to each peer. */
  watch(root: Span, ref: string, appendedMs: number): void {
    const [author, seq] = ref.split('#');
    this.watched.push({ root, author: author!, seq: Number(seq), appendedMs, acked: new Set() });
    if (this.watched.length > this.max) this.watched = this.watched.slice(this.watched.length - this.max);
  }

  /** Ends a `peer.relay` span for each peer that holds a watched delivery now and did not before. */
  check(holders: (author: string, seq: number) => readonly PeerHolding[], nowMs: number): void {
    this.watched = this.watched.filter((w) => {
      const peers = holders(w.author, w.seq);
      for (const p of peers) {
        if (p.holds !== true || w.acked.has(p.node)) continue;
        w.acked.add(p.node);
        const span = this.spans.child(w.root, 'peer.relay', { 'mandala.peer': p.name, 'mandala.peer_node': p.node }, w.appendedMs);
        this.spans.finish(span, null);
      }
      const allAcked = peers.length > 0 && peers.every((p) => w.acked.has(p.node));
      return !allAcked && nowMs - w.appendedMs < this.maxAgeMs;
    });
  }
}
