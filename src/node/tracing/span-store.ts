// The in-app span store: the node's own record of the lifecycle spans it ended, for the console's
// inspector. A span processor (OpenTelemetry's interface), bounded in memory: the newest `max`
// spans are kept and older ones fall off. Every span also goes to the durable half, when there is
// one (a file of its own, bounded too), where the inspector finds what memory let go.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { DurableSpans, StoredSpan } from './trace-types';

const hrMs = (t: readonly [number, number]): number => t[0] * 1000 + t[1] / 1e6;

export class SpanStore implements SpanProcessor {
  private readonly ring: (StoredSpan | undefined)[];
  private next = 0;
  private count = 0;

  constructor(
    readonly max = 20_000,
    readonly durable: DurableSpans | null = null,
  ) {
    this.ring = new Array<StoredSpan | undefined>(max);
  }

  onStart(_span: Span, _context: Context): void {}

  onEnd(span: ReadableSpan): void {
    const ctx = span.spanContext();
    const stored: StoredSpan = {
      traceId: ctx.traceId,
      spanId: ctx.spanId,
      parentId: span.parentSpanContext?.spanId ?? null,
      name: span.name,
      startMs: hrMs(span.startTime),
      endMs: hrMs(span.endTime),
      error: span.status.code === 2 ? String(span.attributes['mandala.code'] ?? 'error') : null,
      message: span.status.message ?? null,
      attributes: { ...span.attributes },
    };
    this.ring[this.next] = stored;
    this.durable?.span(stored);
    this.next = (this.next + 1) % this.max;
    this.count = Math.min(this.count + 1, this.max);
  }

  forceFlush(): Promise<void> {
    this.durable?.flush();
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /** How many spans are kept. */
  get size(): number {
    return this.count;
  }

  /**
   * A trace's spans, in the order they started: those the durable half has written (memory may
   * hold only the newest of them), and those in memory it has not written yet.
   */
  spansOf(traceId: string): StoredSpan[] {
    const kept = this.durable?.spansOf(traceId) ?? [];
    const ids = new Set(kept.map((s) => s.spanId));
    const recent = (this.traces((s) => s.traceId === traceId, 1)[0] ?? []).filter((s) => !ids.has(s.spanId));
    return sortSteps([...kept, ...recent]);
  }

  /** The kept spans of traces that have a span matching `match`, grouped by trace, newest trace first. */
  traces(match: (s: StoredSpan) => boolean, limit: number): StoredSpan[][] {
    const byTrace = new Map<string, StoredSpan[]>();
    const hits: string[] = [];
    for (let k = 0; k < this.count; k++) {
      const s = this.ring[(this.next - 1 - k + this.max) % this.max]!;
      let list = byTrace.get(s.traceId);
      if (!list) byTrace.set(s.traceId, (list = []));
      list.push(s);
      if (match(s) && !hits.includes(s.traceId)) hits.push(s.traceId);
    }
    // Read newest first: reversed, they are in the order they ended (the tie-break of sortSteps).
    return hits.slice(0, limit).map((id) => sortSteps(byTrace.get(id)!.reverse()));
  }
}

/** In the order they started; a trace's root before the steps that started in the same ms, then as they ended. */
function sortSteps(spans: StoredSpan[]): StoredSpan[] {
  const rootFirst = (s: StoredSpan) => (s.parentId === null ? -1 : 0);
  return spans.sort((a, b) => a.startMs - b.startMs || rootFirst(a) - rootFirst(b) || a.endMs - b.endMs);
}
