// The SQLite feed store: the node's source of truth (better-sqlite3, WAL, versioned migrations).
// Every write is one IMMEDIATE transaction, so a batch from a peer lands whole or not at all, and
// two processes on one data folder (a running `serve` and a CLI verb) never interleave appends.
// With synchronous=FULL a committed batch survives a killed process and a power cut: an event is
// acknowledged only once its transaction has committed.
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { CryptoPort } from '../../../core/crypto/ports';
import type { HlcStamp } from '../../../core/clock/hlc';
import { hexToBytes, toHex } from '../../../core/encoding/bytes';
import { rememberIds, type KnownIds } from '../../../core/events/envelope';
import { openStoredEvent, type AuthorId, type FeedEvent } from '../../../core/events/event';
import { buildLocalEvents, ingestBatch } from '../../../core/feed/batch';
import type { Attestation } from '../../../core/import/attestation';
import { decodeForkEvidence, encodeForkEvidence } from '../../../core/feed/fork-evidence';
import type { ForkEvidence } from '../../../core/feed/ledger';
import type { FeedHead, Frontier } from '../../../core/feed/frontier';
import type { IncomingRun, IngestLimits } from '../../../core/feed/ingest';
import type { BatchOutcome, EventPage, LocalAppender, LocalDraft, StoredEvent } from '../../../core/store/feed-log';
import type { CachedOutputRow } from '../../../core/store/output-cache';
import type { Checkpoint } from '../../../core/store/checkpoint-store';
import type { DenialRecord } from '../../../core/store/denial-log';
import type { FeedStore } from '../../../core/store/feed-store';
import type { AdmissionPolicy } from '../../../core/feed/admission';
import type { ForkRecord } from '../../../core/store/quarantine-log';
import { assertOurs, assertSqliteFile, migrate, SCHEMA_VERSION } from './schema';
import { ConsecutivePositions, readAttestations, recordAttestations, SqliteLedger } from './sqlite-ledger';
import { prepareStatements, type Statements } from './statements';
import { scrubChains, type ScrubResult } from './chain-scrub';
import { translateSqliteError } from './sqlite-errors';
import { SqliteInbox } from './sqlite-inbox';
import { SqliteCheckpoints } from './sqlite-checkpoints';
import { MandalaError } from '../../errors';

export interface SqliteStoreOptions {
  readonly crypto: CryptoPort;
  readonly limits?: IngestLimits;
  /** Path to a better-sqlite3 native binding built for another runtime (Electron). */
  readonly nativeBinding?: string;
  readonly readonly?: boolean;
}

/** Events one write stored at consecutive positions; `reopen`: decode them from their bytes when read. */
interface JustAppended {
  readonly fromPos: number;
  readonly events: StoredEvent[];
  readonly reopen: boolean;
}

