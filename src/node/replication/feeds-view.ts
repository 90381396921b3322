// The feeds a kind of link carries, as a sync session sees them (its SyncHost), with the frontier
// digest cached between changes. LAN links carry every feed. Radio links carry every feed except
// report feeds: airtime is rationed (a full LoRa frame takes over a second, and a 1% duty cycle
// allows about 29 an hour), and an evidence report is kilobytes of frontier vectors that would
// starve the positions a dispatcher is waiting for. Reports replicate over the LAN and `mandala sync`.
//
// Every event served is checked against its id first: a stored event whose bytes rotted is never
// sent; it goes into the damage register, and the view pretends its feed ends just below it, so
// peers send it again (the writer repairs it).
//
// A quarantined feed (its author signed two histories) is in neither view: it is frozen here,
// neither offered nor accepted, so two nodes that both quarantined it agree they are in sync.
//
// A report feed is one whose first event is a report.created. Every node that holds any of a
// feed holds its first event (feeds are stored contiguously from seq 1), so every node draws the
// same line and two radio nodes in sync still compute the same frontier digest.
import type { Hasher } from '../../core/crypto/ports';
import { bytesEqual, toHex } from '../../core/encoding/bytes';
import type { AuthorId } from '../../core/events/event';
import { KINDS } from '../../core/events/kinds';
import { frontierDigest, type FeedHead, type Frontier } from '../../core/feed/frontier';
import type { FeedLog, StoredEvent } from '../../core/store/feed-log';
import type { QuarantineLog } from '../../core/store/quarantine-log';
import type { SyncHost } from '../../core/sync/host';
import { DamageRegister } from '../repair/damage-register';
import type { DamagedEvent } from '../store/sqlite/chain-scrub';

export interface FeedsViewOptions {
  readonly self: AuthorId;
  readonly name: string;
  readonly log: Pick<FeedLog, 'frontier' | 'readRange'> & Pick<QuarantineLog, 'quarantined'>;
  readonly hasher: Hasher;
  /** Leave report feeds out (the radio's view). */
  readonly withoutReports: boolean;
  readonly damage?: DamageRegister;
  /** Told once per newly damaged event found while serving a peer. */
  readonly onDamage?: (d: DamagedEvent) => void;
  /** Which feeds to send first (the fleet's admins); all alike when absent. */
  readonly rank?: (author: AuthorId) => number;
  /** The fleet this node belongs to, declared in its hello; null for an open node. */
  readonly fleet?: AuthorId | null;
}

export class FeedsView implements SyncHost {
  private digestCache: Uint8Array | null = null;
  private quarantinedCache: ReadonlySet<AuthorId> | null = null;
  /** Settled answers only: a feed's first event never changes once held. */
  private readonly reportFeed = new Map<AuthorId, boolean>();

  readonly self: AuthorId;
  readonly name: string;
  readonly fleet: AuthorId | null;
  readonly rank?: (author: AuthorId) => number;
  private readonly log: FeedsViewOptions['log'];
  private readonly hasher: Hasher;
  private readonly withoutReports: boolean;
  private readonly damage: DamageRegister;
  private readonly onDamage: (d: DamagedEvent) => void;

  constructor(opts: FeedsViewOptions) {
    this.self = opts.self;
    this.name = opts.name;
    this.fleet = opts.fleet ?? null;
    this.rank = opts.rank;
    this.log = opts.log;
    this.hasher = opts.hasher;
    this.withoutReports = opts.withoutReports;
    this.damage = opts.damage ?? new DamageRegister();
    this.onDamage = opts.onDamage ?? (() => {});
  }

  /** Whether this feed carries evidence reports or attachments' bytes (and so stays off the radio). */
  isReportFeed(author: AuthorId): boolean {
    const known = this.reportFeed.get(author);
    if (known !== undefined) return known;
    const first = this.log.readRange(author, 1, 1)[0];
    if (!first) return false;
    const answer = first.kind === KINDS.reportCreated || first.kind === KINDS.blobChunk;
    this.reportFeed.set(author, answer);
    return answer;
  }

  frontier(): Frontier {
    this.quarantinedCache ??= new Set(this.log.quarantined());
    const quarantined = this.quarantinedCache;
    const out = new Map<AuthorId, FeedHead>();
    for (const [author, head] of this.log.frontier()) {
      if (quarantined.has(author) || (this.withoutReports && this.isReportFeed(author))) continue;
      const damaged = this.damage.damagedFrom(author);
      if (damaged === null || damaged > head.seq) {
        out.set(author, head);
        continue;
      }
      // Held only up to just below the damage, as far as peers are told.
      const below = damaged > 1 ? this.log.readRange(author, damaged - 1, damaged - 1)[0] : undefined;
      if (below) out.set(author, { seq: below.seq, id: below.id });
    }
    return out;
  }

  digest(): Uint8Array {
    if (!this.digestCache) this.digestCache = frontierDigest(this.frontier(), this.hasher);
    return this.digestCache;
  }

  digestOf(frontier: Frontier): Uint8Array {
    return frontierDigest(frontier, this.hasher);
  }

  readRange(author: AuthorId, fromSeq: number, toSeq: number): StoredEvent[] {
    const damaged = this.damage.damagedFrom(author);
    const upTo = damaged === null ? toSeq : Math.min(toSeq, damaged - 1);
    if (upTo < fromSeq) return [];
    const events = this.log.readRange(author, fromSeq, upTo);
    // Only sound events go out: each must still hash to its id.
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      if (ev.seq === fromSeq + i && toHex(this.hasher.sha256(ev.bytes)) === ev.id) continue;
      this.found({ author, seq: fromSeq + i, code: 'id_mismatch', message: `${author.slice(0, 8)}#${fromSeq + i}: stored bytes do not match the event's id` });
      return events.slice(0, i);
    }
    // Fewer than held: an event that no longer even decodes.
    if (events.length < upTo - fromSeq + 1 && (this.log.frontier().get(author)?.seq ?? 0) >= fromSeq + events.length) {
      this.found({ author, seq: fromSeq + events.length, code: 'undecodable', message: `${author.slice(0, 8)}#${fromSeq + events.length}: the stored event cannot be read` });
    }
    return events;
  }

  private found(d: DamagedEvent): void {
    if (this.damage.mark(d)) {
      this.invalidate();
      this.onDamage(d);
    }
  }

  /** The store changed: the digest is recomputed when next asked for. */
  invalidate(): void {
    this.digestCache = null;
    this.quarantinedCache = null;
  }

  /** The store changed: recomputes the digest now, and says whether these feeds changed. */
  refresh(): boolean {
    const before = this.digestCache;
    this.quarantinedCache = null;
    this.digestCache = frontierDigest(this.frontier(), this.hasher);
    return before === null || !bytesEqual(before, this.digestCache);
  }
}
