// An in-memory FeedStore for simulations and property tests: the same ingest rules as the SQLite
// store (core/feed/ingest), over Maps. It passes the same acceptance suite. Nothing survives the
// process; use the SQLite store for anything a person relies on.
import type { CryptoPort } from '../../core/crypto/ports';
import type { HlcStamp } from '../../core/clock/hlc';
import { compareHlc } from '../../core/clock/hlc';
import type { AuthorId, EventId, FeedEvent } from '../../core/events/event';
import { buildLocalEvents, ingestBatch } from '../../core/feed/batch';
import { attestedFeeds, type Attestation } from '../../core/import/attestation';
import type { FeedHead, Frontier } from '../../core/feed/frontier';
import type { IncomingRun, IngestLimits } from '../../core/feed/ingest';
import type { FeedLedger, ForkEvidence, PendingEvent, StoredRef } from '../../core/feed/ledger';
import type { BatchOutcome, EventPage, LocalAppender, LocalDraft, StoredEvent } from '../../core/store/feed-log';
import type { CachedOutputRow } from '../../core/store/output-cache';
import { snapshotFormatOf, type Checkpoint } from '../../core/store/checkpoint-store';
import type { DenialRecord } from '../../core/store/denial-log';
import type { FeedStore } from '../../core/store/feed-store';
import type { AdmissionPolicy } from '../../core/feed/admission';
import type { ForkRecord } from '../../core/store/quarantine-log';
import { MemoryInbox } from './memory-inbox';
import { MandalaError } from '../errors';

interface Feed {
  readonly events: StoredEvent[]; // index = seq - 1
  quarantined: boolean;
}

class MemoryLedger implements FeedLedger {
  readonly appended: StoredEvent[] = [];
  readonly newForks: ForkEvidence[] = [];

  constructor(
    private readonly store: MemoryFeedStore,
    private readonly nowMs: number,
  ) {}

  head(author: AuthorId): FeedHead | null {
    return this.store.head(author);
  }
  storedAt(author: AuthorId, seq: number): StoredRef | null {
    const ev = this.store.feedOf(author)?.events[seq - 1];
    return ev ? { id: ev.id, sig: ev.sig } : null;
  }
  storedBytes(author: AuthorId, fromSeq: number, toSeq: number): Uint8Array[] {
    return this.store.readRange(author, fromSeq, toSeq).map((e) => e.bytes);
  }
  signedPointAtOrAbove(author: AuthorId, seq: number): { seq: number; sig: Uint8Array } | null {
    const events = this.store.feedOf(author)?.events ?? [];
    for (let i = Math.max(0, seq - 1); i < events.length; i++) if (events[i]!.sig) return { seq: i + 1, sig: events[i]!.sig! };
    return null;
  }
  pendingAt(author: AuthorId, seq: number): readonly PendingEvent[] {
    return [...(this.store.pendingOf(author).get(seq)?.values() ?? [])];
  }
  pendingTotal(): number {
    return this.store.pendingCount();
  }
  pendingCount(author: AuthorId): number {
    let n = 0;
    for (const m of this.store.pendingOf(author).values()) n += m.size;
    return n;
  }
  isQuarantined(author: AuthorId): boolean {
    return this.store.feedOf(author)?.quarantined ?? false;
  }
  attestations(author: AuthorId): readonly Attestation[] {
    return this.store.attestationsOf(author);
  }
  append(event: FeedEvent, sig: Uint8Array | null): void {
    this.store.noteAttestations(event);
    const stored = { ...event, sig };
    this.store.feedOf(event.author, true)!.events.push(stored);
    this.store.log.push(stored);
    this.appended.push(stored);
  }
  addSignature(author: AuthorId, seq: number, sig: Uint8Array): void {
    const events = this.store.feedOf(author)?.events;
    const ev = events?.[seq - 1];
    if (events && ev && !ev.sig) {
      const signed = { ...ev, sig };
      events[seq - 1] = signed;
    }
  }
  putPending(p: PendingEvent): void {
    const bySeq = this.store.pendingOf(p.event.author);
    let m = bySeq.get(p.event.seq);
    if (!m) bySeq.set(p.event.seq, (m = new Map()));
    if (!m.has(p.event.id)) m.set(p.event.id, p);
  }
  removePending(author: AuthorId, seq: number, id: EventId): void {
    const bySeq = this.store.pendingOf(author);
    bySeq.get(seq)?.delete(id);
    if (bySeq.get(seq)?.size === 0) bySeq.delete(seq);
  }
  recordFork(evidence: ForkEvidence): void {
    this.store.feedOf(evidence.author, true)!.quarantined = true;
    this.store.forkLog.push({ ...evidence, detectedAtMs: this.nowMs });
    this.newForks.push(evidence);
  }
}

