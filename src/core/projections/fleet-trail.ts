// One truck's trail in the fleet fold, kept so that a live fix costs in proportion to itself,
// not to the trail: fixes sorted by (fix time, total order) in packed columns (fix-columns.ts);
// plausibility flags kept for a prefix that stays valid (a fix at the tail judges only itself, a
// late one re-judges from where it landed); the reporters, the flagged fixes and each author's
// late fixes (as seq numbers) maintained as fixes arrive, the notes the conflict timeline shows
// made from the columns when asked for. Everything here equals what judging the whole sorted
// trail gives (fleet.ts `evaluateTrail`; a property test holds the two together).
import { compareTotalOrder, type AuthorId, type EventBody } from '../events/event';
import type { Value } from '../encoding/canonical';
import type { ByteWriter } from '../encoding/writer';
import { isDuplicate, motionFlag, staticFlag, type FixFlag, type JudgedPoint } from './fix-judge';
import type { FleetSettings } from './fleet-settings';
import { FixColumns, flagCode, type CheckpointColumns } from './fix-columns';
import type { AuthorTable } from './snapshot-codec';
import type { ChunkCache, SealedChunk } from './fix-chunk';
import { SnapshotError } from './snapshot-codec';

export type { FixFlag } from './fix-judge';

export interface Fix extends JudgedPoint {
  readonly truck: string;
  readonly at: EventBody;
}

export interface EvaluatedFix extends Fix {
  readonly flag: FixFlag | null;
  /** Recorded (in log order) after a newer fix of its truck: it fires no live alert. */
  readonly historical: boolean;
}

/** A fix the conflict timeline names for its timing: older than one its author sent before, or recorded long after it was taken. */
export interface FixNote {
  readonly kind: 'late_fix' | 'delayed_fix';
  readonly fix: Fix;
  /** late_fix: how much older than its author's newest earlier fix; delayed_fix: recorded after the fix. */
  readonly byMs: number;
}

export function compareFix(a: Fix, b: Fix): number {
  return a.fixMs - b.fixMs || compareTotalOrder(a.at, b.at);
}

/** One author's fixes of one truck, in seq order: "late" means older than a fix of a lower seq. */
class AuthorFixes {
  private lastSeq = 0;
  private newest = Number.NEGATIVE_INFINITY;
  /** The late fixes as (seq, by how much) pairs, one after another: the fix itself is in the columns. */
  readonly late: number[] = [];

  /** True when taken in feed order; false when the author's fixes must be gone over again. */
  add(seq: number, fixMs: number): boolean {
    if (seq <= this.lastSeq) return false;
    this.lastSeq = seq;
    if (fixMs < this.newest) this.late.push(seq, this.newest - fixMs);
    this.newest = Math.max(this.newest, fixMs);
    return true;
  }

  reset(): void {
    this.lastSeq = 0;
    this.newest = Number.NEGATIVE_INFINITY;
    this.late.length = 0;
  }

  export(author: number): AuthorNotes {
    return { author, lastSeq: this.lastSeq, newest: this.newest, late: this.late };
  }

  restore(n: AuthorNotes): void {
    this.lastSeq = n.lastSeq;
    this.newest = n.newest;
    this.late.length = 0;
    for (const x of n.late) this.late.push(x);
  }
}

/** One author's order notes on a trail as a checkpoint keeps them (the author as the fleet's number). */
export interface AuthorNotes {
  readonly author: number;
  readonly lastSeq: number;
  readonly newest: number;
  /** (seq, by how much) pairs. */
  readonly late: readonly number[];
}

/** Who asks a trail what changed: each keeps its own place. */
export const TRAIL_READER = { digest: 0, alerts: 1 } as const;
export type TrailReader = (typeof TRAIL_READER)[keyof typeof TRAIL_READER];

export class TruckTrail {
  private readonly cols: FixColumns;
  /** Counts the fixes added: what a reader caching from this trail compares. */
  version = 0;
  /**
   * Per reader (the output digest, the alerts), the lowest index whose view may have changed
   * since it last asked.
   */
  private readonly changedFrom = [0, 0];
  /** cols.flag is valid for the first `judgedCount` fixes. */
  private judgedCount = 0;
  /**
   * How many of the judged fixes are flagged. The flags themselves live in the columns: a fix is
   * made an object only when asked for, so a season of flagged fixes costs nothing on the heap.
   */
  private flaggedJudged = 0;
  /** Per author, their fixes' order notes: most trucks have one reporter, kept without a map. */
  private sole: { readonly author: AuthorId; readonly fixes: AuthorFixes } | null = null;
  private others: Map<AuthorId, AuthorFixes> | null = null;
  /** The greatest log order key among the fixes (the latest recorded), or null. */
  private newestRecorded: EventBody | null = null;
  /** The historical marks must be worked out again for the whole trail. */
  private historicalStale = false;

