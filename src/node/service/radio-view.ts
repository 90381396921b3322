// A node's feeds as its radio links see them: every feed except report feeds. Airtime is
// rationed (a full LoRa frame takes over a second, and a 1% duty cycle allows about 29 an hour),
// and an evidence report is kilobytes of frontier vectors: over the radio it would starve the
// positions a dispatcher is waiting for. Reports replicate over the LAN and `mandala sync`.
//
// A report feed is one whose first event is a report.created. Every node that holds any of a
// feed holds its first event (feeds are stored contiguously from seq 1), so every node draws the
// same line and two radio nodes in sync still compute the same frontier digest.
import type { CryptoPort } from '../../core/crypto/ports';
import { bytesEqual } from '../../core/encoding/bytes';
import type { AuthorId } from '../../core/events/event';
import type { FeedStore, StoredEvent } from '../../core/feed/store';
import { KINDS } from '../../core/events/kinds';
import { frontierDigest, type FeedHead, type Frontier } from '../../core/feed/frontier';

import type { SyncHost } from '../../core/sync/session';

export class RadioView implements SyncHost {
  private digestCache: Uint8Array | null = null;
  /** Settled answers only: a feed's first event never changes once held. */
  private readonly reportFeed = new Map<AuthorId, boolean>();

  constructor(
    readonly self: AuthorId,
    readonly name: string,
    private readonly store: FeedStore,
    private readonly crypto: CryptoPort,
  ) {}

  /** Whether this feed carries evidence reports (and so stays off the radio). */
  isReportFeed(author: AuthorId): boolean {
    const known = this.reportFeed.get(author);
    if (known !== undefined) return known;
    const first = this.store.readRange(author, 1, 1)[0];
    if (!first) return false;
    const answer = first.kind === KINDS.reportCreated;
    this.reportFeed.set(author, answer);
    return answer;
  }

  frontier(): Frontier {
    const out = new Map<AuthorId, FeedHead>();
    for (const [author, head] of this.store.frontier()) if (!this.isReportFeed(author)) out.set(author, head);
    return out;
  }

  digest(): Uint8Array {
    if (!this.digestCache) this.digestCache = frontierDigest(this.frontier(), this.crypto);
    return this.digestCache;
  }

  readRange(author: AuthorId, fromSeq: number, toSeq: number): StoredEvent[] {
    return this.store.readRange(author, fromSeq, toSeq);
  }

  /** The store changed: recomputes the digest, and says whether the radio's feeds changed. */
  refresh(): boolean {
    const before = this.digestCache;
    this.digestCache = frontierDigest(this.frontier(), this.crypto);
    return before === null || !bytesEqual(before, this.digestCache);
  }
}
