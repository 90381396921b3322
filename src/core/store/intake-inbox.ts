// The intake inbox port: the buffer tank between acknowledging a delivery (a vendor's webhook, a
// phone's report) and signing its positions into this node's feed. A delivery is admitted in one
// durable transaction with its idempotency key, so a repeated key stores nothing; waiting drafts
// are drained in order, and a drain removes what it applied in the same transaction as the append,
// so every admitted draft lands in the feed exactly once, whenever the process dies.
// Shared acceptance suite: test/store/suites/intake-inbox-suite.ts.
import type { LocalDraft } from './feed-log';

export interface InboxDelivery {
  /** The idempotency key (e.g. `webhook:VENDOR:WEBHOOK-ID`): a key seen before admits nothing. */
  readonly key: string;
  readonly atMs: number;
  readonly drafts: readonly LocalDraft[];
}

/** `stored`: durable, waiting to be drained; `duplicate`: the key was admitted before. */
export type AdmitOutcome = 'stored' | 'duplicate';

export interface InboxEntry {
  /** Increases in admission order. */
  readonly row: number;
  readonly draft: LocalDraft;
}

export interface IntakeInbox {
  /** Admits deliveries in one durable transaction (a group commit); one outcome per delivery. */
  admitDeliveries(deliveries: readonly InboxDelivery[]): AdmitOutcome[];
  /** The oldest waiting drafts, at most `limit`, in admission order. */
  inboxPeek(limit: number): InboxEntry[];
  /** Runs `apply` and removes the waiting drafts up to `row` in one transaction. */
  inboxSettle<T>(row: number, apply: () => T): T;
  /** How many drafts are waiting. */
  inboxDepth(): number;
  /** Forgets idempotency keys admitted before `ms`; returns how many were forgotten. */
  forgetDeliveriesBefore(ms: number): number;
}
