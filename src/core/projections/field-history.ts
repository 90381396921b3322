// The writes to one field and what each writer had seen, so concurrency can be told from a plain
// overwrite.
//
// A Mandala write names, in `deps`, the field's heads as its author saw them, as [author, seq]
// pairs. A pair means "I saw this author's writes to the field up to this seq": feeds are
// contiguous, so whoever holds an author's event at seq s holds everything that author wrote
// before it. An author has always seen its own earlier writes. A write is superseded when some
// write names its author at or above its seq; the heads are the writes nobody superseded. A
// write that saw another replaces it, whatever their clocks say: clocks are advisory. One head:
// the field is settled, and its value shows. Several: a real concurrent conflict; only then does
// the clock decide, and the displayed winner is the greatest head in total order (HLC wall,
// counter, author, seq), the others kept and shown until a write that names them all settles the
// field. Deps are bounded by the number of authors that wrote the field, not by how many writes
// there were. A write stamped well ahead of a write that saw it (a fast clock) is flagged.
//
// A write without `deps` (meshlogd data) carries no causality: as in the prototype, it overwrites
// everything before it in total order and conflicts with nothing, so imported data keeps the
// prototype's winners exactly.
//
// Everything here depends only on the set of writes: the per-author maxima grow by max, so the
// heads are the same whatever order the writes arrived in.
import { encodeCanonical, type Value } from '../encoding/canonical';
import { bytesEqual } from '../encoding/bytes';
import { compareTotalOrder, type AuthorId, type EventBody } from '../events/event';

export type Ref = string;

export function refOf(author: AuthorId, seq: number): Ref {
  return `${author}:${seq}`;
}

export type Dep = readonly [AuthorId, number];

export interface FieldWrite {
  readonly ref: Ref;
  readonly at: EventBody;
  readonly value: Value;
  /** What this writer had seen, per author; null for a write without causality (imported prototype data). */
  readonly deps: readonly Dep[] | null;
}

export class FieldHistory {
  readonly writes = new Map<Ref, FieldWrite>();
  /** Per author: the highest seq some write names as seen. */
  private readonly seenUpTo = new Map<AuthorId, number>();
  /** Per author: its writes to this field. */
  private readonly byAuthor = new Map<AuthorId, FieldWrite[]>();
  /** The greatest write (total order) that carried no causality. */
  private legacyMax: FieldWrite | null = null;

  add(w: FieldWrite): void {
    if (this.writes.has(w.ref)) return;
    this.writes.set(w.ref, w);
    let mine = this.byAuthor.get(w.at.author);
    if (!mine) this.byAuthor.set(w.at.author, (mine = []));
    mine.push(w);
    if (w.deps === null) {
      if (!this.legacyMax || compareTotalOrder(w.at, this.legacyMax.at) > 0) this.legacyMax = w;
    } else {
      for (const [a, s] of w.deps) if (s > (this.seenUpTo.get(a) ?? 0)) this.seenUpTo.set(a, s);
    }
  }

  private superseded(w: FieldWrite): boolean {
    return (this.seenUpTo.get(w.at.author) ?? 0) >= w.at.seq;
  }

  /** The newest write without causality, unless a write that saw it replaced it. */
  private standingLegacy(): FieldWrite | null {
    return this.legacyMax && !this.superseded(this.legacyMax) ? this.legacyMax : null;
  }

  /** Writes nobody superseded, greatest (the winner) first. */
  heads(): FieldWrite[] {
    const out: FieldWrite[] = [];
    const legacy = this.standingLegacy();
    for (const mine of this.byAuthor.values()) {
      let latest = mine[0]!;
      for (const w of mine) if (w.at.seq > latest.at.seq) latest = w;
      if (this.superseded(latest)) continue;
      if (legacy && latest !== legacy && compareTotalOrder(latest.at, legacy.at) < 0) continue;
      out.push(latest);
    }
    // A write without causality stands until something overwrites it (it may not be its author's last).
    if (legacy && !out.includes(legacy) && out.every((h) => compareTotalOrder(h.at, legacy.at) < 0)) out.push(legacy);
    return out.sort((a, b) => compareTotalOrder(b.at, a.at));
  }

  /**
   * The open conflict: the winner and the heads whose values differ from it. Concurrent writes
   * that agree on the value leave nothing to resolve, so they are not a conflict.
   */
  openConflict(): { winner: FieldWrite; losers: FieldWrite[] } | null {
    const heads = this.heads();
    if (heads.length < 2) return null;
    const winner = heads[0]!;
    const losers = heads.slice(1).filter((h) => !sameValue(h.value, winner.value));
    return losers.length ? { winner, losers } : null;
  }

  /** The value shown: the greatest head (a write that saw another always replaced it). */
  winner(): FieldWrite | null {
    return this.heads()[0] ?? null;
  }

  /**
   * Writes stamped more than `maxDriftMs` after a write that saw them (its own author's next
   * write, or one naming it in its deps): a clock running fast. Decided by causality alone, so
   * every node holding the same writes flags the same ones.
   */
  clockAhead(maxDriftMs: number): { write: FieldWrite; seenBy: FieldWrite; aheadByMs: number }[] {
    const out = new Map<Ref, { write: FieldWrite; seenBy: FieldWrite; aheadByMs: number }>();
    const consider = (earlier: FieldWrite | null, later: FieldWrite) => {
      if (!earlier || earlier === later) return;
      const ahead = earlier.at.hlc.wall - later.at.hlc.wall;
      if (ahead <= maxDriftMs) return;
      const prev = out.get(earlier.ref);
      if (!prev || ahead > prev.aheadByMs || (ahead === prev.aheadByMs && compareTotalOrder(later.at, prev.seenBy.at) < 0)) out.set(earlier.ref, { write: earlier, seenBy: later, aheadByMs: ahead });
    };
    for (const w of this.writes.values()) {
      if (w.deps === null) continue;
      for (const d of w.deps) consider(this.resolve(d), w);
      consider(this.resolve([w.at.author, w.at.seq - 1]), w);
    }
    return [...out.values()].sort((a, b) => compareTotalOrder(a.write.at, b.write.at));
  }

  /** The write a dep [author, seq] points at: that author's latest write to this field at or below seq. */
  resolve([author, seq]: Dep): FieldWrite | null {
    let best: FieldWrite | null = null;
    for (const w of this.byAuthor.get(author) ?? []) if (w.at.seq <= seq && (!best || w.at.seq > best.at.seq)) best = w;
    return best;
  }

  /** Writes that named two or more others' writes: each settled what it named. */
  merges(): FieldWrite[] {
    return [...this.writes.values()].filter((w) => (w.deps?.length ?? 0) >= 2).sort((a, b) => compareTotalOrder(a.at, b.at));
  }
}

/** Values are the same when their canonical encodings are. */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return bytesEqual(encodeCanonical(a), encodeCanonical(b));
}
