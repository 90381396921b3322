// Which runs to send, in what order, given what the audience (one peer, or the most-behind
// neighbour on a radio) holds. Shared by the per-peer and the broadcast sessions.
//   - Runs are read from the store lazily, one at a time: memory stays flat however far behind.
//   - A run fits the link (the codec measures it) and ends at a signed head when one is in reach,
//     so it authenticates itself; otherwise it is a prefix that a signature above authenticates.
//   - Newest first, when a link's settings ask for it: every feed's newest run goes before any
//     older gap is filled, carrying its `prev` (the receiver cannot rebuild it from a head it
//     does not have yet). No link asks for it now (settings.ts).
import type { AuthorId } from '../events/event';
import { isImportedAuthor } from '../import/imported-author';
import type { RunMessage, RunShape } from './messages';
import type { StoredEvent } from '../store/feed-log';
import type { SyncHost } from './host';
import type { SessionOptions } from './settings';

interface PlanItem {
  readonly author: AuthorId;
  readonly fromSeq: number;
  toSeq: number;
  /** Still to send: the newest run of this gap, ahead of everything else. */
  top: boolean;
  /** Sent before and still lacked: each run carries its prev, so it stands alone if one is lost. */
  readonly again: boolean;
  /** An `again` item's first run spells its keys out (the audience may have missed them). */
  keysAgain: boolean;
}

export class RunPlanner {
  private items: PlanItem[] = [];
  /** Heads to send for comparison (equal-length forks), before anything else. */
  private headChecks: { author: AuthorId; seq: number }[] = [];
  /** How far the audience holds each feed contiguously, as far as we know. */
  private readonly holds = new Map<AuthorId, number>();

  constructor(
    private readonly host: SyncHost,
    private readonly opts: SessionOptions,
  ) {}

  /**
   * Replaces the plan: `behind` maps each author the audience lacks to the seq it holds. Feeds in
   * `gapFirst` are sent oldest first even on a newest-first link: they were sent and are still
   * lacked, and a receiver that kept the newest run (waiting for the gap) needs only the gap.
   */
  plan(behind: ReadonlyMap<AuthorId, number>, gapFirst: ReadonlySet<AuthorId> = new Set()): void {
    this.holds.clear();
    this.items = [];
    const frontier = this.host.frontier();
    // Imported feeds go last: the attestation that vouches for them (in a node's own feed) must
    // arrive first, or the receiver cannot check their signatures yet. In a fleet, the admins'
    // feeds go first: their admissions decide whether the receiver may store the rest.
    const rank = (a: AuthorId) => this.host.rank?.(a) ?? 0;
    const order = ([a]: [AuthorId, number], [b]: [AuthorId, number]) => Number(isImportedAuthor(a)) - Number(isImportedAuthor(b)) || rank(a) - rank(b) || (a < b ? -1 : 1);
    for (const [author, have] of [...behind.entries()].sort(order)) {
      const head = frontier.get(author);
      if (!head || head.seq <= have) continue;
      this.holds.set(author, have);
      const again = gapFirst.has(author);
      this.items.push({ author, fromSeq: have + 1, toSeq: head.seq, top: this.opts.newestFirst && !again, again, keysAgain: again });
    }
  }

  /**
   * Queues each author's head event, alone, signed and carrying its prev, ahead of any plan (a
   * new plan does not drop them). Two nodes holding the same seqs whose digests differ hold
   * different heads somewhere: the author signed two histories of equal length. Each head
   * proves its side, so the receiver catches the fork.
   */
  planHeads(authors: Iterable<AuthorId>): void {
    const frontier = this.host.frontier();
    for (const author of authors) {
      const head = frontier.get(author);
      if (!head || head.seq < 1 || this.headChecks.some((h) => h.author === author)) continue;
      this.headChecks.push({ author, seq: head.seq });
    }
  }

  /** The next queued head, as a run of one signed event with its prev. */
  private nextHead(): RunMessage | null {
    for (let h = this.headChecks.shift(); h; h = this.headChecks.shift()) {
      const [ev] = this.host.readRange(h.author, h.seq, h.seq);
      if (ev?.sig) return { type: 'run', author: h.author, events: [ev], sig: ev.sig, withPrev: true };
    }
    return null;
  }

  drop(author: AuthorId): void {
    this.items = this.items.filter((i) => i.author !== author);
  }