export class MemoryFeedStore implements FeedStore {
  private readonly feeds = new Map<AuthorId, Feed>();
  private readonly pending = new Map<AuthorId, Map<number, Map<EventId, PendingEvent>>>();
  readonly log: StoredEvent[] = [];
  readonly forkLog: ForkRecord[] = [];
  /** Imported author -> what nodes attested of it, keyed attester:seq. */
  private readonly attested = new Map<AuthorId, Map<string, Attestation>>();
  private readonly denialLog: DenialRecord[] = [];
  private readonly checkpoints: Checkpoint[] = [];
  private checkpointIds = 0;
  private readonly stages = new Map<number, Uint8Array[]>();
  private stageIds = 0;
  private readonly cache = new Map<string, CachedOutputRow[]>();
  readonly inbox = new MemoryInbox();

  constructor(
    private readonly crypto: CryptoPort,
    private readonly limits?: IngestLimits,
  ) {}

  feedOf(author: AuthorId, create = false): Feed | undefined {
    let f = this.feeds.get(author);
    if (!f && create) this.feeds.set(author, (f = { events: [], quarantined: false }));
    return f;
  }

  pendingOf(author: AuthorId): Map<number, Map<EventId, PendingEvent>> {
    let m = this.pending.get(author);
    if (!m) this.pending.set(author, (m = new Map()));
    return m;
  }

  frontier(): Frontier {
    const out = new Map<AuthorId, FeedHead>();
    for (const [a, f] of this.feeds) {
      const last = f.events[f.events.length - 1];
      if (last) out.set(a, { seq: last.seq, id: last.id });
    }
    return out;
  }

  head(author: AuthorId): FeedHead | null {
    const f = this.feeds.get(author);
    const last = f?.events[f.events.length - 1];
    return last ? { seq: last.seq, id: last.id } : null;
  }

  ingest(runs: readonly IncomingRun[], nowMs: number, policy?: AdmissionPolicy): BatchOutcome {
    const ledger = new MemoryLedger(this, nowMs);
    const tally = ingestBatch(ledger, runs, this.crypto, this.limits, policy);
    return { appended: ledger.appended, ...tally };
  }

  /** Memory does not rot: there is never anything to repair. */
  repairEvent(): boolean {
    return false;
  }

  appendLocal(appender: LocalAppender, drafts: readonly LocalDraft[]): StoredEvent[] {
    const f = this.feedOf(appender.author, true)!;
    const last = f.events[f.events.length - 1];
    const head = last ? { seq: last.seq, id: last.id, hlc: last.hlc } : null;
    const events = buildLocalEvents(appender, head, drafts, this.crypto);
    for (const ev of events) {
      f.events.push(ev);
      this.log.push(ev);
      this.noteAttestations(ev);
    }
    return events;
  }

  /** An import.attest event records what its author vouches for. */
  noteAttestations(ev: FeedEvent): void {
    for (const a of attestedFeeds(ev)) {
      let rows = this.attested.get(a.author);
      if (!rows) this.attested.set(a.author, (rows = new Map()));
      const key = `${ev.author}:${a.seq}`;
      if (!rows.has(key)) rows.set(key, { attester: ev.author, seq: a.seq, head: a.head });
    }
  }

  readRange(author: AuthorId, fromSeq: number, toSeq: number): StoredEvent[] {
    const events = this.feeds.get(author)?.events ?? [];
    return events.slice(Math.max(0, fromSeq - 1), Math.max(0, toSeq));
  }

  signedSeqs(author: AuthorId, fromSeq: number, toSeq: number): number[] {
    return this.readRange(author, fromSeq, toSeq)
      .filter((e) => e.sig)
      .map((e) => e.seq);
  }

  readSince(cursor: number, limit: number): EventPage {
    const events = this.log.slice(cursor, cursor + limit);
    return { events, cursor: cursor + events.length };
  }

  lastPosition(): number {
    return this.log.length;
  }

