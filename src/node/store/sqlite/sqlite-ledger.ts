// FeedLedger over SQLite prepared statements. One instance lives for one write transaction: it
// buffers head updates for the feeds it touched and collects what it appended, so the store can
// return the appended events with their signatures.
import { encodeForkEvidence } from '../../../core/feed/fork-evidence';
import { attestedFeeds, type Attestation } from '../../../core/import/attestation';
import { hexToBytes, toHex } from '../../../core/encoding/bytes';
import type { AuthorId, EventId, FeedEvent } from '../../../core/events/event';
import type { FeedHead } from '../../../core/feed/frontier';
import type { FeedLedger, ForkEvidence, PendingEvent, StoredRef } from '../../../core/feed/ledger';
import type { StoredEvent } from '../../../core/store/feed-log';
import type { Statements } from './statements';

/** The store positions one transaction's inserts took: where they start, if they follow on. */
export class ConsecutivePositions {
  private first: number | null = null;
  private last = 0;
  private broken = false;

  note(pos: number): void {
    if (this.first === null) this.first = pos;
    else if (pos !== this.last + 1) this.broken = true;
    this.last = pos;
  }

  /** The first position, when every noted one followed the one before; else null. */
  get firstPos(): number | null {
    return this.broken ? null : this.first;
  }
}

export class SqliteLedger implements FeedLedger {
  readonly appended: StoredEvent[] = [];
  readonly positions = new ConsecutivePositions();
  readonly forks: ForkEvidence[] = [];
  private readonly heads = new Map<AuthorId, FeedHead | null>();

  constructor(
    private readonly statements: Statements,
    private readonly authorIdOf: (author: AuthorId, create: boolean) => number | null,
    private readonly openStored: (bytes: Uint8Array, id: EventId) => FeedEvent,
    private readonly nowMs: number,
  ) {}

  head(author: AuthorId): FeedHead | null {
    if (this.heads.has(author)) return this.heads.get(author)!;
    const authorRowId = this.authorIdOf(author, false);
    const row = authorRowId === null ? undefined : (this.statements.headOf.get(authorRowId) as { head_seq: number; head_id: Buffer | null } | undefined);
    const head = row && row.head_seq > 0 && row.head_id ? { seq: row.head_seq, id: toHex(row.head_id) } : null;
    this.heads.set(author, head);
    return head;
  }

  storedAt(author: AuthorId, seq: number): StoredRef | null {
    const authorRowId = this.authorIdOf(author, false);
    if (authorRowId === null) return null;
    const row = this.statements.eventIdAt.get(authorRowId, seq) as { id: Buffer; sig: Buffer | null } | undefined;
    return row ? { id: toHex(row.id), sig: row.sig ? new Uint8Array(row.sig) : null } : null;
  }

  storedBytes(author: AuthorId, fromSeq: number, toSeq: number): Uint8Array[] {
    const authorRowId = this.authorIdOf(author, false);
    if (authorRowId === null) return [];
    return (this.statements.bytesRange.all(authorRowId, fromSeq, toSeq) as { bytes: Buffer }[]).map((r) => new Uint8Array(r.bytes));
  }

  signedPointAtOrAbove(author: AuthorId, seq: number): { seq: number; sig: Uint8Array } | null {
    const authorRowId = this.authorIdOf(author, false);
    if (authorRowId === null) return null;
    const row = this.statements.signedAtOrAbove.get(authorRowId, seq) as { seq: number; sig: Buffer } | undefined;
    return row ? { seq: row.seq, sig: new Uint8Array(row.sig) } : null;
  }

  pendingAt(author: AuthorId, seq: number): readonly PendingEvent[] {
    const authorRowId = this.authorIdOf(author, false);
    if (authorRowId === null) return [];
    const rows = this.statements.pendingAt.all(authorRowId, seq) as { id: Buffer; bytes: Buffer; sig: Buffer | null; authenticated: number }[];
    return rows.map((r) => ({
      event: this.openStored(new Uint8Array(r.bytes), toHex(r.id)),
      sig: r.sig ? new Uint8Array(r.sig) : null,
      authenticated: r.authenticated === 1,
    }));
  }

