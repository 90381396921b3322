// The airtime budget of one radio: at most `dutyCyclePct` of any sliding one-hour window (EU868
// g1: 1% = 36 s an hour), as the regulation measures it. A token bucket would not do: a full
// bucket spent at once and refilled within the hour is twice the budget in that hour. The
// transmissions of the last window are kept (by when they end: a frame straddling the window's
// start counts whole, so the bound is never passed), and a frame may start once the window
// ending with it holds room for it. `reserveMs` of the budget is kept back: the radio starts a
// frame only once its channel is quiet (carrier sense), so frames leave later than they were
// handed over (on a busy channel, several frames later), and the hour the regulation measures
// shifts by that much. The sender waits
// for room instead of queueing without bound, so a rationed link slows it down and never grows memory.

interface Sent {
  readonly endMs: number;
  readonly airtimeMs: number;
}

export class AirtimeBudget {
  /** Transmissions that still count, oldest first (from `head`). */
  private sent: Sent[] = [];
  private head = 0;
  /** Airtime of sent[head..]. */
  private inWindowMs = 0;
  spentMs = 0;

  constructor(
    readonly dutyCyclePct: number,
    _nowMs: number,
    readonly windowMs = 3_600_000,
    readonly reserveMs = 0,
  ) {
    if (!(dutyCyclePct > 0 && dutyCyclePct <= 100)) throw new Error(`duty cycle ${dutyCyclePct}% is outside (0, 100]`);
  }

  /** Airtime this radio may use in any window (its share of it, less the reserve). */
  get capacityMs(): number {
    return Math.max(0, (this.windowMs * this.dutyCyclePct) / 100 - this.reserveMs);
  }

  /** Forgets transmissions no window ending now or later can hold. */
  private expire(nowMs: number): void {
    while (this.head < this.sent.length && this.sent[this.head]!.endMs <= nowMs - this.windowMs) {
      this.inWindowMs -= this.sent[this.head]!.airtimeMs;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.sent.length) {
      this.sent = this.sent.slice(this.head);
      this.head = 0;
    }
  }

  /** Earliest time a transmission of `airtimeMs` may start. */
  readyAtMs(airtimeMs: number, nowMs: number): number {
    if (this.dutyCyclePct >= 100) return nowMs;
    this.expire(nowMs);
    // The window that would end with this transmission: what ends before it began no longer counts.
    let i = this.head;
    let room = this.capacityMs - this.inWindowMs;
    for (; i < this.sent.length && this.sent[i]!.endMs <= nowMs + airtimeMs - this.windowMs; i++) room += this.sent[i]!.airtimeMs;
    if (room >= airtimeMs) return nowMs;
    // Wait until enough of the oldest transmissions have left it.
    for (; i < this.sent.length; i++) {
      room += this.sent[i]!.airtimeMs;
      if (room >= airtimeMs) return Math.max(nowMs, this.sent[i]!.endMs + this.windowMs - airtimeMs);
    }
    return Number.POSITIVE_INFINITY; // longer than the whole budget: never
  }

  spend(airtimeMs: number, nowMs: number): void {
    this.spentMs += airtimeMs;
    if (this.dutyCyclePct >= 100) return;
    this.sent.push({ endMs: nowMs + airtimeMs, airtimeMs });
    this.inWindowMs += airtimeMs;
  }

  /** Share of the budget still free in the window ending now, 0..100. */
  headroomPct(nowMs: number): number {
    if (this.dutyCyclePct >= 100) return 100;
    this.expire(nowMs);
    return Math.max(0, Math.min(100, ((this.capacityMs - this.inWindowMs) / this.capacityMs) * 100));
  }
}

/**
 * The pace at which a radio makes messages: its duty cycle as a token bucket of a few frames.
 * Not the regulation (AirtimeBudget is): a sliding hour lets a busy start spend the hour's share
 * in minutes, and the radio then says nothing until the hour has passed. Paced, it sends about
 * as often as the share refills, and a message made later carries more (a freshness hold stays
 * open meanwhile, so one run takes every fix since the last).
 */
export class AirtimePace {
  private tokensMs: number;
  private lastMs: number;

  constructor(
    readonly dutyCyclePct: number,
    /** The burst: airtime that may go at once after a quiet spell. */
    readonly capacityMs: number,
    nowMs: number,
  ) {
    this.tokensMs = capacityMs;
    this.lastMs = nowMs;
  }

  private refill(nowMs: number): void {
    if (nowMs > this.lastMs) this.tokensMs = Math.min(this.capacityMs, this.tokensMs + ((nowMs - this.lastMs) * this.dutyCyclePct) / 100);
    this.lastMs = Math.max(this.lastMs, nowMs);
  }

  /** When a message of `airtimeMs` (at most the burst) may be made. */
  readyAtMs(airtimeMs: number, nowMs: number): number {
    if (this.dutyCyclePct >= 100) return nowMs;
    this.refill(nowMs);
    const want = Math.min(airtimeMs, this.capacityMs);
    return this.tokensMs >= want ? nowMs : nowMs + ((want - this.tokensMs) * 100) / this.dutyCyclePct;
  }

  /** Airtime went out (the bucket may go below empty: a frame made when there was room). */
  spend(airtimeMs: number, nowMs: number): void {
    this.refill(nowMs);
    this.tokensMs -= airtimeMs;
  }
}
