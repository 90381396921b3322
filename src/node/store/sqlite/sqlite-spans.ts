// The lifecycle span store's durable half: traces kept in a SQLite file of their own beside the
// node's database (spans.db, never the event log). The inspector still finds a delivery after the
// memory ring let it go or the node restarted, and a CLI verb's trace reaches the running node.
// Bounded: past `maxTraces` traces or `maxPositions` positions the oldest traces go, with their
// spans and keys (range deletes: every table is keyed by the trace's number). Writes are batched,
// a trace's spans of one flush in one row, and flushed in small transactions (a few ms each), so
// a burst of deliveries never stalls the node's loop on its traces.
import Database from 'better-sqlite3';
import type { DurableSpans, StoredSpan, TraceSummary } from '../../tracing/trace-types';

export interface SqliteSpansOptions {
  readonly maxTraces?: number;
  readonly maxPositions?: number;
  readonly nativeBinding?: string;
}

/** Spans held before a flush is forced (the node's timer flushes every second besides). */
const MAX_PENDING = 600;
/** Characters of an event id kept as a search key (the inspector asks for at least 8). */
const ID_KEY_CHARS = 16;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS traces (n INTEGER PRIMARY KEY, trace_id TEXT NOT NULL UNIQUE, start_ms INTEGER NOT NULL, positions INTEGER NOT NULL, open INTEGER NOT NULL, summary TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS span_chunks (tn INTEGER NOT NULL, k INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (tn, k)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS trace_keys (key TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, n)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS trace_keys_n ON trace_keys (n);
CREATE INDEX IF NOT EXISTS traces_open ON traces (open) WHERE open = 1;
`;

/** The keys a delivery is found by: its webhook-id, device, trucks and events. */
export function keysOf(s: TraceSummary): string[] {
  const a = s.attributes;
  const keys: string[] = [];
  if (typeof a['webhook.id'] === 'string') keys.push(`w:${a['webhook.id']}`);
  if (typeof a['mandala.device'] === 'string') keys.push(`d:${a['mandala.device']}`);
  if (Array.isArray(a['mandala.trucks'])) for (const t of a['mandala.trucks']) keys.push(`t:${String(t)}`);
  for (const id of s.eventIds) keys.push(`e:${id.slice(0, ID_KEY_CHARS)}`);
  return keys;
}

export class SqliteSpans implements DurableSpans {
  private readonly db: Database.Database;
  private pendingSpans: StoredSpan[] = [];
  private pendingTraces = new Map<string, TraceSummary>();
  private readonly maxTraces: number;
  private readonly maxPositions: number;
  private readonly st: {
    upsertTrace: Database.Statement;
    key: Database.Statement;
    spans: Database.Statement;
    byKey: Database.Statement;
    byKeyRange: Database.Statement;
    spansOf: Database.Statement;
    open: Database.Statement;
    totals: Database.Statement;
    oldest: Database.Statement;
    newestN: Database.Statement;
  };
  /** What the file holds, kept as traces are written (counted once at open). */
  private kept: { traces: number; positions: number };
  private newestN: number;

  constructor(path: string, opts: SqliteSpansOptions = {}) {
    this.maxTraces = opts.maxTraces ?? 50_000;
    this.maxPositions = opts.maxPositions ?? 200_000;
    this.db = new Database(path, { nativeBinding: opts.nativeBinding });
    this.db.pragma('busy_timeout = 2000');
    this.db.pragma('journal_mode = WAL');
    // Traces explain; they are not the record. A crash may lose the last second of them.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.st = {
      upsertTrace: this.db.prepare(
        'INSERT INTO traces (trace_id, start_ms, positions, open, summary) VALUES (?, ?, ?, ?, ?) ON CONFLICT (trace_id) DO UPDATE SET open = excluded.open, summary = excluded.summary RETURNING n',
      ),
      key: this.db.prepare('INSERT OR IGNORE INTO trace_keys (key, n) VALUES (?, ?)'),
      // A trace's spans of one flush are one row, numbered in the order written. Spans of a trace
      // already trimmed away are not kept (nothing would ever delete them).
      spans: this.db.prepare(
        'INSERT INTO span_chunks (tn, k, body) SELECT t.n, COALESCE((SELECT MAX(k) + 1 FROM span_chunks WHERE tn = t.n), 0), ? FROM traces t WHERE t.trace_id = ?',
      ),
      byKey: this.db.prepare('SELECT t.summary FROM trace_keys k JOIN traces t ON t.n = k.n WHERE k.key = ? ORDER BY k.n DESC LIMIT ?'),
      byKeyRange: this.db.prepare('SELECT t.summary FROM trace_keys k JOIN traces t ON t.n = k.n WHERE k.key >= ? AND k.key < ? GROUP BY t.n ORDER BY t.n DESC LIMIT ?'),
      spansOf: this.db.prepare('SELECT c.body FROM traces t JOIN span_chunks c ON c.tn = t.n WHERE t.trace_id = ? ORDER BY c.k'),
      open: this.db.prepare('SELECT summary FROM traces WHERE open = 1 ORDER BY n LIMIT ?'),
      totals: this.db.prepare('SELECT COUNT(*) AS traces, COALESCE(SUM(positions), 0) AS positions FROM traces'),
      oldest: this.db.prepare('SELECT n, positions FROM traces ORDER BY n LIMIT ?'),
      newestN: this.db.prepare('SELECT COALESCE(MAX(n), 0) AS n FROM traces'),
    };
    this.kept = this.st.totals.get() as { traces: number; positions: number };
    this.newestN = (this.st.newestN.get() as { n: number }).n;
  }

  /** A delivery's summary, written (again) at the next flush. */
  trace(s: TraceSummary): void {
    this.pendingTraces.set(s.traceId, s);
  }

  span(s: StoredSpan): void {
    this.pendingSpans.push(s);
    if (this.pendingSpans.length >= MAX_PENDING) this.flush();
  }

  get pending(): number {
    return this.pendingSpans.length + this.pendingTraces.size;
  }

  /** Writes what is pending in one transaction, then trims past the bounds. */
  flush(): void {
    if (this.pending === 0) return;
    const traces = [...this.pendingTraces.values()];
    const byTrace = new Map<string, StoredSpan[]>();
    for (const s of this.pendingSpans) {
      const list = byTrace.get(s.traceId);
      if (list) list.push(s);
      else byTrace.set(s.traceId, [s]);
    }
    this.pendingTraces = new Map();
    this.pendingSpans = [];
    this.db.transaction(() => {
      for (const s of traces) {
        const { n } = this.st.upsertTrace.get(s.traceId, Math.round(s.startMs), s.positionCount, s.open ? 1 : 0, JSON.stringify(s)) as { n: number };
        if (n > this.newestN) {
          this.newestN = n;
          this.kept.traces++;
          this.kept.positions += s.positionCount;
        }
        for (const k of keysOf(s)) this.st.key.run(k, n);
      }
      for (const [traceId, list] of byTrace) this.st.spans.run(JSON.stringify(list), traceId);
    })();
    this.trim();
  }

  /** Deletes the oldest traces once either bound is passed by a fiftieth (so trimming is rare). */
  private trim(): void {
    const overTraces = this.kept.traces - this.maxTraces;
    const overPositions = this.kept.positions - this.maxPositions;
    if (overTraces <= this.maxTraces / 50 && overPositions <= this.maxPositions / 50) return;
    // The oldest traces, until both bounds hold.
    const oldest = this.st.oldest.all(Math.max(overTraces, overPositions, 1)) as { n: number; positions: number }[];
    let cut = 0;
    let traces = this.kept.traces;
    let positions = this.kept.positions;
    for (const row of oldest) {
      if (traces <= this.maxTraces && positions <= this.maxPositions) break;
      cut = row.n;
      traces--;
      positions -= row.positions;
    }
    if (cut === 0) return;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM span_chunks WHERE tn <= ?').run(cut);
      this.db.prepare('DELETE FROM trace_keys WHERE n <= ?').run(cut);
      this.db.prepare('DELETE FROM traces WHERE n <= ?').run(cut);
    })();
    this.kept = { traces, positions };
  }

  /** The deliveries found by a webhook-id, device, truck or event id prefix, newest first. */
  find(query: string, limit: number): TraceSummary[] {
    this.flush();
    const exact = ['w:', 'd:', 't:'].flatMap((p) => (this.st.byKey.all(p + query, limit) as { summary: string }[]).map((r) => r.summary));
    const ids =
      query.length >= 8 && /^[0-9a-f]+$/.test(query)
        ? (this.st.byKeyRange.all(`e:${query.slice(0, ID_KEY_CHARS)}`, `e:${query.slice(0, ID_KEY_CHARS)}~`, limit) as { summary: string }[]).map((r) => r.summary)
        : [];
    const seen = new Set<string>();
    const out: TraceSummary[] = [];
    for (const json of [...exact, ...ids]) {
      const s = JSON.parse(json) as TraceSummary;
      if (seen.has(s.traceId)) continue;
      // A key is a prefix of the id: the full query must match one of the delivery's events.
      if (ids.includes(json) && !exact.includes(json) && !s.eventIds.some((id) => id.startsWith(query))) continue;
      seen.add(s.traceId);
      out.push(s);
    }
    return out.sort((a, b) => b.startMs - a.startMs).slice(0, limit);
  }

  /** A trace's spans, in the order they ended. */
  spansOf(traceId: string): StoredSpan[] {
    this.flush();
    return (this.st.spansOf.all(traceId) as { body: string }[]).flatMap((r) => JSON.parse(r.body) as StoredSpan[]);
  }

  /** Deliveries written while still on their way (the node stopped before they were appended). */
  openTraces(limit: number): TraceSummary[] {
    return (this.st.open.all(limit) as { summary: string }[]).map((r) => JSON.parse(r.summary) as TraceSummary);
  }

  /** What the file holds, counted from the file itself. */
  totals(): { traces: number; positions: number } {
    this.flush();
    return this.st.totals.get() as { traces: number; positions: number };
  }

  close(): void {
    try {
      this.flush();
    } finally {
      this.db.close();
    }
  }
}

/**
 * Opens the traces file. One that cannot be opened (damaged, read-only, a full disk) costs only the
 * inspector's history: tracing goes on in memory, and the reason is returned to be told.
 */
export function openSqliteSpans(path: string, opts: SqliteSpansOptions = {}): { spans: SqliteSpans | null; problem: string | null } {
  try {
    return { spans: new SqliteSpans(path, opts), problem: null };
  } catch (e) {
    return { spans: null, problem: `the lifecycle traces file ${path} could not be opened (${(e as Error).message}); the inspector keeps only what is in memory until it can be` };
  }
}