  readKinds(kinds: readonly string[], cursor: number, limit: number): EventPage {
    const events: StoredEvent[] = [];
    let at = cursor;
    while (at < this.log.length && events.length < limit) {
      const e = this.log[at++]!;
      if (kinds.includes(e.kind)) events.push(e);
    }
    return { events, cursor: at };
  }

  saveCheckpoint(c: Omit<Checkpoint, 'id'>, keep: number): void {
    this.checkpoints.push({ ...c, id: ++this.checkpointIds });
    const mine = this.checkpoints.filter((x) => x.versions === c.versions);
    const format = snapshotFormatOf(c.versions);
    const otherFormat = this.checkpoints.filter((x) => format !== null && x.versions.startsWith('snapshot:') && !x.versions.startsWith(format));
    for (const old of [...mine.slice(0, Math.max(0, mine.length - keep)), ...otherFormat]) this.checkpoints.splice(this.checkpoints.indexOf(old), 1);
  }

  latestCheckpoint(versions: string): Checkpoint | null {
    return [...this.checkpoints].reverse().find((c) => c.versions === versions) ?? null;
  }

  openCheckpointStage(): number {
    const stage = ++this.stageIds;
    this.stages.set(stage, []);
    return stage;
  }

  addCheckpointPart(stage: number, index: number, bytes: Uint8Array): void {
    const parts = this.stages.get(stage);
    if (!parts) throw new MandalaError('checkpoint_stage_unknown', `no open checkpoint stage ${stage}`);
    parts[index] = bytes.slice();
  }

  commitCheckpointStage(stage: number, c: Omit<Checkpoint, 'id' | 'state'>, count: number, keep: number): void {
    const parts = this.stages.get(stage);
    if (!parts) throw new MandalaError('checkpoint_stage_unknown', `no open checkpoint stage ${stage}`);
    const held = Array.from({ length: count }, (_, i) => parts[i]).filter((p) => p !== undefined).length;
    if (parts.length !== count || held !== count) throw new MandalaError('checkpoint_parts_missing', `checkpoint stage ${stage} holds ${held} of its ${count} parts`);
    for (const s of [...this.stages.keys()]) if (s <= stage) this.stages.delete(s);
    const state = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      state.set(p, at);
      at += p.length;
    }
    this.saveCheckpoint({ ...c, state }, keep);
  }

  saveCachedOutput(projection: string, version: number, row: CachedOutputRow, keep: number): void {
    const key = `${projection}:${version}`;
    const rows = [...(this.cache.get(key) ?? []), row];
    this.cache.set(key, rows.slice(Math.max(0, rows.length - keep)));
  }

  latestCachedOutput(projection: string, version: number): CachedOutputRow | null {
    return this.cache.get(`${projection}:${version}`)?.at(-1) ?? null;
  }

  attestationsOf(author: AuthorId): Attestation[] {
    return [...(this.attested.get(author)?.values() ?? [])].sort((a, b) => (a.attester < b.attester ? -1 : a.attester > b.attester ? 1 : a.seq - b.seq));
  }

  eventCount(): number {
    return this.log.length;
  }

  pendingCount(): number {
    let n = 0;
    for (const bySeq of this.pending.values()) for (const m of bySeq.values()) n += m.size;
    return n;
  }

  forks(): ForkRecord[] {
    return [...this.forkLog];
  }

  recordFork(evidence: ForkEvidence, nowMs: number): boolean {
    const f = this.feedOf(evidence.author, true)!;
    if (f.quarantined) return false;
    f.quarantined = true;
    this.forkLog.push({ ...evidence, detectedAtMs: nowMs });
    return true;
  }

  quarantined(): AuthorId[] {
    return [...this.feeds.entries()]
      .filter(([, f]) => f.quarantined)
      .map(([a]) => a)
      .sort();
  }

  recordDenial(d: DenialRecord): void {
    this.denialLog.push(d);
  }

  denials(limit: number): DenialRecord[] {
    return this.denialLog.slice(-limit).reverse();
  }

  highestHlc(): HlcStamp | null {
    let best: HlcStamp | null = null;
    for (const e of this.log) if (!best || compareHlc(e.hlc, best) > 0) best = e.hlc;
    return best;
  }

  changeToken(): number {
    return 0; // one process owns a memory store; nothing else can change it
  }

  close(): void {}
}
