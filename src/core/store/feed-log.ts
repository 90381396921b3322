// The feed log port: the signed, hash-chained events a node holds, and the one way in for new
// ones. The SQLite store is the real one; the in-memory store serves simulations. Both pass
// test/store/suites/feed-log-suite.ts.
//
// Every method is synchronous: better-sqlite3 is, and a synchronous store keeps each ingest
// batch one atomic transaction with no interleaving.
import type { HlcStamp } from '../clock/hlc';
import type { Value } from '../encoding/canonical';
import type { AuthorId, FeedEvent } from '../events/event';
import type { FeedHead, Frontier } from '../feed/frontier';
import type { IncomingRun, Rejection } from '../feed/ingest';
import type { ForkEvidence } from '../feed/ledger';
import type { AdmissionPolicy } from '../feed/admission';

export interface StoredEvent extends FeedEvent {
  /** Head signature at this event, when one is held. */
  readonly sig: Uint8Array | null;
}

export interface EventPage {
  readonly events: StoredEvent[];
  /** Pass back to continue after the last event returned. */
  readonly cursor: number;
}

/** Reading what the log holds. */
export interface FeedLog {
  frontier(): Frontier;
  head(author: AuthorId): FeedHead | null;
  /** Events of one feed, seqs [fromSeq, toSeq], ascending. */
  readRange(author: AuthorId, fromSeq: number, toSeq: number): StoredEvent[];
  /** Seqs in [fromSeq, toSeq] where a head signature is held, ascending. */
  signedSeqs(author: AuthorId, fromSeq: number, toSeq: number): number[];
  /** Events in the order this store appended them, after `cursor` (0 = from the start). */
  readSince(cursor: number, limit: number): EventPage;
  /** Like readSince, but only events of these kinds. */
  readKinds(kinds: readonly string[], cursor: number, limit: number): EventPage;
  /** The position of the newest event appended (0 for an empty store). */
  lastPosition(): number;
  eventCount(): number;
  /** The highest HLC stamp of any stored event (to seed the clock after a restart). */
  highestHlc(): HlcStamp | null;
}

export interface BatchOutcome {
  readonly appended: StoredEvent[];
  readonly buffered: number;
  readonly duplicates: number;
  readonly rejections: Rejection[];
  readonly forks: ForkEvidence[];
}

export interface LocalDraft {
  readonly kind: string;
  readonly payload: Value;
}

export interface LocalAppendContext {
  /** The author's current head (seq, id and stamp), read inside the write transaction. */
  readonly head: (FeedHead & { hlc: HlcStamp }) | null;
}

export interface LocalAppender {
  readonly author: AuthorId;
  /** Called inside the write transaction: returns the stamp for the next local event. */
  stamp(ctx: LocalAppendContext): HlcStamp;
  /** Signs the head (author, seq, id). */
  signHead(seq: number, id: string): Uint8Array;
}

/** The ways events enter the log: from peers (checked by the feed rules) and from this node. */
export interface FeedAppender {
  /** Ingests runs from peers in one transaction. Never throws for bad input. */
  ingest(runs: readonly IncomingRun[], nowMs: number, policy?: AdmissionPolicy): BatchOutcome;
  /** Appends local drafts as the next events of the appender's feed, in one transaction. */
  appendLocal(appender: LocalAppender, drafts: readonly LocalDraft[]): StoredEvent[];
  /** Out-of-order events waiting for a gap to fill. */
  pendingCount(): number;
  /**
   * Puts back a stored event whose bytes rotted, from a sound copy a peer sent (it must hash to
   * the stored id, or to the id the next event names as its prev). False when nothing needed it.
   */
  repairEvent(event: FeedEvent): boolean;
}