export class SqliteFeedStore implements FeedStore {
  private readonly statements: Statements;
  private readonly authorIds = new Map<AuthorId, number>();
  /**
   * What the last ingest appended, at consecutive store positions from `fromPos`: readSince hands
   * these out as they are (decoded from the bytes just stored), where it would read and decode
   * the same rows again. Any other write to the events drops it.
   */
  private justAppended: JustAppended | null = null;
  readonly inbox: SqliteInbox;
  private readonly checkpoints: SqliteCheckpoints;

  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly opts: SqliteStoreOptions,
    /** True when this open created the schema (a new or emptied file). */
    readonly createdSchema: boolean,
  ) {
    this.statements = prepareStatements(db);
    this.inbox = new SqliteInbox(db, (fn) => this.guard(fn));
    this.checkpoints = new SqliteCheckpoints(db, this.statements);
  }

  static open(path: string, opts: SqliteStoreOptions): SqliteFeedStore {
    assertSqliteFile(path);
    let db: Database.Database | null = null;
    try {
      db = new Database(path, { nativeBinding: opts.nativeBinding, readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
      db.pragma('busy_timeout = 5000');
      // Nothing is written before the file is known to be ours: a foreign database stays byte-identical.
      const version = assertOurs(db, path);
      if (opts.readonly && version > 0 && version < SCHEMA_VERSION) {
        throw new MandalaError(
          'store_needs_upgrade',
          `${path} was written by an older Mandala (schema ${version}, this build uses ${SCHEMA_VERSION}); start \`mandala serve\` or run any verb that writes once to upgrade it, then try again`,
        );
      }
      if (!opts.readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
      }
      db.pragma('foreign_keys = ON');
      if (!opts.readonly) migrate(db, version);
      return new SqliteFeedStore(db, path, opts, version === 0);
    } catch (e) {
      db?.close();
      throw translateSqliteError(e, path);
    }
  }

  /**
   * Whether this connection writes the log back into the database inside the commit that crosses
   * SQLite's threshold (the default). A running node turns it off and has a worker do it
   * (node/store/wal-keeper.ts), so no commit on the event loop waits for that copy.
   */
  checkpointInCommits(on: boolean): void {
    this.guard(() => {
      this.db.pragma(`wal_autocheckpoint = ${on ? 1000 : 0}`);
      // Off: once written back, the log is cut to nothing when it restarts, so its size says how much waits.
      this.db.pragma(`journal_size_limit = ${on ? -1 : 0}`);
    });
  }

  /**
   * The write-ahead log's size and time of change (a stat by path: never an open of SQLite's
   * files, whose close would drop the locks SQLite holds on them in this process), or null.
   */
  walFile(): { readonly bytes: number; readonly stamp: string } | null {
    try {
      const st = statSync(`${this.path}-wal`);
      return { bytes: st.size, stamp: `${st.size}:${st.mtimeMs}` };
    } catch {
      return null;
    }
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw translateSqliteError(e, this.path);
    }
  }

  private authorIdOf = (author: AuthorId, create: boolean): number | null => {
    const cached = this.authorIds.get(author);
    if (cached !== undefined) return cached;
    const row = this.statements.authorByKey.get(author) as { author_id: number } | undefined;
    if (row) {
      this.authorIds.set(author, row.author_id);
      return row.author_id;
    }
    if (!create) return null;
    const id = Number(this.statements.insertAuthor.run(author).lastInsertRowid);
    this.authorIds.set(author, id);
    return id;
  };

  /**
   * Rows whose bytes no longer decode (bit rot) are left out of what is read: the scrub
   * (chain-scrub.ts) names them, and the node fetches them again from a peer.
   */
  private rowsToEvents(rows: readonly { id: Buffer; bytes: Buffer; sig: Buffer | null }[], stopAtDamage: boolean): StoredEvent[] {
    const out: StoredEvent[] = [];
    // Rows come in runs of one author, each naming the row before as prev: reuse those strings.
    const known: KnownIds = { author: null, prev: null };
    for (const r of rows) {
      try {
        const ev = openStoredEvent(r.bytes, toHex(r.id), known, r.id) as FeedEvent & { sig: Uint8Array | null };
        // A Buffer is a Uint8Array: no copy needed. StoredEvent adds `sig` to the event object
        // itself rather than spreading a copy (this runs once per event on every rebuild).
        ev.sig = r.sig;
        out.push(ev);
        rememberIds(known, ev.author, ev.id, r.id, () => hexToBytes(ev.author));
      } catch {
        if (stopAtDamage) break;
      }
    }
    return out;
  }

  /** An event just built here, as reading its row back would give it. */
  private reopened(ev: StoredEvent): StoredEvent {
    const out = openStoredEvent(ev.bytes, ev.id) as FeedEvent & { sig: Uint8Array | null };
    out.sig = ev.sig;
    return out;
  }

  frontier(): Frontier {
    return this.guard(() => {
      const out = new Map<AuthorId, FeedHead>();
      for (const r of this.statements.frontier.all() as { key: string; head_seq: number; head_id: Buffer }[]) {
        out.set(r.key, { seq: r.head_seq, id: toHex(r.head_id) });
      }
      return out;
    });
  }

  head(author: AuthorId): FeedHead | null {
    return this.frontier().get(author) ?? null;
  }

  ingest(runs: readonly IncomingRun[], nowMs: number, policy?: AdmissionPolicy): BatchOutcome {
    return this.guard(() => {
      const tx = this.db.transaction(() => {
        // The author-id cache may hold ids a rolled-back transaction created; rebuild on failure.
        const ledger = new SqliteLedger(this.statements, this.authorIdOf, openStoredEvent, nowMs);
        const tally = ingestBatch(ledger, runs, this.opts.crypto, this.opts.limits, policy);
        ledger.flushHeads();
        return { outcome: { appended: ledger.appended, ...tally }, firstPos: ledger.positions.firstPos };
      });
      this.justAppended = null;
      try {
        const { outcome, firstPos } = tx.immediate();
        // Decoded from the very bytes just stored: the fold that reads them next needs no decode.
        if (firstPos !== null && outcome.appended.length > 0) this.justAppended = { fromPos: firstPos, events: outcome.appended, reopen: false };
        return outcome;
      } catch (e) {
        this.authorIds.clear();
        throw e;
      }
    });
  }

  appendLocal(appender: LocalAppender, drafts: readonly LocalDraft[]): StoredEvent[] {
    this.justAppended = null;
    return this.guard(() => {
      const tx = this.db.transaction(() => {
        const authorRowId = this.authorIdOf(appender.author, true)!;
        const row = this.statements.localHead.get(authorRowId) as { seq: number; id: Buffer; wall: number; counter: number } | undefined;
        const head = row ? { seq: row.seq, id: toHex(row.id), hlc: { wall: row.wall, counter: row.counter } } : null;
        const events = buildLocalEvents(appender, head, drafts, this.opts.crypto);
        const positions = new ConsecutivePositions();
        for (const ev of events) {
          positions.note(Number(this.statements.insertEvent.run(authorRowId, ev.seq, ev.idBytes ?? Buffer.from(ev.id, 'hex'), ev.hlc.wall, ev.hlc.counter, ev.kind, ev.bytes, ev.sig).lastInsertRowid));
          recordAttestations(this.statements, ev, (a) => this.authorIdOf(a, true)!);
        }
        const last = events[events.length - 1];
        if (last) this.statements.setHead.run(last.seq, Buffer.from(last.id, 'hex'), authorRowId, last.seq);
        return { events, firstPos: positions.firstPos };
      });
      try {
        const { events, firstPos } = tx.immediate();
        // A draft's payload is what the caller built (it may hold -0 or undefined keys), so a
        // reader gets each event decoded from its stored bytes, as a read would give it; only the
        // SQLite read is saved.
        if (firstPos !== null && events.length > 0) this.justAppended = { fromPos: firstPos, events, reopen: true };
        return events;
      } catch (e) {
        this.authorIds.clear();
        throw e;
      }
    });
  }

  readRange(author: AuthorId, fromSeq: number, toSeq: number): StoredEvent[] {
    return this.guard(() => {
      const authorRowId = this.authorIdOf(author, false);
      if (authorRowId === null) return [];
      // A feed is contiguous: what is read stops before a damaged event.
      return this.rowsToEvents(this.statements.readRange.all(authorRowId, fromSeq, toSeq) as { id: Buffer; bytes: Buffer; sig: Buffer | null }[], true);
    });
  }

  signedSeqs(author: AuthorId, fromSeq: number, toSeq: number): number[] {
    return this.guard(() => {
      const authorRowId = this.authorIdOf(author, false);
      if (authorRowId === null) return [];
      return (this.statements.signedSeqs.all(authorRowId, fromSeq, toSeq) as { seq: number }[]).map((r) => r.seq);
    });
  }

  readSince(cursor: number, limit: number): EventPage {
    const just = this.justAppended;
    if (just && cursor === just.fromPos - 1 && limit > 0) {
      // The events the last ingest stored at the positions after `cursor`, as a read returns them.
      const taken = just.events.length <= limit ? just.events : just.events.slice(0, limit);
      this.justAppended = taken.length === just.events.length ? null : { ...just, fromPos: just.fromPos + limit, events: just.events.slice(limit) };
      return { events: just.reopen ? taken.map((ev) => this.reopened(ev)) : taken, cursor: cursor + taken.length };
    }
    return this.guard(() => {
      const rows = this.statements.readSince.all(cursor, limit) as { pos: number; id: Buffer; bytes: Buffer; sig: Buffer | null }[];
      return { events: this.rowsToEvents(rows, false), cursor: rows.length ? rows[rows.length - 1]!.pos : cursor };
    });
  }

  readKinds(kinds: readonly string[], cursor: number, limit: number): EventPage {
    return this.guard(() => {
      const rows = this.statements.readKinds(kinds).all(...kinds, cursor, limit) as { pos: number; id: Buffer; bytes: Buffer; sig: Buffer | null }[];
      return { events: this.rowsToEvents(rows, false), cursor: rows.length ? rows[rows.length - 1]!.pos : cursor };
    });
  }

  saveCheckpoint(c: Omit<Checkpoint, 'id'>, keep: number): void {
    this.guard(() => this.checkpoints.save(c, keep));
  }

  openCheckpointStage(): number {
    return this.guard(() => this.checkpoints.openStage());
  }

  addCheckpointPart(stage: number, index: number, bytes: Uint8Array): void {
    this.guard(() => this.checkpoints.addPart(stage, index, bytes));
  }

  commitCheckpointStage(stage: number, c: Omit<Checkpoint, 'id' | 'state'>, parts: number, keep: number): void {
    this.guard(() => this.checkpoints.commitStage(stage, c, parts, keep));
  }

  latestCheckpoint(versions: string): Checkpoint | null {
    return this.guard(() => this.checkpoints.latest(versions));
  }

  saveCachedOutput(projection: string, version: number, row: CachedOutputRow, keep: number): void {
    this.guard(() =>
      this.db.transaction(() => {
        this.statements.insertCache.run(projection, version, Math.floor(row.createdAtMs), row.position, row.entry);
        this.statements.pruneCache.run(projection, version, projection, version, keep);
      }).immediate(),
    );
  }

  latestCachedOutput(projection: string, version: number): CachedOutputRow | null {
    return this.guard(() => {
      const r = this.statements.latestCache.get(projection, version) as { created_at_ms: number; position: number; entry: Buffer } | undefined;
      return r ? { createdAtMs: r.created_at_ms, position: r.position, entry: new Uint8Array(r.entry) } : null;
    });
  }

  lastPosition(): number {
    return this.guard(() => (this.statements.lastPosition.get() as { pos: number }).pos);
  }

  attestationsOf(author: AuthorId): Attestation[] {
    return this.guard(() => readAttestations(this.statements, this.authorIdOf(author, false)));
  }

  eventCount(): number {
    return this.guard(() => (this.statements.eventCount.get() as { n: number }).n);
  }

  pendingCount(): number {
    return this.guard(() => (this.statements.pendingTotal.get() as { n: number }).n);
  }

  forks(): ForkRecord[] {
    return this.guard(() =>
      (this.statements.forks.all() as { detected_at_ms: number; evidence: Buffer }[]).map((r) => ({
        ...decodeForkEvidence(new Uint8Array(r.evidence)),
        detectedAtMs: r.detected_at_ms,
      })),
    );
  }

  recordFork(evidence: ForkEvidence, nowMs: number): boolean {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const authorRowId = this.authorIdOf(evidence.author, true)!;
          if ((this.statements.quarantinedOf.get(authorRowId) as { quarantined: number }).quarantined === 1) return false;
          this.statements.insertFork.run(authorRowId, evidence.seq, Math.floor(nowMs), encodeForkEvidence(evidence));
          this.statements.quarantine.run(authorRowId);
          return true;
        })
        .immediate(),
    );
  }

  quarantined(): AuthorId[] {
    return this.guard(() => (this.statements.quarantined.all() as { key: string }[]).map((r) => r.key));
  }

  recordDenial(d: DenialRecord): void {
    this.guard(() => this.statements.insertDenial.run(Math.floor(d.atMs), d.gate, d.code, d.message, d.kind));
  }

  denials(limit: number): DenialRecord[] {
    return this.guard(() =>
      (this.statements.denials.all(limit) as { at_ms: number; gate: string; code: string; message: string; kind: string }[]).map((r) => ({
        atMs: r.at_ms,
        gate: r.gate,
        code: r.code,
        message: r.message,
        kind: r.kind,
      })),
    );
  }

  highestHlc(): HlcStamp | null {
    return this.guard(() => (this.statements.maxHlc.get() as HlcStamp | undefined) ?? null);
  }

  /** Changes whenever another connection (another process) commits to this database. */
  changeToken(): number {
    return this.guard(() => this.db.pragma('data_version', { simple: true }) as number);
  }

  /** Every feed, in full: recomputes ids, checks prev links and verifies every held signature. */
  scrub(): ScrubResult {
    return this.guard(() => scrubChains(this.statements, this.opts.crypto));
  }

  /** As scrub(), in sentences. */
  verifyChains(): { authors: number; events: number; problems: string[] } {
    const r = this.scrub();
    return { authors: r.authors, events: r.events, problems: r.damaged.map((d) => d.message) };
  }

  /**
   * Puts back an event whose stored bytes rotted (they no longer hash to the id), from a copy a
   * peer sent: accepted only when the copy hashes to the stored id, or to the id the next stored
   * event names as its prev. False when there is nothing to repair.
   */
  repairEvent(ev: FeedEvent): boolean {
    this.justAppended = null;
    return this.guard(() =>
      this.db
        .transaction(() => {
          const authorRowId = this.authorIdOf(ev.author, false);
          if (authorRowId === null || toHex(this.opts.crypto.sha256(ev.bytes)) !== ev.id) return false;
          const [stored] = this.statements.readRange.all(authorRowId, ev.seq, ev.seq) as { id: Buffer; bytes: Buffer }[];
          if (!stored || toHex(this.opts.crypto.sha256(new Uint8Array(stored.bytes))) === toHex(stored.id)) return false;
          const next = (this.statements.readRange.all(authorRowId, ev.seq + 1, ev.seq + 1) as { id: Buffer; bytes: Buffer }[])[0];
          const nextPrev = next ? safePrev(next, this.opts.crypto) : null;
          if (ev.id !== toHex(stored.id) && ev.id !== nextPrev) return false;
          this.statements.repairEvent.run(Buffer.from(ev.id, 'hex'), ev.bytes, authorRowId, ev.seq);
          return true;
        })
        .immediate(),
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The prev a stored event names, when its own bytes are sound. */
function safePrev(row: { id: Buffer; bytes: Buffer }, crypto: CryptoPort): string | null {
  const id = toHex(row.id);
  if (toHex(crypto.sha256(new Uint8Array(row.bytes))) !== id) return null;
  try {
    return openStoredEvent(new Uint8Array(row.bytes), id).prev;
  } catch {
    return null;
  }
}
