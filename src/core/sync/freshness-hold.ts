// This node's newest positions, held back from one radio for the freshness window: until the
// window closes, the radio's sessions see this node's own feed as it was when the window opened
// (its frontier, its digest, the runs that can be read). Neighbours then have no difference to
// ask about, so no digest, frontier or run crosses the air for a fix that will soon have company;
// when the window closes, one signed run carries every fix of it. Anything else (a record edit,
// a relayed run) releases the hold at once. Pure: a view over the node's SyncHost.
import type { AuthorId } from '../events/event';
import type { Frontier } from '../feed/frontier';
import type { StoredEvent } from '../store/feed-log';
import type { SyncHost } from './host';

export class FreshnessHold implements SyncHost {
  /** The own feed's seq the radio may see: what it held when the window opened. */
  private releasedSeq: number;
  /** When the open window closes; null while nothing is held. */
  private untilMs: number | null = null;
  /** The capped frontier and its digest, for the host digest they were made from. */
  private cache: { readonly of: Uint8Array; readonly frontier: Frontier; readonly digest: Uint8Array } | null = null;

  constructor(private readonly host: SyncHost) {
    this.releasedSeq = host.frontier().get(host.self)?.seq ?? 0;
  }

  get self(): AuthorId {
    return this.host.self;
  }

  get name(): string {
    return this.host.name;
  }

  get fleet(): AuthorId | null | undefined {
    return this.host.fleet;
  }

  rank(author: AuthorId): number {
    return this.host.rank?.(author) ?? 0;
  }

  /** New own events wait until the window closes (a window already open keeps its end); returns that end. */
  hold(nowMs: number, windowMs: number): number {
    this.untilMs ??= nowMs + windowMs;
    return this.untilMs;
  }

  /** Everything the node holds is the radio's to see again. */
  release(): void {
    this.untilMs = null;
    this.cache = null;
    this.releasedSeq = this.host.frontier().get(this.host.self)?.seq ?? 0;
  }

  get holding(): boolean {
    return this.untilMs !== null;
  }

  /** The own feed's newest seq the radio may see now (Infinity: all of it). */
  private get visibleSeq(): number {
    return this.untilMs === null ? Number.POSITIVE_INFINITY : this.releasedSeq;
  }

  private capped(): { frontier: Frontier; digest: Uint8Array } | null {
    if (this.untilMs === null) return null;
    const of = this.host.digest();
    if (this.cache?.of === of) return this.cache;
    const full = this.host.frontier();
    const own = full.get(this.host.self);
    if (!own || own.seq <= this.releasedSeq) return null;
    const frontier = new Map(full);
    if (this.releasedSeq === 0) frontier.delete(this.host.self);
    else {
      const at = this.host.readRange(this.host.self, this.releasedSeq, this.releasedSeq)[0];
      if (!at) return null; // the event is not readable: show what is held rather than guess
      frontier.set(this.host.self, { seq: at.seq, id: at.id });
    }
    this.cache = { of, frontier, digest: this.host.digestOf(frontier) };
    return this.cache;
  }

  frontier(): Frontier {
    return this.capped()?.frontier ?? this.host.frontier();
  }

  digest(): Uint8Array {
    return this.capped()?.digest ?? this.host.digest();
  }

  digestOf(frontier: Frontier): Uint8Array {
    return this.host.digestOf(frontier);
  }

  readRange(author: AuthorId, fromSeq: number, toSeq: number): StoredEvent[] {
    const upTo = author === this.host.self ? Math.min(toSeq, this.visibleSeq) : toSeq;
    return upTo < fromSeq ? [] : this.host.readRange(author, fromSeq, upTo);
  }
}
