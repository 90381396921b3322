// The in-app span store: the node's own record of the lifecycle spans it ended, for the console's
// inspector. A span processor (OpenTelemetry's interface), bounded: the newest MAX spans are kept
// and older ones fall off, so a season of traffic never grows memory.
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

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

const hrMs = (t: readonly [number, number]): number => t[0] * 1000 + t[1] / 1e6;

export class SpanStore implements SpanProcessor {
  private readonly ring: (StoredSpan | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly max = 20_000) {
    this.ring = new Array<StoredSpan | undefined>(max);
  }

  onStart(_span: Span, _context: Context): void {}

  onEnd(span: ReadableSpan): void {
    const ctx = span.spanContext();
    this.ring[this.next] = {
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
    this.next = (this.next + 1) % this.max;
    this.count = Math.min(this.count + 1, this.max);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /** How many spans are kept. */
  get size(): number {
    return this.count;
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
    // In the order they started; a trace's root before the steps that started in the same ms.
    return hits.slice(0, limit).map((id) => byTrace.get(id)!.sort((a, b) => a.startMs - b.startMs || (a.parentId === null ? -1 : 0) - (b.parentId === null ? -1 : 0) || a.endMs - b.endMs));
  }
}
