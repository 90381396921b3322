// Every position's path through the node as one OpenTelemetry trace: received (a vendor's
// webhook, a phone, the truck's GPS, a peer's sync, a CLI verb) -> signature checked -> gated ->
// buffered in the inbox -> appended to the feed (or denied by a gate) -> projected -> relayed to
// each peer (acknowledged by its frontier). A delivery's positions travel together, so a delivery
// is one trace; each position in it is named by its truck and fix time. Spans go to the in-app
// store (memory and a file, both bounded: the console's inspector) and, with `--otlp URL`, to a
// collector over OTLP/HTTP. Times come from the node's clock, so traces line up with the rest.
import { context, SpanStatusCode, trace, TraceFlags, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Clock } from '../../core/clock/clock';
import { KINDS } from '../../core/events/kinds';
import type { IncomingRun } from '../../core/feed/ingest';
import type { BatchOutcome, LocalDraft } from '../../core/store/feed-log';
import type { AppendResultDto } from '../../shared/api';
import { BoundedMap } from './bounded-map';
import { RelayWatch, type PeerHolding } from './relay-watch';
import { SpanStore } from './span-store';
import type { DurableSpans, TraceSource, TracedPosition, TraceSummary } from './trace-types';

export type { TraceSource, TracedPosition } from './trace-types';

/** The truck and fix time a truck.position draft carries (what a trace names a position by). */
export function tracedPositionOf(d: { readonly payload: unknown }): TracedPosition {
  const p = d.payload as { truck?: unknown; fix_ms?: unknown };
  return { truck: String(p.truck), fixMs: Number(p.fix_ms) };
}

/** Open positions kept at most: past this the oldest stop being traced (their spans stay). */
const MAX_OPEN = 50_000;
/** Positions of the deliveries the inspector can find in memory (their ids, their fixes). */
const MAX_RECENT_POSITIONS = 100_000;
/** Positions of one peer batch named one by one (a 1M-event sync is one count, not 1M keys). */
const MAX_PEER_POSITIONS = 256;
/** Positions a summary on disk names one by one (the inspector words the first few). */
const SUMMARY_POSITIONS = 3;

