// Test fixtures: deterministic identities and a builder that mints signed feeds the way a real
// author would, so store and sync tests feed the real rules real signatures.
import { createHash } from 'node:crypto';
import type { Value } from '../../src/core/encoding/canonical';
import { sealEvent, type FeedEvent } from '../../src/core/events/event';
import { signHead } from '../../src/core/feed/head';
import type { IncomingRun } from '../../src/core/feed/ingest';
import type { HlcStamp } from '../../src/core/clock/hlc';
import { NodeCrypto } from '../../src/node/crypto/node-crypto';
import { NodeIdentity } from '../../src/node/crypto/identity';

export const crypto = new NodeCrypto();

/** A deterministic identity named by a label: the same label gives the same key everywhere. */
export function identity(label: string): NodeIdentity {
  return NodeIdentity.fromSeed(new Uint8Array(createHash('sha256').update(`mandala-test:${label}`).digest()));
}

export class FeedBuilder {
  readonly events: FeedEvent[] = [];
  readonly id: NodeIdentity;

  constructor(
    who: string | NodeIdentity,
    private wall = 1_700_000_000_000,
  ) {
    this.id = typeof who === 'string' ? identity(who) : who;
  }

  get author(): string {
    return this.id.author;
  }

  /** Mints the next event of this feed. */
  add(kind: string, payload: Value, hlc?: HlcStamp): FeedEvent {
    const last = this.events[this.events.length - 1];
    this.wall += 1000;
    const ev = sealEvent(
      { author: this.author, seq: (last?.seq ?? 0) + 1, prev: last?.id ?? null, hlc: hlc ?? { wall: this.wall, counter: 0 }, kind, payload },
      crypto,
    );
    this.events.push(ev);
    return ev;
  }

  /** Mints `n` simple events. */
  addMany(n: number, kind = 'note.add'): FeedEvent[] {
    const out: FeedEvent[] = [];
    for (let i = 0; i < n; i++) out.push(this.add(kind, { record_id: 'R-1', text: `note ${this.events.length + 1}` }));
    return out;
  }

  sig(seq: number): Uint8Array {
    const ev = this.events[seq - 1]!;
    return signHead(this.id, this.author, ev.seq, ev.id);
  }

  /** The run [from, to]; signed at `to` unless `signed` is false. */
  run(from: number, to: number, signed = true): IncomingRun {
    return { author: this.author, events: this.events.slice(from - 1, to), sig: signed ? this.sig(to) : null };
  }

  /** Every event as signed runs of `size` (the last one shorter), in order. */
  *runs(size = 1000): Generator<IncomingRun> {
    for (let from = 1; from <= this.events.length; from += size) yield this.run(from, Math.min(this.events.length, from + size - 1));
  }
}

/** A second, incompatible history for the same author from `atSeq` on (a fork). */
export function forkOf(base: FeedBuilder, atSeq: number): FeedBuilder {
  const other = new FeedBuilder(base.id);
  other.events.push(...base.events.slice(0, atSeq - 1));
  other.add('note.add', { record_id: 'R-1', text: `the other history at ${atSeq}` });
  return other;
}
