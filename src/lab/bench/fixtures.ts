// Deterministic signed feeds for benchmarks: many authors, realistic payloads (mostly truck
// positions, some record edits), one head signature per batch as the wire carries them.
import { createHash } from 'node:crypto';
import type { CryptoPort } from '../../core/crypto/ports';
import { sealEvent, type FeedEvent } from '../../core/events/event';
import { signHead } from '../../core/feed/head';
import type { IncomingRun } from '../../core/feed/ingest';
import { NodeIdentity } from '../../node/crypto/identity';

export function benchIdentity(label: string): NodeIdentity {
  return NodeIdentity.fromSeed(new Uint8Array(createHash('sha256').update(`mandala-bench:${label}`).digest()));
}

export function payloadFor(authorIx: number, seq: number, t: number) {
  if (seq % 10 === 0) return { kind: 'field.set', payload: { record_id: `R-${(authorIx * 7 + seq) % 500}`, field: 'status', value: `s${seq % 5}` } };
  return {
    kind: 'truck.position',
    payload: { truck: `T-${authorIx}-${seq % 4}`, fix_ms: t, lat_e6: 1_000_000 + ((seq * 37) % 90_000), lon_e6: 37_000_000 + ((seq * 53) % 90_000), speed_kmh: 40 + (seq % 40), heading_deg: (seq * 7) % 360 },
  };
}

/** `authors` feeds (numbered from `firstAuthor`) of `perAuthor` events, in signed runs of `batch`. */
export function signedRuns(crypto: CryptoPort, authors: number, perAuthor: number, batch: number, firstAuthor = 0): IncomingRun[] {
  const runs: IncomingRun[] = [];
  for (let a = firstAuthor; a < firstAuthor + authors; a++) {
    const id = benchIdentity(`author-${a}`);
    let prev: FeedEvent | null = null;
    let pending: FeedEvent[] = [];
    for (let s = 1; s <= perAuthor; s++) {
      const t = 1_700_000_000_000 + s * 1000 + a;
      const { kind, payload } = payloadFor(a, s, t);
      const ev: FeedEvent = sealEvent({ author: id.author, seq: s, prev: prev?.id ?? null, hlc: { wall: t, counter: 0 }, kind, payload }, crypto);
      pending.push(ev);
      prev = ev;
      if (pending.length === batch || s === perAuthor) {
        runs.push({ author: id.author, events: pending, sig: signHead(id, id.author, ev.seq, ev.id) });
        pending = [];
      }
    }
  }
  return runs;
}
