// Scrubbing: every feed read back in full, every id recomputed from its bytes, every prev link
// and held signature checked. SQLite's integrity_check sees pages, not meaning: one byte flipped
// inside a stored value passes it. This finds such an event, and says which, so the node can stop
// serving it and fetch it again from a peer.
import type { CryptoPort } from '../../../core/crypto/ports';
import { toHex } from '../../../core/encoding/bytes';
import { openStoredEvent, type AuthorId, type EventId } from '../../../core/events/event';
import { headSigningBytes } from '../../../core/feed/head';
import type { Statements } from './statements';

export interface DamagedEvent {
  readonly author: AuthorId;
  readonly seq: number;
  readonly code: 'id_mismatch' | 'undecodable' | 'chain_broken' | 'bad_signature' | 'seq_gap' | 'head_mismatch';
  readonly message: string;
}

export interface ScrubResult {
  readonly authors: number;
  readonly events: number;
  /** The first damaged event of each damaged feed (what is above it is re-fetched with it). */
  readonly damaged: DamagedEvent[];
}

type Row = { seq: number; id: Buffer; bytes: Buffer; sig: Buffer | null };

function checkRow(author: AuthorId, r: Row, expectSeq: number, prev: EventId | null, crypto: CryptoPort): DamagedEvent | null {
  const at = { author, seq: r.seq };
  const who = `${author.slice(0, 8)}#${r.seq}`;
  if (r.seq !== expectSeq) return { ...at, code: 'seq_gap', message: `${who}: expected seq ${expectSeq}` };
  const id = toHex(crypto.sha256(new Uint8Array(r.bytes)));
  if (id !== toHex(r.id)) return { ...at, code: 'id_mismatch', message: `${who}: stored id does not match its bytes` };
  let ev;
  try {
    ev = openStoredEvent(new Uint8Array(r.bytes), id);
  } catch (e) {
    return { ...at, code: 'undecodable', message: `${who}: the stored event cannot be read (${(e as Error).message})` };
  }
  if (ev.prev !== prev || ev.author !== author || ev.seq !== r.seq) return { ...at, code: 'chain_broken', message: `${who}: chain link broken` };
  if (r.sig && !crypto.verify(Buffer.from(author, 'hex'), headSigningBytes(author, r.seq, id), new Uint8Array(r.sig))) {
    return { ...at, code: 'bad_signature', message: `${who}: head signature does not verify` };
  }
  return null;
}

export function scrubChains(statements: Statements, crypto: CryptoPort): ScrubResult {
  const damaged: DamagedEvent[] = [];
  let events = 0;
  const authors = statements.authorsAll.all() as { author_id: number; key: string; head_seq: number }[];
  for (const a of authors) {
    let prev: EventId | null = null;
    let expect = 1;
    let first: DamagedEvent | null = null;
    for (const r of statements.chainOf.iterate(a.author_id) as Iterable<Row>) {
      events++;
      const problem: DamagedEvent | null = first ? null : checkRow(a.key, r, expect, prev, crypto);
      if (problem) first = problem;
      prev = toHex(r.id);
      expect = r.seq + 1;
    }
    if (first) damaged.push(first);
    else if (expect - 1 !== a.head_seq) damaged.push({ author: a.key, seq: Math.min(expect, a.head_seq), code: 'head_mismatch', message: `${a.key.slice(0, 8)}: head says ${a.head_seq}, chain ends at ${expect - 1}` });
  }
  return { authors: authors.length, events, damaged };
}
