// What the frontier table needs to know about one peer, however it is reached: a per-link
// session (LAN, memory) or a neighbour in a radio's broadcast session.
import type { Link } from '../../core/sync/transport';
import type { PeerInfo, SessionStats } from '../../core/sync/host';

export interface PeerView {
  /** A key stable for the life of the view (the link id). */
  readonly key: string;
  readonly link: Link;
  peerInfo(): PeerInfo | null;
  lacks(): { weLack: number; theyLack: number } | null;
  /** Whether the peer holds author's event at `seq`, from its last frontier (null: unknown). */
  holds(author: string, seq: number): boolean | null;
  inSync(): boolean;
  /** Events queued to send that this peer (or its neighbourhood) lacks. */
  queued(): number;
  stats(): SessionStats;
  /** The peer's frontier as it last told it (author -> seq), 'in_sync' when its digest matched ours, null before either. */
  peerHeads(): ReadonlyMap<string, number> | 'in_sync' | null;
  /** Bytes this link carried each way (a radio neighbour: what this node broadcast while it was in range, and what it sent). */
  bytes(): { readonly sent: number; readonly received: number };
  refusals(): { author: string; code: string }[];
  /** Tells the peer why (a refusal naming its own node) where the link allows it, then closes. */
  refuseAndClose(code: string): void;
}
