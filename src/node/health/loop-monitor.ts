// How late the node's main event loop runs, over the last minute. Every console call, peer
// message and webhook waits on this loop, so its delay is the node's responsiveness: the health
// check and the console show p50, p99 and max. Node's delay histogram (monitorEventLoopDelay)
// cannot be merged, so the minute is kept as six 10-second slices, each its own histogram; the
// minute's max is exact, and its percentiles come from the slices' percentile curves, weighted
// by how many samples each slice took. The histogram times its own 10 ms ticks, so a figure here
// is how much later than that a tick ran: 0 on an idle loop.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { every, type Scheduler, type TimerHandle } from '../../core/clock/scheduler';

export interface LoopDelay {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** The span the figures cover (up to a minute; less just after start). */
  readonly windowMs: number;
}

interface Slice {
  readonly count: number;
  readonly maxNs: number;
  /** [percentile, delay ns] pairs, ascending. */
  readonly curve: readonly (readonly [number, number])[];
}

const SLICE_MS = 10_000;
const SLICES = 6;
const RESOLUTION_MS = 10;

function sliceOf(h: IntervalHistogram): Slice {
  return { count: h.count, maxNs: h.max, curve: [...h.percentiles.entries()].sort((a, b) => a[0] - b[0]) };
}

/** The share of a slice's samples at or below `ns`, read off its percentile curve. */
function shareAtOrBelow(s: Slice, ns: number): number {
  let share = 0;
  for (const [p, v] of s.curve) {
    if (v <= ns) share = p / 100;
    else break;
  }
  return share;
}

/** The delay at percentile `p` of the slices together (the smallest curve point that covers it). */
export function mergedPercentile(slices: readonly Slice[], p: number): number {
  const total = slices.reduce((n, s) => n + s.count, 0);
  if (total === 0) return 0;
  const candidates = [...new Set(slices.flatMap((s) => s.curve.map(([, v]) => v)))].sort((a, b) => a - b);
  for (const v of candidates) {
    const below = slices.reduce((n, s) => n + s.count * shareAtOrBelow(s, v), 0);
    if (below >= (p / 100) * total - 1e-9) return v;
  }
  return candidates[candidates.length - 1] ?? 0;
}

export class LoopMonitor {
  private current: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private currentSince: number;
  private readonly past: { slice: Slice; ms: number }[] = [];
  private timer: TimerHandle | null = null;

  constructor(private readonly scheduler: Scheduler) {
    this.currentSince = scheduler.nowMs();
  }

  start(): void {
    this.current.enable();
    this.currentSince = this.scheduler.nowMs();
    this.timer = every(this.scheduler, SLICE_MS, () => this.rotate());
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    this.current.disable();
  }

  private rotate(): void {
    const now = this.scheduler.nowMs();
    this.past.push({ slice: sliceOf(this.current), ms: now - this.currentSince });
    if (this.past.length > SLICES - 1) this.past.shift();
    this.current.reset();
    this.currentSince = now;
  }

  /** The loop's delay over the last minute (the slice under way included). */
  lastMinute(): LoopDelay {
    const slices = [...this.past.map((p) => p.slice), sliceOf(this.current)].filter((s) => s.count > 0);
    const windowMs = this.past.reduce((n, p) => n + p.ms, 0) + (this.scheduler.nowMs() - this.currentSince);
    const ms = (ns: number) => Math.max(0, Math.round((ns - RESOLUTION_MS * 1e6) / 1e4) / 100);
    if (slices.length === 0) return { p50Ms: 0, p99Ms: 0, maxMs: 0, windowMs };
    return {
      p50Ms: ms(mergedPercentile(slices, 50)),
      p99Ms: ms(mergedPercentile(slices, 99)),
      maxMs: ms(Math.max(...slices.map((s) => s.maxNs))),
      windowMs,
    };
  }
}