  constructor(
    truck: string,
    authors: AuthorTable,
    private readonly settings: FleetSettings,
    /** Scratch shared by the fold's trails for reading their sealed fixes. */
    cache?: ChunkCache,
  ) {
    this.cols = new FixColumns(truck, authors, cache);
  }

  /** The authors that reported fixes of this truck. */
  reporters(): AuthorId[] {
    const out: AuthorId[] = this.sole ? [this.sole.author] : [];
    if (this.others) out.push(...this.others.keys());
    return out;
  }

  get size(): number {
    return this.cols.length;
  }

  /** The columns, for a checkpoint (read them; never write). */
  get columns(): Readonly<FixColumns> {
    return this.cols;
  }

  lastFixMs(): number | null {
    return this.cols.length ? this.cols.fixMsAt(this.cols.length - 1) : null;
  }

  /** Adds a fix (in any order; in each author's feed order, as a store folds, nothing is re-judged). */
  add(fix: Fix): void {
    this.version++;
    const at = this.insertionIndex(fix);
    this.cols.insertAt(at, fix);
    this.markChanged(at);
    if (at < this.judgedCount) {
      // The judged fixes from `at` on moved up by one (the new one, unjudged, sits at `at`).
      this.flaggedJudged -= this.flaggedIn(at + 1, this.judgedCount + 1);
      this.judgedCount = at;
    }
    this.note(fix);
    this.markHistorical(at, fix);
  }

  /**
   * The event-time latch, in log order: a fix is historical when a fix recorded before it (by
   * the HLC total order) that no static filter flagged has a later fix time. A fix recorded
   * after every other (a live one, or a late one sent now) decides only itself, by a look at
   * the fixes after it in the trail; any other order (a second reporter's feed synced late)
   * marks the whole trail for a pass when it is next read.
   */
  private markHistorical(at: number, fix: Fix): void {
    if (this.historicalStale) return;
    if (this.newestRecorded && compareTotalOrder(fix.at, this.newestRecorded) < 0) {
      this.historicalStale = true;
      return;
    }
    this.newestRecorded = fix.at;
    // Every fix after `at` was recorded before this one, and (landing after any equal key) has a later fix time.
    const c = this.cols;
    for (let j = at + 1; j < c.length; j++) {
      if (staticFlag(c.pointAt(j), this.settings) === null) {
        c.setHistorical(at, true);
        return;
      }
    }
  }

  /** Works the historical marks out for the whole trail; returns the lowest index whose mark changed (Infinity: none). */
  private settleHistorical(): number {
    if (!this.historicalStale) return Infinity;
    this.historicalStale = false;
    const c = this.cols;
    let lowest = Infinity;
    // Walking the trail from its newest fix time down, the earliest-recorded valid fix after each run of equal fix times.
    let minRecorded: number = -1;
    let end = c.length;
    while (end > 0) {
      let start = end - 1;
      while (start > 0 && c.fixMsAt(start - 1) === c.fixMsAt(end - 1)) start--;
      for (let i = start; i < end; i++) {
        const h = minRecorded >= 0 && c.compareRecorded(minRecorded, i) < 0;
        if (c.historicalAt(i) !== h) {
          c.setHistorical(i, h);
          lowest = Math.min(lowest, i);
        }
      }
      // minRecorded is an index: the run's fixes sit before it, so it does not move as we go down.
      for (let i = start; i < end; i++) {
        if (staticFlag(c.pointAt(i), this.settings) === null && (minRecorded < 0 || c.compareRecorded(i, minRecorded) < 0)) minRecorded = i;
      }
      end = start;
    }
    let newest = -1;
    for (let i = 0; i < c.length; i++) if (newest < 0 || c.compareRecorded(i, newest) > 0) newest = i;
    this.newestRecorded = newest < 0 ? null : c.recordedAt(newest);
    return lowest;
  }

  /**
   * Fills an empty trail from a checkpoint: its sealed chunks as they were packed, then its
   * newest fixes from columns in trail order, and each author's order notes as saved. Nothing is
   * unpacked; the fixes are judged again when first read.
   */
  load(chunks: readonly SealedChunk[], src: CheckpointColumns, from: number, count: number, authorOf: (checkpointAuthor: number) => number, notes: readonly AuthorNotes[]): void {
    const c = this.cols;
    c.adopt(chunks);
    c.loadFrom(src, from, count, authorOf);
    this.version++;
    this.markChanged(0);
    this.historicalStale = true;
    for (const n of notes) {
      const author = c.authors.list[n.author];
      if (author === undefined) throw new SnapshotError(`fleet: ${this.cols.truck}: order notes name author ${n.author}, not in the fleet's table`);
      this.fixesOf(author).restore(n);
    }
  }

