// The writes to one field and what each writer had seen, so concurrency can be told from a plain
// overwrite.
//
// A Mandala write names, in `deps`, the field's heads as its author saw them (refs author:seq).
// Any write named by another write is superseded: its writer's successor saw it. The heads are the
// writes nobody names. One head: the field is settled. Several: a real concurrent conflict; the
// displayed winner is still the greatest in total order (HLC wall, counter, author, seq) and the
// others are kept and shown until a write that names them all settles the field.
//
// A write without `deps` (meshlogd data) carries no causality: as in the prototype, it overwrites
// everything before it in total order and conflicts with nothing.
//
// Everything here depends only on the set of writes: `referenced` grows by union, so the heads
// are the same whatever order the writes arrived in.
import { encodeCanonical, type Value } from '../encoding/canonical';
import { bytesEqual } from '../encoding/bytes';
import { compareTotalOrder, type AuthorId, type EventBody } from '../events/event';

export type Ref = string;

export function refOf(author: AuthorId, seq: number): Ref {
  return `${author}:${seq}`;
}

export interface FieldWrite {
  readonly ref: Ref;
  readonly at: EventBody;
  readonly value: Value;
  /** Refs this writer had seen; null for a write without causality (imported prototype data). */
  readonly deps: readonly Ref[] | null;
}

export class FieldHistory {
  readonly writes = new Map<Ref, FieldWrite>();
  /** Refs some write names as seen. */
  readonly referenced = new Set<Ref>();
  /** The greatest write (total order) that carried no causality. */
  private legacyMax: FieldWrite | null = null;

  add(w: FieldWrite): void {
    this.writes.set(w.ref, w);
    if (w.deps === null) {
      if (!this.legacyMax || compareTotalOrder(w.at, this.legacyMax.at) > 0) this.legacyMax = w;
    } else {
      for (const d of w.deps) this.referenced.add(d);
    }
  }

  /** Writes nobody superseded, greatest (the winner) first. */
  heads(): FieldWrite[] {
    const out: FieldWrite[] = [];
    for (const w of this.writes.values()) {
      if (this.referenced.has(w.ref)) continue;
      if (this.legacyMax && w !== this.legacyMax && compareTotalOrder(w.at, this.legacyMax.at) < 0) continue;
      out.push(w);
    }
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

  winner(): FieldWrite | null {
    let best: FieldWrite | null = null;
    for (const w of this.writes.values()) if (!best || compareTotalOrder(w.at, best.at) > 0) best = w;
    return best;
  }

  /** Writes that named two or more others: each settled a conflict among those it named. */
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
