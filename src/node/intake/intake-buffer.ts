// The buffer tank between acknowledging deliveries and signing their positions into the feed.
// Deliveries that arrive in the same turn of the event loop are admitted to the inbox in one
// transaction (a group commit: one fsync for all of them), and each is answered once that commit
// is durable. A drain then signs the waiting positions into this node's feed in batches, each
// batch's append and its removal from the inbox in one transaction, yielding to the event loop
// between batches. A drain that fails (a store error, a feed to recover first) leaves everything
// waiting and retries; nothing acknowledged is lost or applied twice.
import { every, type Scheduler, type TimerHandle } from '../../core/clock/scheduler';
import type { LocalDraft } from '../../core/store/feed-log';
import type { AdmitOutcome, InboxDelivery, IntakeInbox } from '../../core/store/intake-inbox';
import type { ProblemLog } from '../problems/problem-log';
import { LoadGauge, type Shed, type ShedLimits } from './load-gauge';

/** Where a delivery came from, from its key ("webhook:VENDOR:ID", "osmand:DEVICE:..."). */
function sourceOf(key: string): string {
  const [kind, who] = key.split(':');
  return kind === 'webhook' ? `vendor ${who}` : kind === 'osmand' ? 'phones' : (kind ?? 'other');
}

/** Signs drafts into the node's feed inside `settle` (the inbox's transaction). */
export type ApplyDrafts = (drafts: readonly LocalDraft[], settle: <T>(fn: () => T) => T) => void;

export interface IntakeBufferOptions {
  readonly inbox: IntakeInbox;
  readonly scheduler: Scheduler;
  readonly apply: ApplyDrafts;
  readonly problems: ProblemLog;
  readonly limits?: ShedLimits;
  /** Positions per drain transaction (one signed run), at most. */
  readonly drainBatch?: number;
  /** How long a drain waits for more to arrive unless a whole batch is waiting (one signature per run). */
  readonly drainDelayMs?: number;
}

/** Delivery keys are kept at least this long (vendors retry for up to three days). */
export const KEEP_KEYS_MS = 72 * 3600_000;
const DRAIN_RETRY_MS = 1_000;
/**
 * While deliveries keep arriving (one within BUSY_MS), the drain takes about this share of the
 * event loop and acceptance the rest: a burst fills the tank at the speed of acceptance, and the
 * tank empties at full speed once the burst is over. The inbox depth bound sheds what is beyond.
 */
const BUSY_MS = 250;
const DRAIN_SHARE_WHILE_BUSY = 0.2;
const BUSY_BATCH = 150;

interface Waiting {
  readonly delivery: InboxDelivery;
  readonly resolve: (o: AdmitOutcome) => void;
  readonly reject: (e: unknown) => void;
}

export class IntakeBuffer {
  readonly gauge: LoadGauge;
  private queue: Waiting[] = [];
  private queuedDrafts = 0;
  private depth: number;
  private flushing = false;
  private draining = false;
  private retry: TimerHandle | null = null;
  private readonly timers: TimerHandle[] = [];
  private stopped = false;
  private lastDeliveryMs = Number.NEGATIVE_INFINITY;
  private restUntilMs = Number.NEGATIVE_INFINITY;
  readonly counts = { deliveries: 0, duplicates: 0, positions: 0, drained: 0, drainFailures: 0 };
  /** Positions taken in, by where they came from ("vendor NAME", "phones"), for the ingest view. */
  readonly bySource = new Map<string, number>();

  constructor(private readonly opts: IntakeBufferOptions) {
    this.gauge = new LoadGauge(opts.limits);
    this.depth = opts.inbox.inboxDepth();
  }

  /** Drains what an earlier run left waiting, and keeps the gauges and the key table current. */
  start(): void {
    const { scheduler } = this.opts;
    this.timers.push(every(scheduler, 1_000, () => this.gauge.sampleLoop()));
    this.timers.push(every(scheduler, 3600_000, () => this.forgetOldKeys()));
    this.forgetOldKeys();
    this.kickDrain();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.retry?.cancel();
    this.gauge.stop();
    this.flush(); // whoever is waiting for a commit gets it (or the error)
  }

  /** Positions waiting to be signed into the feed (committed or about to be). */
  waiting(): number {
    return this.depth + this.queuedDrafts;
  }

