// Every position's path through the node as one OpenTelemetry trace: received (a vendor's
// webhook, a phone, the truck's GPS) -> signature checked -> gated -> buffered in the inbox ->
// appended to the feed (or denied by a gate). A delivery's positions travel together, so a
// delivery is one trace; each position in it is named by its truck and fix time. Spans go to the
// in-app store (the console's inspector) and, with `--otlp URL`, to a collector over OTLP/HTTP.
// Times come from the node's clock, so traces line up with everything else the node says.
import { context, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Clock } from '../../core/clock/clock';
import { KINDS } from '../../core/events/kinds';
import type { LocalDraft } from '../../core/store/feed-log';
import type { AppendResultDto } from '../../shared/api';
import { SpanStore } from './span-store';

export type TraceSource = 'webhook' | 'osmand' | 'gps';

export interface TracedPosition {
  readonly truck: string;
  readonly fixMs: number;
}

/** The truck and fix time a truck.position draft carries (what a trace names a position by). */
export function tracedPositionOf(d: LocalDraft): TracedPosition {
  const p = d.payload as { truck?: unknown; fix_ms?: unknown };
  return { truck: String(p.truck), fixMs: Number(p.fix_ms) };
}

/** Open positions kept at most: past this the oldest stop being traced (their spans stay). */
const MAX_OPEN = 50_000;
/** Positions of the deliveries the inspector can still find (their ids, their fixes). */
const MAX_RECENT_POSITIONS = 100_000;

/** A map that forgets its oldest keys past a size, in constant time (no scan over deleted entries). */
class BoundedMap<K, V> {
  readonly map = new Map<K, V>();
  private order: K[] = [];
  private head = 0;
  private weight = 0;

  constructor(
    private readonly max: number,
    private readonly weigh: (v: V) => number = () => 1,
  ) {}

