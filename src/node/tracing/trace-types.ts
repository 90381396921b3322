// What the lifecycle tracing keeps: a span as the inspector reads it, a delivery's summary, and
// the durable store both go to (store/sqlite/sqlite-spans.ts), so the tracing never names SQLite.

/** Where a trace began: a vendor's webhook, a phone, the kit's GPS, a peer's sync, a CLI verb. */
export type TraceSource = 'webhook' | 'osmand' | 'gps' | 'peer' | 'cli';

export interface StoredSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string | null;
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
  /** The error's code when the step refused or failed, else null. */
  readonly error: string | null;
  readonly message: string | null;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface TracedPosition {
  readonly truck: string;
  readonly fixMs: number;
}

/** What the inspector needs of a delivery besides its spans. */
export interface TraceSummary {
  readonly traceId: string;
  /** The root span's id: a delivery taken up again after a restart goes on under it. */
  readonly rootSpanId: string;
  readonly startMs: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Every position while the delivery is open (to match the drain's appends), then the first few. */
  readonly positions: readonly TracedPosition[];
  readonly positionCount: number;
  /** The events its positions became (author#seq), and their ids. */
  readonly refs: readonly string[];
  readonly eventIds: readonly string[];
  /** Not yet appended or refused when this was written. */
  readonly open: boolean;
}


/** The durable half of the span store: bounded, found again after a restart. */
export interface DurableSpans {
  trace(s: TraceSummary): void;
  span(s: StoredSpan): void;
  readonly pending: number;
  flush(): void;
  find(query: string, limit: number): TraceSummary[];
  spansOf(traceId: string): StoredSpan[];
  openTraces(limit: number): TraceSummary[];
  close(): void | Promise<void>;
}
