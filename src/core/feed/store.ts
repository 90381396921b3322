// The FeedStore port: what the node needs from durable storage. The SQLite store is the real
// one; the in-memory store serves simulations. Both pass test/store/feed-store-suite.ts.
//
// Every method is synchronous: better-sqlite3 is, and a synchronous store keeps each ingest
// batch one atomic transaction with no interleaving.
import type { HlcStamp } from '../clock/hlc';
import type { Value } from '../encoding/canonical';
import type { AuthorId, FeedEvent } from '../events/event';
import type { FeedHead, Frontier } from './frontier';
import type { IncomingRun, Rejection } from './ingest';
import type { ForkEvidence } from './ledger';
import type { Attestation } from '../import/attestation';

export interface StoredEvent extends FeedEvent {
  /** Head signature at this event, when one is held. */
  readonly sig: Uint8Array | null;
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

export interface ForkRecord extends ForkEvidence {
  readonly detectedAtMs: number;
}

export interface DenialRecord {
  readonly atMs: number;
  readonly gate: string;
  readonly code: string;
  readonly message: string;
  readonly kind: string;
}

export interface EventPage {
  readonly events: StoredEvent[];
  /** Pass back to continue after the last event returned. */
  readonly cursor: number;
}

/** A saved state of every projection, and exactly which events it covers. */
export interface Checkpoint {
  readonly id: number;
  readonly createdAtMs: number;
  /** The store's arrival position the state covers (events at or below it are in it). */
  readonly cursor: number;
  readonly eventCount: number;
  /** Canonical bytes of the frontier it covers: {author: [seq, head id]}. */
  readonly frontier: Uint8Array;
  readonly frontierDigest: Uint8Array;
  readonly hlcHigh: HlcStamp;
  /** Projection versions the state was folded by ("records:2,fleet:1,..."): others cannot use it. */
  readonly versions: string;
  readonly state: Uint8Array;
  readonly stateHash: Uint8Array;
}

/** A projection output computed earlier, kept so a report that allows staleness can reuse it. */
export interface CachedOutputRow {
  readonly createdAtMs: number;
  /** The store position (see readSince) the output was folded to. */
  readonly position: number;
  /** Canonical bytes of the entry (core/evidence/cache-entry.ts). */
  readonly entry: Uint8Array;
}

export interface FeedStore {
  frontier(): Frontier;
  head(author: AuthorId): FeedHead | null;
  /** Ingests runs from peers in one transaction. Never throws for bad input. */
  ingest(runs: readonly IncomingRun[], nowMs: number): BatchOutcome;
  /** Appends local drafts as the next events of the appender's feed, in one transaction. */
  appendLocal(appender: LocalAppender, drafts: readonly LocalDraft[]): StoredEvent[];
  /** Events of one feed, seqs [fromSeq, toSeq], ascending. */
  readRange(author: AuthorId, fromSeq: number, toSeq: number): StoredEvent[];
  /** Seqs in [fromSeq, toSeq] where a head signature is held, ascending. */
  signedSeqs(author: AuthorId, fromSeq: number, toSeq: number): number[];
  /** Events in the order this store appended them, after `cursor` (0 = from the start). */
  readSince(cursor: number, limit: number): EventPage;
  /** The position of the newest event appended (0 for an empty store). */
  lastPosition(): number;
  /** Like readSince, but only events of these kinds. */
  readKinds(kinds: readonly string[], cursor: number, limit: number): EventPage;
  saveCheckpoint(c: Omit<Checkpoint, 'id'>, keep: number): void;
  /** The newest checkpoint folded by exactly these projection versions. */
  latestCheckpoint(versions: string): Checkpoint | null;
  saveCachedOutput(projection: string, version: number, row: CachedOutputRow, keep: number): void;
  latestCachedOutput(projection: string, version: number): CachedOutputRow | null;
  /** What nodes attested of an imported feed; empty for any other feed. */
  attestationsOf(author: AuthorId): Attestation[];
  eventCount(): number;
  pendingCount(): number;
  forks(): ForkRecord[];
  quarantined(): AuthorId[];
  recordDenial(d: DenialRecord): void;
  /** Keeps fork evidence learned from a peer's report and quarantines the feed (idempotent). */
  recordFork(evidence: ForkEvidence, nowMs: number): boolean;
  denials(limit: number): DenialRecord[];
  /** The highest HLC stamp of any stored event (to seed the clock after a restart). */
  highestHlc(): HlcStamp | null;
  /** Changes when another process has committed to the same store (0 for a private store). */
  changeToken(): number;
  close(): void;
}