  set(k: K, v: V): void {
    if (!this.map.has(k)) this.order.push(k);
    else this.weight -= this.weigh(this.map.get(k)!);
    this.map.set(k, v);
    this.weight += this.weigh(v);
    while (this.weight > this.max && this.head < this.order.length) {
      const old = this.order[this.head++]!;
      const gone = this.map.get(old);
      if (gone !== undefined) this.weight -= this.weigh(gone);
      this.map.delete(old);
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  delete(k: K): void {
    const v = this.map.get(k);
    if (v === undefined) return;
    this.weight -= this.weigh(v);
    this.map.delete(k);
  }
}

/** One delivery's trace while its positions are on their way. */
export class DeliveryTrace {
  private ended = false;

  constructor(
    private readonly lifecycle: Lifecycle,
    readonly root: Span,
    readonly positions: readonly TracedPosition[],
    /** The root span's attributes (the inspector reads them while the trace is still open). */
    readonly attributes: Readonly<Record<string, unknown>>,
    readonly startMs: number,
  ) {}

  get traceId(): string {
    return this.root.spanContext().traceId;
  }

  /** Still on its way: taken in, not yet appended or refused. */
  get isOpen(): boolean {
    return !this.ended;
  }

  /** Positions ahead of this delivery's when it was buffered, and the drain's count then. */
  queue: { ahead: number; drainedThen: number } | null = null;
  /** The events its positions became (author#seq, and their ids), as the drain appends them. */
  readonly refs: string[] = [];
  readonly eventIds: string[] = [];

  /** A step that took no time to speak of: ended at once, refused with `code` when given. */
  step(name: string, refusal: { code: string; message: string } | null = null, attributes: Record<string, string | number> = {}): void {
    const span = this.lifecycle.child(this.root, name, attributes);
    this.lifecycle.finish(span, refusal);
    if (refusal) this.end(refusal);
  }

  /** Durable in the inbox (or a delivery seen before), with this many positions ahead of it. */
  buffered(outcome: 'stored' | 'duplicate', ahead: number, drainedThen: number, startedMs: number): void {
    const span = this.lifecycle.child(this.root, 'inbox.buffer', { 'mandala.outcome': outcome, 'mandala.ahead': ahead }, startedMs);
    this.lifecycle.finish(span, null);
    if (outcome === 'duplicate') return this.end(null);
    this.queue = { ahead, drainedThen };
    this.lifecycle.await(this);
  }

  /** The delivery failed outright (a store that cannot commit). */
  failed(code: string, message: string): void {
    this.end({ code, message });
  }

  end(refusal: { code: string; message: string } | null): void {
    if (this.ended) return;
    this.ended = true;
    this.lifecycle.finish(this.root, refusal);
  }
}

export interface LifecycleOptions {
  readonly clock: Clock;
  /** OTLP/HTTP traces endpoint (e.g. a Jaeger collector's http://host:4318/v1/traces). */
  readonly otlpUrl?: string;
  readonly nodeName: string;
  readonly maxSpans?: number;
}

export class Lifecycle {
  readonly store: SpanStore;
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  /** Positions taken in and not yet appended or denied, by truck and fix time. */
  private readonly open = new BoundedMap<string, { readonly trace: DeliveryTrace; remaining: { n: number } }>(MAX_OPEN);
  /** The deliveries the inspector can find, by trace id, oldest first. */
  private readonly recent = new BoundedMap<string, DeliveryTrace>(MAX_RECENT_POSITIONS, (d) => Math.max(1, d.positions.length));

  constructor(private readonly opts: LifecycleOptions) {
    this.store = new SpanStore(opts.maxSpans);
    const processors: SpanProcessor[] = [this.store];
    if (opts.otlpUrl) processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: opts.otlpUrl }), { scheduledDelayMillis: 1000 }));
    this.provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'mandala', 'service.instance.id': opts.nodeName }), spanProcessors: processors });
    this.tracer = this.provider.getTracer('mandala.lifecycle');
  }

  /** A delivery came in: its trace starts here. */
  received(source: TraceSource, positions: readonly TracedPosition[], attributes: Record<string, string | number> = {}): DeliveryTrace {
    // Small attributes only: the positions themselves stay with the delivery, not in every span.
    const trucks = [...new Set(positions.map((p) => p.truck))];
    const attrs = { 'mandala.source': source, 'mandala.positions': positions.length, 'mandala.trucks': trucks.slice(0, 20), ...attributes };
    const startMs = this.opts.clock.nowMs();
    const root = this.tracer.startSpan('position.received', { startTime: startMs, attributes: attrs });
    const delivery = new DeliveryTrace(this, root, positions, { ...attrs, 'mandala.trucks': trucks }, startMs);
    this.recent.set(delivery.traceId, delivery);
    return delivery;
  }

  child(parent: Span, name: string, attributes: Record<string, string | number | string[]>, startMs = this.opts.clock.nowMs()): Span {
    return this.tracer.startSpan(name, { startTime: startMs, attributes }, trace.setSpan(context.active(), parent));
  }

  finish(span: Span, refusal: { code: string; message: string } | null): void {
    if (refusal) {
      span.setAttribute('mandala.code', refusal.code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: refusal.message });
    }
    span.end(this.opts.clock.nowMs());
  }

  /** The deliveries the inspector can still find, newest first. */
  deliveries(): DeliveryTrace[] {
    return [...this.recent.map.values()].reverse();
  }

  /** The delivery's positions wait in the inbox until the drain appends them. */
  await(delivery: DeliveryTrace): void {
    const remaining = { n: delivery.positions.length };
    for (const p of delivery.positions) this.open.set(keyOf(p), { trace: delivery, remaining });
  }

  /** The drain appended (or a gate denied) these drafts: each traced position's step is recorded. */
  appended(drafts: readonly LocalDraft[], results: readonly AppendResultDto[]): void {
    const byTrace = new Map<DeliveryTrace, { appended: number; first: string | null; denied: { code: string; message: string }[]; remaining: { n: number } }>();
    drafts.forEach((d, i) => {
      if (d.kind !== KINDS.truckPosition) return;
      const key = keyOf(tracedPositionOf(d));
      const open = this.open.map.get(key);
      if (!open) return;
      this.open.delete(key);
      let entry = byTrace.get(open.trace);
      if (!entry) byTrace.set(open.trace, (entry = { appended: 0, first: null, denied: [], remaining: open.remaining }));
      const r = results[i];
      if (r?.ok) {
        open.trace.eventIds.push(r.id);
        open.trace.refs.push(`${r.author}#${r.seq}`);
        entry.first ??= `${r.author}#${r.seq}`;
        entry.appended++;
      } else if (r) entry.denied.push({ code: r.code, message: r.message });
      open.remaining.n--;
    });
    for (const [delivery, e] of byTrace) {
      const span = this.child(delivery.root, 'feed.append', { 'mandala.appended': e.appended, ...(e.first ? { 'mandala.first_event': e.first } : {}) });
      this.finish(span, e.denied[0] ?? null);
      if (e.remaining.n <= 0) delivery.end(e.denied.length && !e.appended ? e.denied[0]! : null);
    }
  }

  /** A position written at once (the kit's GPS): its whole trace, received to appended, now. */
  direct(source: TraceSource, drafts: readonly LocalDraft[], results: readonly AppendResultDto[], attributes: Record<string, string | number> = {}): void {
    const positions = drafts.filter((d) => d.kind === KINDS.truckPosition).map(tracedPositionOf);
    if (positions.length === 0) return;
    const delivery = this.received(source, positions, attributes);
    this.await(delivery);
    this.appended(drafts, results);
  }

  /** Sends what the exporter holds (before the node stops) and stops. */
  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }

  async flush(): Promise<void> {
    await this.provider.forceFlush();
  }
}

function keyOf(p: TracedPosition): string {
  return `${p.truck}\u0000${p.fixMs}`;
}
