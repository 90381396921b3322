// The intake inbox in the node's SQLite file (core/store/intake-inbox.ts): two tables beside the
// feeds, so a drain's append and the removal of what it applied commit in one transaction.
import type Database from 'better-sqlite3';
import { decodeCanonical, encodeCanonical } from '../../../core/encoding/canonical';
import type { AdmitOutcome, InboxDelivery, InboxEntry, IntakeInbox } from '../../../core/store/intake-inbox';

export class SqliteInbox implements IntakeInbox {
  private readonly seen: Database.Statement;
  private readonly insertKey: Database.Statement;
  private readonly insertDraft: Database.Statement;
  private readonly peek: Database.Statement;
  private readonly settle: Database.Statement;
  private readonly depth: Database.Statement;
  private readonly forget: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly guard: <T>(fn: () => T) => T,
  ) {
    this.seen = db.prepare(`SELECT 1 FROM intake_seen WHERE key = ?`);
    this.insertKey = db.prepare(`INSERT INTO intake_seen (key, first_ms) VALUES (?, ?)`);
    this.insertDraft = db.prepare(`INSERT INTO intake_inbox (kind, payload) VALUES (?, ?)`);
    this.peek = db.prepare(`SELECT row, kind, payload FROM intake_inbox ORDER BY row LIMIT ?`);
    this.settle = db.prepare(`DELETE FROM intake_inbox WHERE row <= ?`);
    this.depth = db.prepare(`SELECT count(*) AS n FROM intake_inbox`).pluck();
    this.forget = db.prepare(`DELETE FROM intake_seen WHERE first_ms < ?`);
  }

  admitDeliveries(deliveries: readonly InboxDelivery[]): AdmitOutcome[] {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const batchKeys = new Set<string>();
          return deliveries.map((d): AdmitOutcome => {
            if (batchKeys.has(d.key) || this.seen.get(d.key) !== undefined) return 'duplicate';
            batchKeys.add(d.key);
            this.insertKey.run(d.key, d.atMs);
            for (const draft of d.drafts) this.insertDraft.run(draft.kind, encodeCanonical(draft.payload));
            return 'stored';
          });
        })
        .immediate(),
    );
  }

  inboxPeek(limit: number): InboxEntry[] {
    return this.guard(() =>
      (this.peek.all(limit) as { row: number; kind: string; payload: Buffer }[]).map((r) => ({ row: r.row, draft: { kind: r.kind, payload: decodeCanonical(r.payload) } })),
    );
  }

  inboxSettle<T>(row: number, apply: () => T): T {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const result = apply();
          this.settle.run(row);
          return result;
        })
        .immediate(),
    );
  }

  inboxDepth(): number {
    return this.guard(() => this.depth.get() as number);
  }

  forgetDeliveriesBefore(ms: number): number {
    return this.guard(() => this.forget.run(ms).changes);
  }
}
