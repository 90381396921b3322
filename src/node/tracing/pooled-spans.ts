// The traces file written from a worker thread: the node's loop only turns a second's spans into
// one JSON string (a string crosses to a thread faster than the objects), the worker writes them.
// Reads (the inspector's rare searches) stay on this thread, beside the writer (SQLite's WAL).
// What is not yet written is still in memory (the span store's ring, the lifecycle's deliveries).
import type { SqliteSpans, SqliteSpansOptions } from '../store/sqlite/sqlite-spans';
import type { WorkerPool } from '../workers/worker-pool';
import type { DurableSpans, StoredSpan, TraceSummary } from './trace-types';

/** Spans held before a batch is sent without waiting for the timer. */
const MAX_PENDING = 20_000;

export class PooledSpans implements DurableSpans {
  private traces = new Map<string, TraceSummary>();
  private spans: StoredSpan[] = [];
  private writing: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(
    private readonly path: string,
    private readonly reader: SqliteSpans,
    private readonly pool: WorkerPool,
    private readonly opts: SqliteSpansOptions & { readonly onProblem: (message: string) => void },
  ) {}

  trace(s: TraceSummary): void {
    this.traces.set(s.traceId, s);
  }

  span(s: StoredSpan): void {
    this.spans.push(s);
    if (this.spans.length >= MAX_PENDING) this.flush();
  }

  get pending(): number {
    return this.traces.size + this.spans.length;
  }

  /** Sends what is pending to the worker; batches are written in the order sent. */
  flush(): void {
    if (this.pending === 0) return;
    const batch = JSON.stringify({ traces: [...this.traces.values()], spans: this.spans });
    this.traces = new Map();
    this.spans = [];
    const { maxTraces, maxPositions, nativeBinding } = this.opts;
    this.writing = this.writing
      .then(() => this.pool.run('writeSpans', { path: this.path, batch, maxTraces, maxPositions, nativeBinding }))
      .then(
        () => void (this.failed = false),
        (e: unknown) => {
          // Said once until a write succeeds again; the node and its events are not affected.
          if (!this.failed) this.opts.onProblem(`lifecycle traces could not be written to ${this.path} (${(e as Error).message}); the inspector keeps what is in memory`);
          this.failed = true;
        },
      );
  }

  /** Resolves once every batch sent so far is written. */
  settled(): Promise<void> {
    return this.writing;
  }

  find(query: string, limit: number): TraceSummary[] {
    return this.reader.find(query, limit);
  }

  spansOf(traceId: string): StoredSpan[] {
    return this.reader.spansOf(traceId);
  }

  openTraces(limit: number): TraceSummary[] {
    return this.reader.openTraces(limit);
  }

  async close(): Promise<void> {
    this.flush();
    await this.writing;
    this.reader.close();
  }
}
