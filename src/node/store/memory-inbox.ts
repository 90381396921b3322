// The intake inbox in memory (core/store/intake-inbox.ts), for tests and benches: a failed apply
// leaves the drafts waiting, as the SQLite inbox's rolled-back transaction does.
import type { AdmitOutcome, InboxDelivery, InboxEntry, IntakeInbox } from '../../core/store/intake-inbox';

export class MemoryInbox implements IntakeInbox {
  private readonly waiting: InboxEntry[] = [];
  private readonly seen = new Map<string, number>();
  private nextRow = 1;

  admitDeliveries(deliveries: readonly InboxDelivery[]): AdmitOutcome[] {
    return deliveries.map((d): AdmitOutcome => {
      if (this.seen.has(d.key)) return 'duplicate';
      this.seen.set(d.key, d.atMs);
      for (const draft of d.drafts) this.waiting.push({ row: this.nextRow++, draft });
      return 'stored';
    });
  }

  inboxPeek(limit: number): InboxEntry[] {
    return this.waiting.slice(0, limit);
  }

  inboxSettle<T>(row: number, apply: () => T): T {
    const result = apply();
    let n = 0;
    while (n < this.waiting.length && this.waiting[n]!.row <= row) n++;
    this.waiting.splice(0, n);
    return result;
  }

  inboxDepth(): number {
    return this.waiting.length;
  }

  forgetDeliveriesBefore(ms: number): number {
    let n = 0;
    for (const [key, at] of this.seen) if (at < ms && this.seen.delete(key)) n++;
    return n;
  }
}