  /** Null when a delivery may be taken; else how long its sender should wait. */
  shed(): Shed | null {
    return this.gauge.shed(this.waiting(), this.opts.scheduler.nowMs());
  }

  /** Resolves once the delivery is durable (`stored`) or known (`duplicate`); rejects on a store error. */
  submit(delivery: InboxDelivery): Promise<AdmitOutcome> {
    this.lastDeliveryMs = this.opts.scheduler.nowMs();
    return new Promise((resolve, reject) => {
      this.queue.push({ delivery, resolve, reject });
      this.queuedDrafts += delivery.drafts.length;
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushing = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.queuedDrafts = 0;
    const { scheduler, inbox } = this.opts;
    const started = scheduler.nowMs();
    let outcomes: AdmitOutcome[];
    try {
      outcomes = inbox.admitDeliveries(batch.map((w) => w.delivery));
    } catch (e) {
      for (const w of batch) w.reject(e);
      return;
    }
    this.gauge.noteCommit(scheduler.nowMs() - started);
    batch.forEach((w, i) => {
      const outcome = outcomes[i]!;
      this.counts.deliveries++;
      if (outcome === 'duplicate') this.counts.duplicates++;
      else {
        this.counts.positions += w.delivery.drafts.length;
        this.depth += w.delivery.drafts.length;
        const source = sourceOf(w.delivery.key);
        this.bySource.set(source, (this.bySource.get(source) ?? 0) + w.delivery.drafts.length);
      }
      w.resolve(outcome);
    });
    this.kickDrain();
  }

  /** True while a burst lasts: a delivery came in within BUSY_MS of `nowMs`. */
  private busyAt(nowMs: number): boolean {
    return nowMs - this.lastDeliveryMs < BUSY_MS;
  }

  private get batch(): number {
    return this.opts.drainBatch ?? 500;
  }

  /** Starts a drain: at once when a whole batch waits, else after a short gather (fewer, fuller runs). */
  private kickDrain(): void {
    if (this.draining || this.stopped || this.retry) return;
    this.draining = true;
    const { scheduler } = this.opts;
    const gatherMs = this.depth >= this.batch ? 0 : (this.opts.drainDelayMs ?? 50);
    const waitMs = Math.max(gatherMs, this.restUntilMs - scheduler.nowMs());
    if (waitMs <= 0) setImmediate(() => this.drainStep());
    else scheduler.after(waitMs, () => this.drainStep());
  }

  private drainStep(): void {
    if (this.stopped) return void (this.draining = false);
    const { inbox, scheduler, apply, problems } = this.opts;
    const started = scheduler.nowMs();
    let entries;
    try {
      // Shorter steps while a burst lasts, so no step holds the loop for long.
      entries = inbox.inboxPeek(this.busyAt(started) ? Math.min(this.batch, BUSY_BATCH) : this.batch);
      if (entries.length === 0) {
        this.draining = false;
        this.depth = 0;
        return;
      }
      const last = entries[entries.length - 1]!.row;
      apply(
        entries.map((e) => e.draft),
        (fn) => inbox.inboxSettle(last, fn),
      );
    } catch (e) {
      this.draining = false;
      this.counts.drainFailures++;
      const why = (e as { message?: string }).message ?? String(e);
      problems.warn('intake_drain_failed', `${this.depth} acknowledged positions could not be signed into this node's feed yet (${why}); they are kept and retried every second`);
      this.retry = scheduler.after(DRAIN_RETRY_MS, () => {
        this.retry = null;
        this.kickDrain();
      });
      return;
    }
    problems.clear('intake_drain_failed');
    this.depth = Math.max(0, this.depth - entries.length);
    this.counts.drained += entries.length;
    this.gauge.noteDrained(entries.length, scheduler.nowMs());
    const now = scheduler.nowMs();
    // Acceptance first while a burst lasts: the drain rests in proportion to the step just taken.
    this.restUntilMs = this.busyAt(now) ? now + ((now - started) * (1 - DRAIN_SHARE_WHILE_BUSY)) / DRAIN_SHARE_WHILE_BUSY : now;
    this.draining = false;
    if (this.depth > 0) this.kickDrain();
  }

  private forgetOldKeys(): void {
    try {
      this.opts.inbox.forgetDeliveriesBefore(this.opts.scheduler.nowMs() - KEEP_KEYS_MS);
    } catch (e) {
      this.opts.problems.internalError('forgetting old delivery ids', e);
    }
  }
}
