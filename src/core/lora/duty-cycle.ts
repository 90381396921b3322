// The airtime budget of one radio: a token bucket holding `dutyCyclePct` of a one-hour window
// (EU868 g1: 1% = 36 s an hour). Sending spends airtime; time refills it at the duty-cycle rate.
// The sender waits for the bucket instead of queueing without bound, so a slow, rationed link
// slows the sender down and never grows memory.

export class AirtimeBudget {
  private tokensMs: number;
  private lastMs: number;
  spentMs = 0;

  constructor(
    readonly dutyCyclePct: number,
    nowMs: number,
    readonly windowMs = 3_600_000,
  ) {
    if (!(dutyCyclePct > 0 && dutyCyclePct <= 100)) throw new Error(`duty cycle ${dutyCyclePct}% is outside (0, 100]`);
    this.tokensMs = this.capacityMs;
    this.lastMs = nowMs;
  }

  get capacityMs(): number {
    return (this.windowMs * this.dutyCyclePct) / 100;
  }

  private refill(nowMs: number): void {
    if (nowMs > this.lastMs) {
      this.tokensMs = Math.min(this.capacityMs, this.tokensMs + ((nowMs - this.lastMs) * this.dutyCyclePct) / 100);
      this.lastMs = nowMs;
    }
  }

  /** Earliest time a transmission of `airtimeMs` may start. */
  readyAtMs(airtimeMs: number, nowMs: number): number {
    this.refill(nowMs);
    if (this.dutyCyclePct >= 100 || this.tokensMs >= airtimeMs) return nowMs;
    return nowMs + ((airtimeMs - this.tokensMs) * 100) / this.dutyCyclePct;
  }

  spend(airtimeMs: number, nowMs: number): void {
    this.refill(nowMs);
    this.tokensMs -= airtimeMs;
    this.spentMs += airtimeMs;
  }

  /** Share of the budget still free, 0..100. */
  headroomPct(nowMs: number): number {
    this.refill(nowMs);
    return Math.max(0, Math.min(100, (this.tokensMs / this.capacityMs) * 100));
  }
}
