// Hybrid logical clock (Kulkarni et al. 2014), as meshlogd used it: a stamp is (wall ms,
// counter). Stamps stay close to physical time and never violate causality: a stamp issued after
// observing another is always greater.
//
// Max-drift guard: a remote stamp more than `maxDriftMs` ahead of our physical clock is not
// adopted. Otherwise one truck kit with a wrong RTC would drag every node's clock (and every
// last-writer-wins decision) into the future. The event itself is still stored; only the clock
// refuses to follow it.
import type { Clock } from './clock';

export interface HlcStamp {
  readonly wall: number;
  readonly counter: number;
}

/** This clock's counter rolls the wall forward past this (it never issues more). */
export const MAX_HLC_COUNTER = 0xffff;

/** A remote stamp further than this ahead of the local clock is not followed (and is flagged). */
export const DEFAULT_MAX_DRIFT_MS = 5 * 60_000;
/**
 * The largest counter an event may carry. Other clocks went further: meshlogd's HLC had no drift
 * bound, so its counter grew for as long as a peer's clock ran ahead; imported events keep it.
 */
export const MAX_EVENT_HLC_COUNTER = 0xffff_ffff;

export function compareHlc(a: HlcStamp, b: HlcStamp): number {
  return a.wall !== b.wall ? a.wall - b.wall : a.counter - b.counter;
}

export type HlcObservation =
  | { adopted: true; stamp: HlcStamp }
  | { adopted: false; reason: 'remote_clock_ahead'; aheadByMs: number; stamp: HlcStamp };

export class Hlc {
  private wall = 0;
  private counter = 0;

  constructor(
    private readonly clock: Clock,
    readonly maxDriftMs: number = DEFAULT_MAX_DRIFT_MS,
    floor?: HlcStamp,
  ) {
    if (floor) this.raiseTo(floor);
  }

  /** The last stamp issued or observed. */
  get last(): HlcStamp {
    return { wall: this.wall, counter: this.counter };
  }

  /** Make sure future stamps are above `floor` (e.g. the highest stamp already on disk). */
  raiseTo(floor: HlcStamp): void {
    if (compareHlc(floor, this.last) > 0) {
      this.wall = floor.wall;
      this.counter = floor.counter;
    }
  }

  /** A stamp for a new local event. */
  now(): HlcStamp {
    // Stamps are whole milliseconds; a clock may report fractions (simulations, high-res timers).
    const pt = Math.floor(this.clock.nowMs());
    if (pt > this.wall) {
      this.wall = pt;
      this.counter = 0;
    } else {
      this.counter += 1;
      if (this.counter > MAX_HLC_COUNTER) {
        // Counter exhausted within one millisecond: borrow the next millisecond rather than wrap.
        this.wall += 1;
        this.counter = 0;
      }
    }
    return this.last;
  }

  /** Observe a stamp from a received event so later local stamps follow it causally. */
  observe(remote: HlcStamp): HlcObservation {
    const pt = Math.floor(this.clock.nowMs());
    if (remote.wall - pt > this.maxDriftMs) {
      return { adopted: false, reason: 'remote_clock_ahead', aheadByMs: remote.wall - pt, stamp: this.last };
    }
    const newWall = Math.max(this.wall, remote.wall, pt);
    if (newWall === this.wall && newWall === remote.wall) {
      this.counter = Math.max(this.counter, remote.counter) + 1;
    } else if (newWall === this.wall) {
      this.counter += 1;
    } else if (newWall === remote.wall) {
      this.counter = remote.counter + 1;
    } else {
      this.counter = 0;
    }
    this.wall = newWall;
    if (this.counter > MAX_HLC_COUNTER) {
      this.wall += 1;
      this.counter = 0;
    }
    return { adopted: true, stamp: this.last };
  }
}
