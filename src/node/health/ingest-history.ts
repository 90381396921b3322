// The ingest view's history: every few seconds, how many positions came in and from where, how
// many deliveries were told to retry later, how deep the inbox is, how fast it drains, and how
// late the event loop runs. Bounded: the last hour at the default interval.
import { every, type Scheduler, type TimerHandle } from '../../core/clock/scheduler';
import type { IngestHistoryDto, IngestSampleDto } from '../../shared/api';

/** What the history reads from the node's parts: running totals, and levels now. */
export interface IngestReadings {
  /** Positions taken in by source ("vendor NAME", "phones"), totals. */
  bySource(): ReadonlyMap<string, number>;
  /** Deliveries answered 429, total. */
  shed(): number;
  inbox(): number;
  drained(): number;
  /** GPS fixes recorded, total. */
  gpsFixes(): number;
  /** Events received from peers, total. */
  peerEvents(): number;
  loopP99Ms(): number;
}

interface Totals {
  readonly atMs: number;
  readonly bySource: ReadonlyMap<string, number>;
  readonly shed: number;
  readonly drained: number;
  readonly gps: number;
  readonly peers: number;
}

export class IngestHistory {
  private readonly samples: IngestSampleDto[] = [];
  private last: Totals | null = null;
  private timer: TimerHandle | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly read: IngestReadings,
    readonly everyMs = 5000,
    private readonly keep = 720,
  ) {}

  start(): void {
    this.last = this.totals();
    this.timer = every(this.scheduler, this.everyMs, () => this.sample());
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  history(): IngestHistoryDto {
    return { everyMs: this.everyMs, samples: [...this.samples] };
  }

  private totals(): Totals {
    return { atMs: this.scheduler.nowMs(), bySource: new Map(this.read.bySource()), shed: this.read.shed(), drained: this.read.drained(), gps: this.read.gpsFixes(), peers: this.read.peerEvents() };
  }

  /** Takes one sample now (the timer's work; a test may call it). */
  sample(): void {
    const now = this.totals();
    const before = this.last ?? now;
    this.last = now;
    const s = Math.max(0.001, (now.atMs - before.atMs) / 1000);
    const rate = (a: number, b: number) => Math.round(((a - b) / s) * 10) / 10;
    const bySource: Record<string, number> = {};
    let accepted = 0;
    for (const [k, v] of now.bySource) {
      const r = rate(v, before.bySource.get(k) ?? 0);
      accepted += r;
      if (r > 0) bySource[k] = r;
    }
    const gps = rate(now.gps, before.gps);
    const peers = rate(now.peers, before.peers);
    if (gps > 0) bySource['gps'] = gps;
    if (peers > 0) bySource['peers'] = peers;
    this.samples.push({ atMs: now.atMs, acceptedPerS: Math.round(accepted * 10) / 10, shedPerS: rate(now.shed, before.shed), inbox: this.read.inbox(), drainedPerS: rate(now.drained, before.drained), loopP99Ms: Math.round(this.read.loopP99Ms() * 10) / 10, bySource });
    if (this.samples.length > this.keep) this.samples.shift();
  }
}
