// FeedLedger: the few storage primitives the feed rules need. The SQLite store and the in-memory
// store both implement it, and both run the one ingest algorithm in ./ingest.ts, so the rules
// (contiguity, idempotence, chain integrity, signatures, forks) exist exactly once.
import type { AuthorId, EventId, FeedEvent } from '../events/event';
import type { FeedHead } from './frontier';
import type { Attestation } from '../import/attestation';

export interface StoredRef {
  readonly id: EventId;
  readonly sig: Uint8Array | null;
}

/** An event held back until the feed below it is complete (and, if needed, authenticated). */
export interface PendingEvent {
  readonly event: FeedEvent;
  /** Head signature at this event, when the run it came in ended here. */
  readonly sig: Uint8Array | null;
  /** True once a verified signature at or above it reaches it through the hash chain. */
  readonly authenticated: boolean;
}

/** One side of a fork: a chain of canonical event bytes ending at a signed head. */
export interface ForkProofSide {
  readonly fromSeq: number;
  readonly events: readonly Uint8Array[];
  readonly headSig: Uint8Array | null;
}

/**
 * Two authentic, incompatible histories for one feed: the author signed both. Kept as evidence;
 * the feed is quarantined (nothing more is accepted from it) and never silently merged.
 */
export interface ForkEvidence {
  readonly author: AuthorId;
  /** The seq both sides claim with different events. */
  readonly seq: number;
  readonly ours: ForkProofSide;
  readonly theirs: ForkProofSide;
  /** False when a side's chain to its signature was longer than the proof cap. */
  readonly complete: boolean;
}

export interface FeedLedger {
  head(author: AuthorId): FeedHead | null;
  storedAt(author: AuthorId, seq: number): StoredRef | null;
  /** Stored canonical bytes for seqs [fromSeq, toSeq], ascending. */
  storedBytes(author: AuthorId, fromSeq: number, toSeq: number): Uint8Array[];
  /** The lowest seq >= `seq` that has a stored head signature, with that signature. */
  signedPointAtOrAbove(author: AuthorId, seq: number): { seq: number; sig: Uint8Array } | null;
  pendingAt(author: AuthorId, seq: number): readonly PendingEvent[];
  pendingCount(author: AuthorId): number;
  /** Events waiting in the pending buffer, all feeds together. */
  pendingTotal(): number;
  isQuarantined(author: AuthorId): boolean;
  /** What nodes attested of an imported feed (empty for every other feed). */
  attestations(author: AuthorId): readonly Attestation[];

  /** Stores the event; an import.attest event also registers its author as an attester. */
  append(event: FeedEvent, sig: Uint8Array | null): void;
  /** Attach a verified head signature to an already stored event. */
  addSignature(author: AuthorId, seq: number, sig: Uint8Array): void;
  putPending(p: PendingEvent): void;
  removePending(author: AuthorId, seq: number, id: EventId): void;
  recordFork(evidence: ForkEvidence): void;
}