  /** Each author's order notes, for a checkpoint (authors numbered as in the fleet's table). */
  exportNotes(): AuthorNotes[] {
    const out: AuthorNotes[] = [];
    const c = this.cols;
    if (this.sole) out.push(this.sole.fixes.export(c.authors.idx(this.sole.author)));
    for (const [a, f] of this.others ?? []) out.push(f.export(c.authors.idx(a)));
    return out;
  }

  private fixesOf(author: AuthorId): AuthorFixes {
    if (!this.sole) return (this.sole = { author, fixes: new AuthorFixes() }).fixes;
    if (this.sole.author === author) return this.sole.fixes;
    this.others ??= new Map();
    let mine = this.others.get(author);
    if (!mine) this.others.set(author, (mine = new AuthorFixes()));
    return mine;
  }

  /** Where `fix` goes (after any equal one): live fixes land at the tail, late ones are searched for. */
  private insertionIndex(fix: Fix): number {
    const n = this.cols.length;
    if (n === 0 || this.cols.compareAt(n - 1, fix) <= 0) return n;
    let [lo, hi] = this.cols.searchBounds(fix.fixMs);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cols.compareAt(mid, fix) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private note(fix: Fix): void {
    const mine = this.fixesOf(fix.at.author);
    if (!mine.add(fix.at.seq, fix.fixMs)) {
      // Out of feed order (a fold fed in another order): go over this author's fixes again.
      mine.reset();
      // Read in trail order (sealed chunks unpack once each), then sorted by seq.
      const ix = this.cols.authors.idx(fix.at.author);
      const rows: [seq: number, fixMs: number][] = [];
      for (let i = 0; i < this.cols.length; i++) if (this.cols.authorAt(i) === ix) rows.push([this.cols.seqAt(i), this.cols.fixMsAt(i)]);
      for (const [seq, fixMs] of rows.sort((a, b) => a[0] - b[0])) mine.add(seq, fixMs);
    }
  }

  /** Forgets the judgements from index `i` on. */
  private rejudgeFrom(i: number): void {
    if (i >= this.judgedCount) return;
    this.flaggedJudged -= this.flaggedIn(i, this.judgedCount);
    this.judgedCount = i;
  }

  /** Flagged fixes among indexes [from, to). */
  private flaggedIn(from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) if (this.cols.flagAt(i) !== 0) n++;
    return n;
  }

  /** May the fix at `i` be the one later fixes are judged against? */
  private isAnchor(i: number): boolean {
    return this.cols.flagAt(i) === 0 && !(this.settings.latch && this.cols.historicalAt(i));
  }

  /**
   * Judges what was not judged yet: the static filters, duplicates, then each fix against the
   * last plausible one before it (with the latch on, the last plausible one that is not historical).
   */
  private judge(): void {
    const cols = this.cols;
    const changed = this.settleHistorical();
    this.markChanged(changed);
    if (this.settings.latch && changed < this.judgedCount) this.rejudgeFrom(changed);
    if (this.judgedCount === cols.length) return;
    let lastGood: Fix | null = null;
    for (let i = this.judgedCount - 1; i >= 0 && !lastGood; i--) if (this.isAnchor(i)) lastGood = cols.fixAt(i);
    for (let i = this.judgedCount; i < cols.length; i++) {
      const f = cols.fixAt(i);
      const flag = staticFlag(f, this.settings) ?? (this.settings.duplicates && this.duplicatesEarlier(i, f) ? 'duplicate_fix' : null) ?? (lastGood ? motionFlag(lastGood, f, this.settings) : null);
      cols.setFlag(i, flagCode(flag));
      if (flag) this.flaggedJudged++;
      else if (this.isAnchor(i)) lastGood = f;
    }
    this.judgedCount = cols.length;
  }

  /** Does an earlier fix of the same fix time carry the same position, speed and heading? */
  private duplicatesEarlier(i: number, f: Fix): boolean {
    for (let j = i - 1; j >= 0 && this.cols.fixMsAt(j) === f.fixMs; j--) if (isDuplicate(this.cols.pointAt(j), f)) return true;
    return false;
  }

