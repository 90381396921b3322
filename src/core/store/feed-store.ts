// What a store adapter implements: every storage port a node uses, over one durable file (SQLite)
// or in memory. Consumers depend on the narrow ports (feed-log.ts, checkpoint-store.ts, ...);
// only composition roots hold the whole store.
import type { AuthorId } from '../events/event';
import type { Attestation } from '../import/attestation';
import type { CheckpointStore } from './checkpoint-store';
import type { DenialLog } from './denial-log';
import type { FeedAppender, FeedLog } from './feed-log';
import type { IntakeInbox } from './intake-inbox';
import type { OutputCache } from './output-cache';
import type { QuarantineLog } from './quarantine-log';

/** What nodes attested of imported feeds (kept as their attestations are appended). */
export interface AttestationIndex {
  /** What nodes attested of an imported feed; empty for any other feed. */
  attestationsOf(author: AuthorId): Attestation[];
}

/** Tells a node when another process committed to the same store. */
export interface ChangeSource {
  /** Changes when another process has committed to the same store (0 for a private store). */
  changeToken(): number;
}

export interface FeedStore extends FeedLog, FeedAppender, CheckpointStore, OutputCache, QuarantineLog, DenialLog, AttestationIndex, ChangeSource {
  /** The intake's buffer tank, in the same file as the feeds (a drain settles in the append's transaction). */
  readonly inbox: IntakeInbox;
  close(): void;
}
