// What a sync session needs from its node (the host), and what it reports about its peer. Kept
// apart from the sessions so the sessions and the run planner import the interfaces, not each other.
import type { AuthorId } from '../events/event';
import type { Frontier } from '../feed/frontier';
import type { StoredEvent } from '../store/feed-log';

/** What a session reads from its node. */
export interface SyncHost {
  readonly self: AuthorId;
  readonly name: string;
  /** The fleet this node belongs to, declared in its hello; null or absent for an open node. */
  readonly fleet?: AuthorId | null;
  frontier(): Frontier;
  /** 32-byte frontier digest (the host caches it between changes). */
  digest(): Uint8Array;
  /** The same digest of another frontier (a view that shows less than the node holds). */
  digestOf(frontier: Frontier): Uint8Array;
  readRange(author: AuthorId, fromSeq: number, toSeq: number): StoredEvent[];
  /**
   * Which feeds go first (lower first): in a fleet, the admins' feeds, whose admissions decide
   * whether the receiver may store the others. Absent: all alike.
   */
  rank?(author: AuthorId): number;
}

export interface PeerInfo {
  readonly node: AuthorId;
  readonly name: string;
  /** The fleet the peer declared (LAN hellos carry it); null: an open node, or not said. */
  readonly fleet: AuthorId | null;
}

export interface SessionStats {
  runsSent: number;
  eventsSent: number;
  runsReceived: number;
  eventsReceived: number;
  refusalsReceived: number;
  lastHeardMs: number | null;
}

