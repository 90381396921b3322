// One truck's trail in the fleet fold, kept so that a live fix costs in proportion to itself,
// not to the trail: fixes sorted by (fix time, total order); plausibility flags kept for a
// prefix that stays valid (a fix at the tail judges only itself, a late one re-judges from
// where it landed); the reporters, the flagged fixes and the notes the conflict timeline shows
// (late and delayed fixes) maintained as fixes arrive. Everything here equals what judging the
// whole sorted trail gives (fleet.ts `evaluateTrail`; a property test holds the two together).
import { compareTotalOrder, type AuthorId, type EventBody } from '../events/event';
import { distanceMeters, e6ToDegrees } from '../geo/geo';

export interface PlausibilityLimits {
  /** Implied speed above this between consecutive plausible fixes is impossible for a truck. */
  readonly maxSpeedKmh: number;
  /** Movements shorter than this are GPS jitter and never flagged for speed. */
  readonly jitterMeters: number;
  /** A fix this far after its author's own clock at recording time is in the future. */
  readonly futureToleranceMs: number;
}

export type FixFlag = 'coordinates_out_of_range' | 'null_island' | 'fix_in_future' | 'teleport' | 'implied_speed_over_limit';

export interface Fix {
  readonly truck: string;
  readonly fixMs: number;
  readonly latE6: number;
  readonly lonE6: number;
  readonly speedKmh: number | null;
  readonly headingDeg: number | null;
  readonly at: EventBody;
}

