// Trickle (RFC 6206) for a radio's "are we in sync?" digests. Each interval's digest falls at a
// random point of its second half and is left out when neighbours already said the same in it
// (k = 1). While they agree the interval doubles up to a ceiling of 128 times its floor; while a
// neighbour lately differed it stays within 4 times the floor (a lost answer is asked again
// soon); a difference not seen before, a newcomer or a local change resets it to the floor. Pure:
// time comes in as `nowMs`, randomness through `rand`.

/** Digests heard that agree with ours, within an interval, that make ours unneeded. */
const K = 1;
/** The ceiling, in doublings of the floor; while a neighbour differs, at most this many. */
const DOUBLINGS = 7;
const DOUBLINGS_DIFFERING = 2;

export class Trickle {
  private intervalMs = 0;
  private startMs = 0;
  private fireAtMs = 0;
  private fired = false;
  private agreed = 0;

  constructor(
    /** The floor: how soon a difference or a newcomer is answered. */
    readonly minMs: number,
    private readonly rand: () => number,
  ) {
    this.start(0, minMs);
  }

  /** A new interval of `intervalMs` from `nowMs`; its digest falls in its second half. */
  private start(nowMs: number, intervalMs: number): void {
    this.intervalMs = intervalMs;
    this.startMs = nowMs;
    this.fireAtMs = nowMs + intervalMs * (0.5 + 0.5 * this.rand());
    this.fired = false;
    this.agreed = 0;
  }

  /** Back to the floor (unless already in a floor interval: resets within one do not pile up). */
  reset(nowMs: number): void {
    if (this.intervalMs === this.minMs && nowMs < this.startMs + this.intervalMs) return;
    this.start(nowMs, this.minMs);
  }

  /** A neighbour's digest agreed with ours. */
  heardAgreement(): void {
    this.agreed++;
  }

  /**
   * Trickle's turn: true when its digest is due now (and no neighbour already agreed in this
   * interval); past the interval's end, the next one. `differingSinceMs` says whether a
   * neighbour's digest differed within the given span.
   */
  tick(nowMs: number, differedWithin: (spanMs: number) => boolean): boolean {
    let due = false;
    if (!this.fired && nowMs >= this.fireAtMs) {
      this.fired = true;
      due = this.agreed < K;
    }
    if (nowMs >= this.startMs + this.intervalMs) {
      const ceiling = this.minMs * 2 ** (differedWithin(2 * this.intervalMs) ? DOUBLINGS_DIFFERING : DOUBLINGS);
      this.start(nowMs, Math.min(this.intervalMs * 2, ceiling));
    }
    return due;
  }

  /** When Trickle next has something to do. */
  nextWakeMs(): number {
    return this.fired ? this.startMs + this.intervalMs : this.fireAtMs;
  }
}