type Refusal = { code: string; message: string } | null;

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
    /** Taken in before the node restarted (its root span was recorded by the node before). */
    readonly resumed = false,
  ) {}

  get traceId(): string {
    return this.root.spanContext().traceId;
  }

  get positionCount(): number {
    return Number(this.attributes['mandala.positions'] ?? this.positions.length);
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
  step(name: string, refusal: Refusal = null, attributes: Record<string, string | number> = {}, startMs?: number): void {
    const span = this.lifecycle.child(this.root, name, attributes, startMs);
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

  end(refusal: Refusal): void {
    if (this.ended) return;
    this.ended = true;
    this.lifecycle.finish(this.root, refusal);
    this.lifecycle.keep(this);
  }

  summary(): TraceSummary {
    return {
      traceId: this.traceId,
      rootSpanId: this.root.spanContext().spanId,
      startMs: this.startMs,
      attributes: this.attributes,
      positions: this.ended ? this.positions.slice(0, SUMMARY_POSITIONS) : this.positions,
      positionCount: this.positionCount,
      refs: this.refs,
      eventIds: this.eventIds,
      open: !this.ended,
    };
  }
}

export interface LifecycleOptions {
  readonly clock: Clock;
  /** OTLP/HTTP traces endpoint (e.g. a Jaeger collector's http://host:4318/v1/traces). */
  readonly otlpUrl?: string;
  readonly nodeName: string;
  readonly maxSpans?: number;
  /** Where traces are kept past memory and restarts (store/sqlite/sqlite-spans.ts). */
  readonly durable?: DurableSpans;
  /** Take up the deliveries left open when the node stopped (not for a CLI verb's one write). */
  readonly resume?: boolean;
}

export class Lifecycle {
  readonly store: SpanStore;
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  private readonly relays: RelayWatch;
  /** Positions taken in and not yet appended or denied, by truck and fix time. */
  private readonly open = new BoundedMap<string, { readonly trace: DeliveryTrace; remaining: { n: number } }>(MAX_OPEN);
  /** The deliveries the inspector can find in memory, by trace id, oldest first. */
  private readonly recent = new BoundedMap<string, DeliveryTrace>(MAX_RECENT_POSITIONS, (d) => Math.max(1, d.positions.length));

  constructor(private readonly opts: LifecycleOptions) {
    this.store = new SpanStore(opts.maxSpans, opts.durable ?? null);
    const processors: SpanProcessor[] = [this.store];
    if (opts.otlpUrl) processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: opts.otlpUrl }), { scheduledDelayMillis: 1000 }));
    this.provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'mandala', 'service.instance.id': opts.nodeName }), spanProcessors: processors });
    this.tracer = this.provider.getTracer('mandala.lifecycle');
    this.relays = new RelayWatch(this);
    if (opts.resume ?? true) this.resume();
  }

  /** A delivery came in: its trace starts here. */
  received(source: TraceSource, positions: readonly TracedPosition[], attributes: Record<string, string | number> = {}, startMs = this.opts.clock.nowMs()): DeliveryTrace {
    // Small attributes only: the positions themselves stay with the delivery, not in every span.
    const trucks = [...new Set(positions.map((p) => p.truck))];
    const attrs = { 'mandala.source': source, 'mandala.positions': positions.length, 'mandala.trucks': trucks.slice(0, 20), ...attributes };
    const root = this.tracer.startSpan('position.received', { startTime: startMs, attributes: attrs });
    const delivery = new DeliveryTrace(this, root, positions, { ...attrs, 'mandala.trucks': trucks }, startMs);
    this.recent.set(delivery.traceId, delivery);
    this.opts.durable?.trace(delivery.summary());
    return delivery;
  }

  child(parent: Span, name: string, attributes: Record<string, string | number | string[]>, startMs = this.opts.clock.nowMs()): Span {
    return this.tracer.startSpan(name, { startTime: startMs, attributes }, trace.setSpan(context.active(), parent));
  }

  finish(span: Span, refusal: Refusal, endMs = this.opts.clock.nowMs()): void {
    if (refusal) {
      span.setAttribute('mandala.code', refusal.code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: refusal.message });
    }
    span.end(endMs);
  }

  /** The delivery's summary is written again (its events, whether it is still on its way). */
  keep(delivery: DeliveryTrace): void {
    this.opts.durable?.trace(delivery.summary());
  }

  /** The deliveries the inspector can still find in memory, newest first. */
  deliveries(): DeliveryTrace[] {
    return [...this.recent.map.values()].reverse();
  }

  /** Deliveries kept on disk that match a webhook-id, device, truck or event id prefix. */
  stored(query: string, limit: number): TraceSummary[] {
    return this.opts.durable?.find(query, limit) ?? [];
  }

  /** The delivery's positions wait in the inbox until the drain appends them. */
  await(delivery: DeliveryTrace): void {
    const remaining = { n: delivery.positions.length };
    for (const p of delivery.positions) this.open.set(keyOf(p), { trace: delivery, remaining });
  }

  /**
   * The drain stored (or a gate denied) these drafts: each traced position's append is recorded.
   * Call `projected` with the same drafts once the projections have folded them.
   */
  appended(drafts: readonly LocalDraft[], results: readonly AppendResultDto[]): DeliveryTrace[] {
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
    const done: DeliveryTrace[] = [];
    for (const [delivery, e] of byTrace) {
      const span = this.child(delivery.root, 'feed.append', { 'mandala.appended': e.appended, ...(e.first ? { 'mandala.first_event': e.first } : {}) });
      this.finish(span, e.denied[0] ?? null);
      if (e.appended > 0) done.push(delivery);
      if (e.remaining.n <= 0) delivery.end(e.denied.length && !e.appended ? e.denied[0]! : null);
      else this.keep(delivery);
    }
    return done;
  }

  /** The projections folded what these deliveries appended (since `sinceMs`): the map shows it. */
  projected(deliveries: readonly DeliveryTrace[], sinceMs: number): void {
    const now = this.opts.clock.nowMs();
    for (const d of deliveries) {
      d.step('fleet.project', null, {}, sinceMs);
      const last = d.refs.at(-1);
      if (last) this.relays.watch(d.root, last, now);
    }
  }

  /**
   * Positions written at once: the whole trace, received to projected (the kit's GPS), or to
   * appended (a CLI verb: the running node folds what another process wrote when it notices).
   */
  direct(source: TraceSource, drafts: readonly LocalDraft[], results: readonly AppendResultDto[], attributes: Record<string, string | number> = {}, startMs?: number): void {
    const positions = drafts.filter((d) => d.kind === KINDS.truckPosition).map(tracedPositionOf);
    if (positions.length === 0) return;
    const delivery = this.received(source, positions, attributes, startMs);
    this.await(delivery);
    const appended = this.appended(drafts, results);
    if (source !== 'cli') this.projected(appended, this.opts.clock.nowMs());
  }

  /**
   * A peer's runs were checked and stored (`storedMs`) and folded (now): one trace for the positions
   * among them, from their arrival (`startMs`) to the fold.
   */
  fromPeer(peer: string, runs: readonly IncomingRun[], outcome: BatchOutcome, startMs: number, storedMs: number): void {
    let offered = 0;
    for (const run of runs) for (const e of run.events) if (e.kind === KINDS.truckPosition) offered++;
    if (offered === 0) return;
    const appended = outcome.appended.filter((e) => e.kind === KINDS.truckPosition);
    const named = appended.slice(0, MAX_PEER_POSITIONS);
    const delivery = this.received('peer', named.map(tracedPositionOf), { 'mandala.peer': peer, 'mandala.positions': offered }, startMs);
    const refusal = outcome.rejections[0] ?? null;
    const check = this.child(delivery.root, 'signature.check', { 'mandala.refused': outcome.rejections.length }, startMs);
    // Refused runs are reported; the delivery goes on with the runs that were sound.
    this.finish(check, refusal && appended.length === 0 ? { code: refusal.code, message: refusal.message } : null, storedMs);
    for (const e of named) {
      delivery.refs.push(`${e.author}#${e.seq}`);
      delivery.eventIds.push(e.id);
    }
    const stored = this.child(delivery.root, 'feed.append', { 'mandala.appended': appended.length, 'mandala.duplicates': outcome.duplicates, 'mandala.waiting': outcome.buffered }, storedMs);
    this.finish(stored, null, storedMs);
    if (appended.length > 0) this.projected([delivery], storedMs);
    delivery.end(null);
  }

  /** Ends a relay span for each peer whose frontier now holds a delivery it lacked. */
  checkRelays(holders: (author: string, seq: number) => readonly PeerHolding[]): void {
    this.relays.check(holders, this.opts.clock.nowMs());
  }

  /** Writes what the durable store holds pending (the node's timer calls this every second). */
  persist(): void {
    this.opts.durable?.flush();
  }

  /** Sends what the exporter holds (before the node stops), keeps what is still open, and stops. */
  async shutdown(): Promise<void> {
    // A delivery still in the inbox ends its root now (so it is kept) but stays open on disk:
    // the next start takes it up again, and the drain's append joins the same trace.
    for (const d of new Set([...this.open.map.values()].map((o) => o.trace))) {
      if (!d.isOpen || d.resumed) continue;
      d.root.setAttribute('mandala.open_at_stop', true);
      d.root.end(this.opts.clock.nowMs());
    }
    await this.provider.shutdown();
    await this.opts.durable?.close();
  }

  async flush(): Promise<void> {
    await this.provider.forceFlush();
  }

  /** Deliveries kept open on disk when the node last stopped wait for the drain again. */
  private resume(): void {
    for (const s of this.opts.durable?.openTraces(MAX_OPEN) ?? []) {
      const root = trace.wrapSpanContext({ traceId: s.traceId, spanId: s.rootSpanId, traceFlags: TraceFlags.SAMPLED });
      const d = new DeliveryTrace(this, root, s.positions, s.attributes, s.startMs, true);
      this.recent.set(d.traceId, d);
      this.await(d);
    }
  }
}

function keyOf(p: TracedPosition): string {
  return `${p.truck}\u0000${p.fixMs}`;
}
