// Whether the intake should shed load, and for how long: the inbox depth against its bound, the
// time the last group commit took, and the event loop's delay (perf_hooks). Retry-After comes
// from the measured drain rate: how long the drain needs to bring the inbox back to half its bound.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface ShedLimits {
  /** Positions waiting (committed and not yet signed into the feed, plus uncommitted). */
  readonly maxDepth: number;
  /** A group commit slower than this sheds load until one is fast again. */
  readonly maxCommitMs: number;
  /** An event-loop delay p99 (over the last second) above this sheds load. */
  readonly maxLoopDelayMs: number;
}

export const DEFAULT_SHED_LIMITS: ShedLimits = { maxDepth: 250_000, maxCommitMs: 1_000, maxLoopDelayMs: 250 };
/** Assumed until a drain has been measured. */
const DEFAULT_DRAIN_PER_S = 5_000;
const RATE_WINDOW_MS = 5_000;
export const MAX_RETRY_AFTER_S = 120;

export interface LoadFigures {
  /** Positions signed per second over the last few seconds; null until a drain has been measured. */
  readonly drainPerS: number | null;
  readonly lastCommitMs: number;
  /** Event-loop delay over the last second. */
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  readonly loopSinceStartMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export interface Shed {
  readonly retryAfterS: number;
  readonly reason: 'inbox_full' | 'commit_slow' | 'loop_delayed';
}

export class LoadGauge {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  /** Since start, never reset: what a bench or the ingest view reports. */
  private readonly sinceStart: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private loopP99Ms = 0;
  private loopMaxMs = 0;
  private lastCommitMs = 0;
  private readonly drained: { atMs: number; n: number }[] = [];

  constructor(private readonly limits: ShedLimits = DEFAULT_SHED_LIMITS) {
    this.loop.enable();
    this.sinceStart.enable();
  }

  /** Called once a second: the loop delay over the last second. */
  sampleLoop(): void {
    this.loopP99Ms = this.loop.percentile(99) / 1e6;
    this.loopMaxMs = this.loop.max / 1e6;
    this.loop.reset();
  }

  noteCommit(ms: number): void {
    this.lastCommitMs = ms;
  }

  noteDrained(n: number, nowMs: number): void {
    this.drained.push({ atMs: nowMs, n });
    while (this.drained.length > 0 && this.drained[0]!.atMs < nowMs - RATE_WINDOW_MS) this.drained.shift();
  }

  private measured(nowMs: number): boolean {
    return this.drained.filter((d) => d.atMs >= nowMs - RATE_WINDOW_MS).length >= 2;
  }

  /** Positions signed into the feed per second, over the last few seconds of draining (assumed until measured). */
  drainRate(nowMs: number): number {
    const recent = this.drained.filter((d) => d.atMs >= nowMs - RATE_WINDOW_MS);
    if (recent.length < 2) return DEFAULT_DRAIN_PER_S;
    const span = Math.max(1_000, nowMs - recent[0]!.atMs);
    return Math.max(1, (recent.reduce((s, d) => s + d.n, 0) * 1000) / span);
  }

  /** Null while the intake may accept; else how long a sender should wait. */
  shed(depth: number, nowMs: number): Shed | null {
    const rate = this.drainRate(nowMs);
    if (depth >= this.limits.maxDepth) {
      const s = Math.ceil((depth - this.limits.maxDepth / 2) / rate);
      return { retryAfterS: Math.min(MAX_RETRY_AFTER_S, Math.max(1, s)), reason: 'inbox_full' };
    }
    if (this.lastCommitMs > this.limits.maxCommitMs) return { retryAfterS: Math.min(MAX_RETRY_AFTER_S, Math.ceil(this.lastCommitMs / 1000) + 1), reason: 'commit_slow' };
    if (this.loopP99Ms > this.limits.maxLoopDelayMs) return { retryAfterS: Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(this.loopP99Ms / 1000))), reason: 'loop_delayed' };
    return null;
  }

  figures(nowMs: number): LoadFigures {
    const h = this.sinceStart;
    return {
      drainPerS: this.measured(nowMs) ? Math.round(this.drainRate(nowMs)) : null,
      lastCommitMs: this.lastCommitMs,
      loopP99Ms: this.loopP99Ms,
      loopMaxMs: this.loopMaxMs,
      loopSinceStartMs: { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 },
    };
  }

  stop(): void {
    this.loop.disable();
    this.sinceStart.disable();
  }
}
