// The intake inbox in the node's SQLite file (core/store/intake-inbox.ts): two tables beside the
// feeds, so a drain's append and the removal of what it applied commit in one transaction.
// A delivery is one row (its drafts as one canonical array: one insert and one encoding for the
// whole delivery, not one per position); a drain may settle part of a delivery, counted in the
// row's `done`. An entry's row number is the delivery's row times ROW_SPAN plus the draft's index.
import type Database from 'better-sqlite3';
import { decodeCanonical, encodeCanonical, type Value } from '../../../core/encoding/canonical';
import type { AdmitOutcome, InboxDelivery, InboxEntry, IntakeInbox } from '../../../core/store/intake-inbox';
import type { LocalDraft } from '../../../core/store/feed-log';

/** Drafts per inbox row, at most (a larger delivery takes several rows); also the row-number span. */
const ROW_SPAN = 1024;

/** A row's drafts as stored: a canonical array of [kind, payload]. */
export function encodeInboxDrafts(drafts: readonly LocalDraft[]): Uint8Array {
  return encodeCanonical(drafts.map((d) => [d.kind, d.payload]));
}

function decodeInboxDrafts(bytes: Uint8Array): LocalDraft[] {
  return (decodeCanonical(bytes) as [string, Value][]).map(([kind, payload]) => ({ kind, payload }));
}

export class SqliteInbox implements IntakeInbox {
  private readonly insertKey: Database.Statement;
  private readonly insertRow: Database.Statement;
  private readonly peek: Database.Statement;
  private readonly settleBefore: Database.Statement;
  private readonly settlePart: Database.Statement;
  private readonly depth: Database.Statement;
  private readonly forget: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly guard: <T>(fn: () => T) => T,
  ) {
    // A key seen before (in this batch or any earlier one) inserts nothing: the delivery is a duplicate.
    this.insertKey = db.prepare(`INSERT OR IGNORE INTO intake_seen (key, first_ms) VALUES (?, ?)`);
    this.insertRow = db.prepare(`INSERT INTO intake_deliveries (n, drafts) VALUES (?, ?)`);
    this.peek = db.prepare(`SELECT row, n, done, drafts FROM intake_deliveries WHERE row > ? ORDER BY row LIMIT 64`);
    this.settleBefore = db.prepare(`DELETE FROM intake_deliveries WHERE row < ? OR (row = ? AND n <= ?)`);
    this.settlePart = db.prepare(`UPDATE intake_deliveries SET done = ? WHERE row = ? AND done < ?`);
    this.depth = db.prepare(`SELECT total(n - done) FROM intake_deliveries`).pluck();
    this.forget = db.prepare(`DELETE FROM intake_seen WHERE first_ms < ?`);
  }

  admitDeliveries(deliveries: readonly InboxDelivery[]): AdmitOutcome[] {
    return this.guard(() =>
      this.db
        .transaction(() => {
          return deliveries.map((d): AdmitOutcome => {
            if (this.insertKey.run(d.key, d.atMs).changes === 0) return 'duplicate';
            for (let i = 0; i < d.drafts.length; i += ROW_SPAN) {
              const part = d.drafts.slice(i, i + ROW_SPAN);
              this.insertRow.run(part.length, encodeInboxDrafts(part));
            }
            return 'stored';
          });
        })
        .immediate(),
    );
  }

  inboxPeek(limit: number): InboxEntry[] {
    return this.guard(() => {
      const out: InboxEntry[] = [];
      let after = 0;
      while (out.length < limit) {
        const rows = this.peek.all(after) as { row: number; n: number; done: number; drafts: Buffer }[];
        if (rows.length === 0) break;
        for (const r of rows) {
          const drafts = decodeInboxDrafts(r.drafts);
          for (let i = r.done; i < r.n && out.length < limit; i++) out.push({ row: r.row * ROW_SPAN + i, draft: drafts[i]! });
          if (out.length >= limit) break;
        }
        after = rows[rows.length - 1]!.row;
      }
      return out;
    });
  }

  inboxSettle<T>(row: number, apply: () => T): T {
    const delivery = Math.floor(row / ROW_SPAN);
    const applied = (row % ROW_SPAN) + 1;
    return this.guard(() =>
      this.db
        .transaction(() => {
          const result = apply();
          this.settleBefore.run(delivery, delivery, applied);
          this.settlePart.run(applied, delivery, applied);
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
