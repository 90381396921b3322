// Events this node holds but may no longer serve: their stored bytes rotted (the scrub found it,
// or a read for a peer did). Per feed, the first damaged seq: the sync view pretends the feed
// ends just below it, so peers send it (and what follows) again, and the writer repairs it.
import type { AuthorId } from '../../core/events/event';
import type { DamagedEvent } from '../store/sqlite/chain-scrub';

export class DamageRegister {
  private readonly first = new Map<AuthorId, DamagedEvent>();

  /** Records damage; true when it is news (a feed not known damaged, or damage further down). */
  mark(d: DamagedEvent): boolean {
    const known = this.first.get(d.author);
    if (known && known.seq <= d.seq) return false;
    this.first.set(d.author, d);
    return true;
  }

  /** The first damaged seq of this feed, or null. */
  damagedFrom(author: AuthorId): number | null {
    return this.first.get(author)?.seq ?? null;
  }

  /** A repair put back `seq`: the feed is sound again from there (a later scrub looks further up). */
  repaired(author: AuthorId, seq: number): void {
    if (this.first.get(author)?.seq === seq) this.first.delete(author);
  }

  get size(): number {
    return this.first.size;
  }

  list(): DamagedEvent[] {
    return [...this.first.values()];
  }
}