  /** The fix recorded by author's event `seq` at `fixMs`, judged, or null. */
  /** The index of the first fix taken at or after `fixMs` (the trail's size when there is none). */
  indexAtOrAfter(fixMs: number): number {
    const c = this.cols;
    let [lo, hi] = c.searchBounds(fixMs);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c.fixMsAt(mid) < fixMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(fixMs: number, author: AuthorId, seq: number): EvaluatedFix | null {
    this.judge();
    const c = this.cols;
    const lo = this.indexAtOrAfter(fixMs);
    const ix = c.authors.find(author);
    if (ix < 0) return null;
    for (let i = lo; i < c.length && c.fixMsAt(i) === fixMs; i++) if (c.authorAt(i) === ix && c.seqAt(i) === seq) return c.evaluatedAt(i);
    return null;
  }

  /** Fixes [from, to) with their judgements, in trail order. */
  evaluatedRange(from: number, to: number): EvaluatedFix[] {
    this.judge();
    const out: EvaluatedFix[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.cols.length); i++) out.push(this.cols.evaluatedAt(i));
    return out;
  }

  /** Every fix as the fleet's view has it (of output versions 1 and 2: `legacy`), in trail order, and the current one's index (or -1). */
  views(legacy = false): { readonly fixes: Value[]; readonly current: number } {
    this.judge();
    const fixes: Value[] = new Array<Value>(this.cols.length);
    let current = -1;
    for (let i = 0; i < this.cols.length; i++) {
      fixes[i] = this.cols.viewAt(i, legacy);
      if (this.cols.flagAt(i) === 0) current = i;
    }
    return { fixes, current };
  }

  /** Appends the canonical views of fixes [from, to) to `w` (the output digest's input). */
  writeViews(w: ByteWriter, from: number, to: number): void {
    this.judge();
    for (let i = from; i < to; i++) this.cols.writeViewAt(w, i);
  }

  /** The index of the current fix (the latest plausible one), or -1. */
  currentIndex(): number {
    this.judge();
    for (let i = this.cols.length - 1; i >= 0; i--) if (this.cols.flagAt(i) === 0) return i;
    return -1;
  }

  /** The lowest index whose view may have changed since `reader` last asked (Infinity: none). */
  takeChangedFrom(reader: TrailReader = TRAIL_READER.digest): number {
    const at = this.changedFrom[reader]!;
    const from = at < this.cols.length ? at : at === 0 ? 0 : Infinity;
    this.changedFrom[reader] = this.cols.length;
    return from;
  }

  private markChanged(at: number): void {
    for (let r = 0; r < this.changedFrom.length; r++) if (at < this.changedFrom[r]!) this.changedFrom[r] = at;
  }

  /** How many of the fixes are historical (recorded after a newer fix of the truck). */
  historicalCount(): number {
    this.judge();
    return this.cols.historicalCount;
  }

  /** The flagged fixes, in trail order (made from the columns for the asker). */
  flagged(): EvaluatedFix[] {
    this.judge();
    const out: EvaluatedFix[] = [];
    if (this.flaggedJudged === 0) return out;
    for (let i = 0; i < this.cols.length; i++) if (this.cols.flagAt(i) !== 0) out.push(this.cols.evaluatedAt(i));
    return out;
  }

  flaggedCount(): number {
    this.judge();
    return this.flaggedJudged;
  }

  /** The plausible fix with the latest event time, or null. */
  current(): EvaluatedFix | null {
    this.judge();
    for (let i = this.cols.length - 1; i >= 0; i--) if (this.cols.flagAt(i) === 0) return this.cols.evaluatedAt(i);
    return null;
  }

  /**
   * The late and delayed fixes (in no particular order), made from the columns when asked for:
   * a backlog uploaded after a dead zone makes every fix of it delayed, and a note kept as an
   * object per fix would cost more than the trail.
   */
  notes(): FixNote[] {
    const out: FixNote[] = [];
    const c = this.cols;
    for (let i = 0; i < c.length; i++) {
      const byMs = c.wallAt(i) - c.fixMsAt(i);
      if (byMs > DELAYED_FIX_MS) out.push({ kind: 'delayed_fix', fix: c.fixAt(i), byMs });
    }
    // Late fixes by (author, seq): an event is one fix, so the pair finds it.
    const late = new Map<number, Map<number, number>>();
    const addLate = (author: AuthorId, fixes: AuthorFixes): void => {
      if (fixes.late.length === 0) return;
      const bySeq = new Map<number, number>();
      for (let k = 0; k < fixes.late.length; k += 2) bySeq.set(fixes.late[k]!, fixes.late[k + 1]!);
      late.set(c.authors.idx(author), bySeq);
    };
    if (this.sole) addLate(this.sole.author, this.sole.fixes);
    for (const [author, fixes] of this.others ?? []) addLate(author, fixes);
    if (late.size === 0) return out;
    for (let i = 0; i < c.length; i++) {
      const byMs = late.get(c.authorAt(i))?.get(c.seqAt(i));
      if (byMs !== undefined) out.push({ kind: 'late_fix', fix: c.fixAt(i), byMs });
    }
    return out;
  }
}

/** A fix recorded this long after it was taken is "delayed" on the conflict timeline. */
export const DELAYED_FIX_MS = 120_000;