  pendingTotal(): number {
    return (this.statements.pendingTotal.get() as { n: number }).n;
  }

  pendingCount(author: AuthorId): number {
    const authorRowId = this.authorIdOf(author, false);
    return authorRowId === null ? 0 : (this.statements.pendingCountOf.get(authorRowId) as { n: number }).n;
  }

  isQuarantined(author: AuthorId): boolean {
    const authorRowId = this.authorIdOf(author, false);
    return authorRowId !== null && (this.statements.quarantinedOf.get(authorRowId) as { quarantined: number }).quarantined === 1;
  }

  attestations(author: AuthorId): readonly Attestation[] {
    return readAttestations(this.statements, this.authorIdOf(author, false));
  }

  append(event: FeedEvent, sig: Uint8Array | null): void {
    recordAttestations(this.statements, event, (a) => this.authorIdOf(a, true)!);
    const authorRowId = this.authorIdOf(event.author, true)!;
    const idBytes = event.idBytes ?? hexToBytes(event.id);
    this.positions.note(Number(this.statements.insertEvent.run(authorRowId, event.seq, idBytes, event.hlc.wall, event.hlc.counter, event.kind, event.bytes, sig).lastInsertRowid));
    this.heads.set(event.author, { seq: event.seq, id: event.id });
    // One literal, no spread: this runs once per stored event.
    this.appended.push({ author: event.author, seq: event.seq, prev: event.prev, hlc: event.hlc, kind: event.kind, payload: event.payload, bytes: event.bytes, id: event.id, idBytes, sig });
  }

  addSignature(author: AuthorId, seq: number, sig: Uint8Array): void {
    const authorRowId = this.authorIdOf(author, false);
    if (authorRowId !== null) this.statements.setSig.run(sig, authorRowId, seq);
    // An event appended earlier in this transaction carries it too, as a read would give it.
    for (let i = this.appended.length - 1; i >= 0; i--) {
      const ev = this.appended[i]!;
      if (ev.author === author && ev.seq === seq) {
        this.appended[i] = { ...ev, sig };
        break;
      }
    }
  }

  putPending(p: PendingEvent): void {
    const authorRowId = this.authorIdOf(p.event.author, true)!;
    this.statements.insertPending.run(authorRowId, p.event.seq, hexToBytes(p.event.id), p.event.bytes, p.sig, p.authenticated ? 1 : 0);
  }

  removePending(author: AuthorId, seq: number, id: EventId): void {
    const authorRowId = this.authorIdOf(author, false);
    if (authorRowId !== null) this.statements.deletePending.run(authorRowId, seq, hexToBytes(id));
  }

  recordFork(evidence: ForkEvidence): void {
    const authorRowId = this.authorIdOf(evidence.author, true)!;
    this.statements.insertFork.run(authorRowId, evidence.seq, Math.floor(this.nowMs), encodeForkEvidence(evidence));
    this.statements.quarantine.run(authorRowId);
    this.forks.push(evidence);
  }

  /** Writes the buffered heads; called once at the end of the transaction. */
  flushHeads(): void {
    for (const [author, head] of this.heads) {
      if (!head) continue;
      this.statements.setHead.run(head.seq, hexToBytes(head.id), this.authorIdOf(author, true)!, head.seq);
    }
  }
}

export function readAttestations(statements: Statements, authorRowId: number | null): Attestation[] {
  if (authorRowId === null) return [];
  return (statements.attestationsOf.all(authorRowId) as { attester: Buffer; seq: number; head: Buffer }[]).map((r) => ({ attester: toHex(r.attester), seq: r.seq, head: toHex(r.head) }));
}

/** An import.attest event records what its author vouches for (nothing for other events). */
export function recordAttestations(statements: Statements, ev: FeedEvent, authorId: (author: AuthorId) => number): void {
  for (const f of attestedFeeds(ev)) statements.insertAttestation.run(authorId(f.author), hexToBytes(ev.author), f.seq, hexToBytes(f.head));
}
