// The input frontier of a projection run: exactly which events the output was folded from.
//
// It is the minimal per-author vector for the projection: an author appears only if it wrote an
// event of one of the projection's source kinds, at the seq of the newest such event. Events of
// other kinds cannot change the fold, so leaving them out keeps the vector short and lets any
// node that holds those feeds reproduce the output (a radio-only node that never received the
// bulky report feeds, say). The digest binds the head ids, so two histories with the same seqs
// have different digests.
import { compareHlc, type HlcStamp } from '../clock/hlc';
import type { Hasher } from '../crypto/ports';
import type { AuthorId, EventId, FeedEvent } from '../events/event';
import { frontierDigestHex, type FeedHead } from '../feed/frontier';

export interface InputEntry {
  readonly author: AuthorId;
  readonly seq: number;
  readonly head: EventId;
}

export interface InputFrontier {
  /** Sorted by author. */
  readonly vector: readonly InputEntry[];
  /** frontierDigest over the vector, hex. */
  readonly digest: string;
  /** The highest HLC stamp among the vector's heads (null for an empty input). */
  readonly hlcHigh: HlcStamp | null;
}

export function makeInputFrontier(heads: Iterable<InputEntry & { readonly hlc: HlcStamp }>, hasher: Hasher): InputFrontier {
  const list = [...heads].sort((a, b) => (a.author < b.author ? -1 : a.author > b.author ? 1 : 0));
  let hlcHigh: HlcStamp | null = null;
  for (const h of list) if (!hlcHigh || compareHlc(h.hlc, hlcHigh) > 0) hlcHigh = h.hlc;
  return { vector: list.map((h) => ({ author: h.author, seq: h.seq, head: h.head })), digest: vectorDigest(list, hasher), hlcHigh };
}

export function vectorDigest(vector: readonly InputEntry[], hasher: Hasher): string {
  const map = new Map<AuthorId, FeedHead>();
  for (const e of vector) map.set(e.author, { seq: e.seq, id: e.head });
  return frontierDigestHex(map, hasher);
}

interface KindHead {
  seq: number;
  id: EventId;
  hlc: HlcStamp;
}

/** Exported form of KindHeads: [author, kind, seq, id, wall, counter] rows. */
export type KindHeadRow = readonly [AuthorId, string, number, EventId, number, number];

/**
 * Per author and kind, the newest event folded. Everything a run needs to name its minimal input
 * frontier for any projection, and to tell whether a checkpoint fits inside a given frontier.
 */
export class KindHeads {
  private readonly byAuthor = new Map<AuthorId, Map<string, KindHead>>();

  note(ev: FeedEvent): void {
    let kinds = this.byAuthor.get(ev.author);
    if (!kinds) this.byAuthor.set(ev.author, (kinds = new Map()));
    const cur = kinds.get(ev.kind);
    if (!cur || ev.seq > cur.seq) kinds.set(ev.kind, { seq: ev.seq, id: ev.id, hlc: ev.hlc });
  }

  /** The minimal input frontier of a projection that reads `kinds`. */
  inputFor(kinds: readonly string[], hasher: Hasher): InputFrontier {
    const heads: (InputEntry & { hlc: HlcStamp })[] = [];
    for (const [author, byKind] of this.byAuthor) {
      let best: KindHead | null = null;
      for (const k of kinds) {
        const h = byKind.get(k);
        if (h && (!best || h.seq > best.seq)) best = h;
      }
      if (best) heads.push({ author, seq: best.seq, head: best.id, hlc: best.hlc });
    }
    return makeInputFrontier(heads, hasher);
  }

  /** Every feed's newest folded event: what the whole fold covers. */
  coveredFrontier(hasher: Hasher): InputFrontier {
    const kinds = new Set<string>();
    for (const byKind of this.byAuthor.values()) for (const k of byKind.keys()) kinds.add(k);
    return this.inputFor([...kinds], hasher);
  }

  /**
   * True when nothing this tracker folded of `kinds` lies outside `vector`: a state folded from
   * these events can be extended to exactly the vector's input by folding what is missing.
   */
  withinVector(kinds: readonly string[], vector: readonly InputEntry[]): boolean {
    const limit = new Map(vector.map((e) => [e.author, e.seq]));
    for (const [author, byKind] of this.byAuthor) {
      const max = limit.get(author) ?? 0;
      for (const k of kinds) {
        const h = byKind.get(k);
        if (h && h.seq > max) return false;
      }
    }
    return true;
  }

  export(): KindHeadRow[] {
    const rows: KindHeadRow[] = [];
    for (const [author, byKind] of this.byAuthor) for (const [kind, h] of byKind) rows.push([author, kind, h.seq, h.id, h.hlc.wall, h.hlc.counter]);
    return rows;
  }

  static import(rows: readonly KindHeadRow[]): KindHeads {
    const out = new KindHeads();
    for (const [author, kind, seq, id, wall, counter] of rows) {
      let kinds = out.byAuthor.get(author);
      if (!kinds) out.byAuthor.set(author, (kinds = new Map()));
      kinds.set(kind, { seq, id, hlc: { wall, counter } });
    }
    return out;
  }
}