  get pending(): boolean {
    return this.items.length > 0 || this.headChecks.length > 0;
  }

  get queuedEvents(): number {
    let n = 0;
    for (const i of this.items) n += Math.max(0, i.toSeq - Math.max(i.fromSeq, (this.holds.get(i.author) ?? 0) + 1) + 1);
    return n;
  }

  next(): RunMessage | null {
    const head = this.nextHead();
    if (head) return head;
    const top = this.items.find((p) => p.top);
    if (top) return this.topRun(top);
    while (this.items.length > 0) {
      const item = this.items[0]!;
      const from = Math.max(item.fromSeq, (this.holds.get(item.author) ?? 0) + 1);
      if (from > item.toSeq) {
        this.items.shift();
        continue;
      }
      const events = this.host.readRange(item.author, from, Math.min(item.toSeq, from + this.opts.maxEventsPerRun - 1));
      if (events.length === 0) {
        this.items.shift();
        continue;
      }
      // A run that continues what the audience holds needs no prev, even sent again: only the
      // runs after it carry theirs, to stand alone if it is lost.
      const contiguous = from === (this.holds.get(item.author) ?? 0) + 1 && from === item.fromSeq;
      const withPrev = item.again && !contiguous;
      let keysAgain = item.keysAgain;
      let { chunk, lastSigned } = this.cut(events, { withPrev, keysAgain });
      // Keys spelled out again are a courtesy (a neighbour lacking one asks for it); a signature
      // is not: without one the run waits at the receiver for a signed event above it.
      if (lastSigned < 0 && keysAgain && events.some((e) => e.sig)) {
        const bare = this.cut(events, { withPrev, keysAgain: false });
        if (bare.lastSigned >= 0) {
          ({ chunk, lastSigned } = bare);
          keysAgain = false;
        }
      }
      const last = chunk[chunk.length - 1]!;
      this.holds.set(item.author, last.seq);
      const sig = lastSigned >= 0 ? last.sig : null;
      if (!item.again) return { type: 'run', author: item.author, events: chunk, sig };
      item.keysAgain = false;
      return { type: 'run', author: item.author, events: chunk, sig, ...(withPrev ? { withPrev } : {}), ...(keysAgain ? { keysAgain } : {}) };
    }
    return null;
  }

  /**
   * The events of a run from the bottom of `events`: up to the last signed one that fits, or (no
   * signature fits) an unsigned prefix, which the receiver holds until a signed event above it
   * arrives. The prefix stops below the first signed event, so that event goes next with its
   * signature: sent unsigned, a feed signed only at its head would never authenticate.
   */
  private cut(events: StoredEvent[], shape: RunShape): { chunk: StoredEvent[]; lastSigned: number } {
    const fit = Math.max(1, this.opts.codec.runCapacity(events, true, this.opts.mtu, shape));
    const chunk = events.slice(0, fit);
    for (let i = chunk.length - 1; i >= 0; i--) if (chunk[i]!.sig) return { chunk: chunk.slice(0, i + 1), lastSigned: i };
    const firstSigned = events.findIndex((e) => e.sig);
    const room = this.opts.codec.runCapacity(events, false, this.opts.mtu, shape);
    return { chunk: events.slice(0, Math.max(1, firstSigned > 0 ? Math.min(room, firstSigned) : room)), lastSigned: -1 };
  }

  /** The newest events of a gap that fit one signed message. */
  private topRun(item: PlanItem): RunMessage | null {
    item.top = false;
    const first = Math.max(item.fromSeq, item.toSeq - this.opts.maxEventsPerRun + 1);
    const events = this.host.readRange(item.author, first, item.toSeq);
    const head = events[events.length - 1];
    if (!head?.sig) return this.next(); // no signed head here: fill from the bottom instead
    const fits = (start: number) => this.opts.codec.runCapacity(events.slice(start), true, this.opts.mtu, { withPrev: true }) === events.length - start;
    let lo = 0;
    let hi = events.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (fits(mid)) hi = mid;
      else lo = mid + 1;
    }
    const chunk = events.slice(lo);
    const contiguous = chunk[0]!.seq === (this.holds.get(item.author) ?? 0) + 1;
    if (contiguous) this.holds.set(item.author, head.seq);
    else item.toSeq = chunk[0]!.seq - 1; // the rest of the gap, below the newest run
    return { type: 'run', author: item.author, events: chunk, sig: head.sig, withPrev: !contiguous };
  }
}
