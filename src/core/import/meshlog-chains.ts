// Reassembling meshlogd's per-author feeds from the lines of a data file, in any order: an event
// is taken when it is the next seq of its author's feed and names the previous event's id as
// prev, as meshlogd's own ingest demanded. Lines that arrive early wait; a line whose prev breaks
// the chain, or a second event for a seq already taken, is reported; whatever still waits at the
// end sits behind a gap or a broken link and is reported too. Memory holds only waiting lines
// and the taken ids.
import type { MeshlogEvent } from './meshlog-line';

export interface ChainProblem {
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

export interface ReadyEvent extends MeshlogEvent {
  readonly line: number;
}

interface Chain {
  nextSeq: number;
  lastId: string;
  /** Taken ids by seq (for telling a duplicate line from a conflicting one). */
  readonly taken: Map<number, string>;
  readonly waiting: Map<number, ReadyEvent[]>;
}

export class MeshlogChains {
  private readonly chains = new Map<string, Chain>();
  readonly problems: ChainProblem[] = [];
  duplicates = 0;

  /** Offers a checked line; returns the events that became ready (in feed order). */
  offer(ev: MeshlogEvent, line: number): ReadyEvent[] {
    let c = this.chains.get(ev.name);
    if (!c) this.chains.set(ev.name, (c = { nextSeq: 1, lastId: '', taken: new Map(), waiting: new Map() }));
    const r: ReadyEvent = { ...ev, line };
    if (ev.seq < c.nextSeq) {
      if (c.taken.get(ev.seq) === ev.id) this.duplicates++;
      else this.problems.push({ line, code: 'conflicting_event', message: `a second, different event for ${ev.name} seq ${ev.seq} (the file holds two histories for this author); kept the first` });
      return [];
    }
    const list = c.waiting.get(ev.seq) ?? [];
    if (list.some((w) => w.id === ev.id)) {
      this.duplicates++;
      return [];
    }
    list.push(r);
    c.waiting.set(ev.seq, list);
    return this.drain(c);
  }

  private drain(c: Chain): ReadyEvent[] {
    const out: ReadyEvent[] = [];
    for (;;) {
      const candidates = c.waiting.get(c.nextSeq);
      if (!candidates) return out;
      c.waiting.delete(c.nextSeq);
      const good = candidates.find((w) => w.prev === c.lastId);
      for (const w of candidates) {
        if (w === good) continue;
        this.problems.push(
          good
            ? { line: w.line, code: 'conflicting_event', message: `a second, different event for ${w.name} seq ${w.seq} (the file holds two histories for this author); kept ${good.line < w.line ? 'the first' : `the one on line ${good.line}, which continues the chain`}` }
            : { line: w.line, code: 'chain_broken', message: `${w.name} seq ${w.seq} names prev ${w.prev.slice(0, 12) || '(none)'}…, not the id of seq ${w.seq - 1}; it and what follows it are not imported` },
        );
      }
      if (!good) return out;
      c.taken.set(good.seq, good.id);
      c.nextSeq++;
      c.lastId = good.id;
      out.push(good);
    }
  }

  /** Reports every line still waiting: it sits behind a missing or broken event. */
  finish(): void {
    for (const [name, c] of this.chains) {
      const seqs = [...c.waiting.keys()].sort((a, b) => a - b);
      for (const seq of seqs) {
        for (const w of c.waiting.get(seq)!) {
          this.problems.push({ line: w.line, code: 'unreachable', message: `${name} seq ${seq} follows seq ${c.nextSeq}, which is missing or was rejected; not imported` });
        }
      }
      c.waiting.clear();
    }
    this.problems.sort((a, b) => a.line - b.line);
  }

  /** Per author: how far its feed was taken, and the last meshlogd id. */
  heads(): { name: string; seq: number; lastId: string }[] {
    return [...this.chains.entries()].map(([name, c]) => ({ name, seq: c.nextSeq - 1, lastId: c.lastId })).filter((h) => h.seq > 0);
  }
}
