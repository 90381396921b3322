// The clock seam. Every wall-clock reading that lands in an event, a report or a decision comes
// through a Clock; the one real implementation lives in src/node/clock. Tests pass a ManualClock.
//
// MonotonicClock wraps any clock and never lets time run backwards: a regression (NTP step,
// manual reset, a dead RTC battery on a truck kit) is clamped to the highest value seen and
// reported once per step (not on every reading while time catches up), so ages and HLC stamps
// never go negative.

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
}

export interface ClockRegression {
  previousMs: number;
  observedMs: number;
}

export class MonotonicClock implements Clock {
  private highest = Number.NEGATIVE_INFINITY;
  /** While time catches up after a step back: the reading the step went back to. */
  private stepTo: number | null = null;

  constructor(
    private readonly inner: Clock,
    private readonly onRegression: (r: ClockRegression) => void = () => {},
  ) {}

  nowMs(): number {
    const raw = this.inner.nowMs();
    if (raw >= this.highest) {
      this.highest = raw;
      this.stepTo = null;
      return raw;
    }
    // One report per step back: readings that merely have not caught up yet are not new steps.
    if (this.stepTo === null || raw < this.stepTo) this.onRegression({ previousMs: this.highest, observedMs: raw });
    this.stepTo = raw;
    return this.highest;
  }
}

/** A clock that only moves when told to. For tests and simulations. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}

  nowMs(): number {
    return this.ms;
  }

  set(ms: number): void {
    this.ms = ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}