export interface EvaluatedFix extends Fix {
  readonly flag: FixFlag | null;
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

export function staticFlag(f: Fix, limits: PlausibilityLimits): FixFlag | null {
  if (Math.abs(f.latE6) > 90_000_000 || Math.abs(f.lonE6) > 180_000_000) return 'coordinates_out_of_range';
  if (f.latE6 === 0 && f.lonE6 === 0) return 'null_island';
  if (f.fixMs > f.at.hlc.wall + limits.futureToleranceMs) return 'fix_in_future';
  return null;
}

export function motionFlag(prev: Fix, f: Fix, limits: PlausibilityLimits): FixFlag | null {
  const meters = distanceMeters(e6ToDegrees(prev.latE6), e6ToDegrees(prev.lonE6), e6ToDegrees(f.latE6), e6ToDegrees(f.lonE6));
  if (meters <= limits.jitterMeters) return null;
  const dtMs = f.fixMs - prev.fixMs;
  if (dtMs <= 0) return 'teleport';
  const kmh = meters / 1000 / (dtMs / 3_600_000);
  return kmh > limits.maxSpeedKmh ? 'implied_speed_over_limit' : null;
}

/** Where `fix` goes in a sorted trail (after any equal one). */
function insertionIndex(fixes: readonly Fix[], fix: Fix): number {
  const n = fixes.length;
  // Live fixes arrive in order: check the tail first, then binary search for late ones.
  if (n === 0 || compareFix(fixes[n - 1]!, fix) <= 0) return n;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareFix(fixes[mid]!, fix) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One author's fixes of one truck, by seq: "late" means older than a fix of a lower seq. */
class AuthorFixes {
  private readonly bySeq: Fix[] = [];
  /** The newest fix time among bySeq[0..i]. */
  private readonly newestUpTo: number[] = [];
  readonly late: FixNote[] = [];

  add(fix: Fix): void {
    const n = this.bySeq.length;
    if (n === 0 || this.bySeq[n - 1]!.at.seq < fix.at.seq) {
      // In feed order, as a store folds it: judged against what came before, nothing else moves.
      const newest = n ? this.newestUpTo[n - 1]! : undefined;
      this.bySeq.push(fix);
      this.newestUpTo.push(Math.max(newest ?? fix.fixMs, fix.fixMs));
      if (newest !== undefined && fix.fixMs < newest) this.late.push({ kind: 'late_fix', fix, byMs: newest - fix.fixMs });
      return;
    }
    // Out of feed order (a fold fed in another order): judge this author's fixes again.
    const all = [...this.bySeq, fix].sort((a, b) => a.at.seq - b.at.seq);
    this.bySeq.length = 0;
    this.newestUpTo.length = 0;
    this.late.length = 0;
    for (const f of all) this.add(f);
  }
}

export class TruckTrail {
  readonly fixes: Fix[] = [];
  readonly reporters = new Set<AuthorId>();
  /** Counts the fixes added: what a reader caching from this trail compares. */
  version = 0;
  private readonly delayed: FixNote[] = [];
  private readonly byAuthor = new Map<AuthorId, AuthorFixes>();
  /** evaluated[i] judges fixes[i]; only the first `evaluated.length` are judged. */
  private readonly evaluated: EvaluatedFix[] = [];
  /** The flagged fixes among the judged ones, in trail order. */
  private readonly flaggedFixes: EvaluatedFix[] = [];

  constructor(private readonly limits: PlausibilityLimits) {}

  /** Adds a fix (in any order; in each author's feed order, as a store folds, nothing is re-judged). */
  add(fix: Fix): void {
    this.version++;
    const at = insertionIndex(this.fixes, fix);
    this.fixes.splice(at, 0, fix);
    this.unjudgeFrom(at, fix);
    this.note(fix);
  }

  /** Replaces an empty trail with sorted fixes (a checkpoint's); the notes are worked out in feed order. */
  load(sorted: Fix[]): void {
    this.fixes.push(...sorted);
    const inFeedOrder = [...sorted].sort((a, b) => (a.at.author < b.at.author ? -1 : a.at.author > b.at.author ? 1 : a.at.seq - b.at.seq));
    for (const f of inFeedOrder) this.note(f);
  }

  private note(fix: Fix): void {
    const author = fix.at.author;
    this.reporters.add(author);
    let mine = this.byAuthor.get(author);
    if (!mine) this.byAuthor.set(author, (mine = new AuthorFixes()));
    mine.add(fix);
    const delay = fix.at.hlc.wall - fix.fixMs;
    if (delay > DELAYED_FIX_MS) this.delayed.push({ kind: 'delayed_fix', fix, byMs: delay });
  }

  /** The late and delayed fixes (in no particular order). */
  notes(): FixNote[] {
    const out = [...this.delayed];
    for (const a of this.byAuthor.values()) out.push(...a.late);
    return out;
  }

  /** A fix landed at `at`: the judgements from there on no longer hold. */
  private unjudgeFrom(at: number, fix: Fix): void {
    if (at >= this.evaluated.length) return;
    this.evaluated.length = at;
    while (this.flaggedFixes.length && compareFix(this.flaggedFixes[this.flaggedFixes.length - 1]!, fix) > 0) this.flaggedFixes.pop();
  }

  /** Every fix judged, in trail order (judging only what changed since the last call). */
  judged(): readonly EvaluatedFix[] {
    const ev = this.evaluated;
    if (ev.length === this.fixes.length) return ev;
    let lastGood: Fix | null = null;
    for (let i = ev.length - 1; i >= 0 && !lastGood; i--) if (!ev[i]!.flag) lastGood = ev[i]!;
    for (let i = ev.length; i < this.fixes.length; i++) {
      const f = this.fixes[i]!;
      const flag = staticFlag(f, this.limits) ?? (lastGood ? motionFlag(lastGood, f, this.limits) : null);
      const judged: EvaluatedFix = { ...f, flag };
      ev.push(judged);
      if (flag) this.flaggedFixes.push(judged);
      else lastGood = f;
    }
    return ev;
  }

  /** The flagged fixes, in trail order. */
  flagged(): readonly EvaluatedFix[] {
    this.judged();
    return this.flaggedFixes;
  }

  /** The plausible fix with the latest event time, or null. */
  current(): EvaluatedFix | null {
    const ev = this.judged();
    for (let i = ev.length - 1; i >= 0; i--) if (!ev[i]!.flag) return ev[i]!;
    return null;
  }
}

/** A fix recorded this long after it was taken is "delayed" on the conflict timeline. */
export const DELAYED_FIX_MS = 120_000;
