// PROVES: the monotonic clock clamps regressions; the HLC orders causally and refuses to be
//         dragged forward by a remote stamp beyond the max drift.
// CATCHES: negative ages after an NTP step; one truck kit with a bad RTC moving every clock.
import { describe, expect, it } from 'vitest';
import { ManualClock, MonotonicClock } from '../../src/core/clock/clock';
import { compareHlc, Hlc } from '../../src/core/clock/hlc';

describe('MonotonicClock', () => {
  it('a_regressing_clock_stalls_at_the_highest_value_and_reports_it', () => {
    const inner = new ManualClock(5000);
    const seen: number[] = [];
    const mono = new MonotonicClock(inner, (r) => seen.push(r.observedMs));
    expect(mono.nowMs()).toBe(5000);
    inner.set(1000);
    expect(mono.nowMs()).toBe(5000);
    expect(seen).toEqual([1000]);
    // Catching up is not a new step: no report per reading.
    for (const t of [1100, 1200, 4000]) {
      inner.set(t);
      expect(mono.nowMs()).toBe(5000);
    }
    expect(seen, 'one report per step back').toEqual([1000]);
    inner.set(500);
    mono.nowMs();
    expect(seen, 'a further step back is reported').toEqual([1000, 500]);
    inner.set(6000);
    expect(mono.nowMs()).toBe(6000);
  });
});

describe('Hlc', () => {
  it('stamps_increase_even_when_physical_time_stands_still', () => {
    const clock = new ManualClock(1000);
    const hlc = new Hlc(clock);
    const a = hlc.now();
    const b = hlc.now();
    expect(compareHlc(b, a)).toBeGreaterThan(0);
    expect(b).toEqual({ wall: 1000, counter: 1 });
  });

  it('a_stamp_after_observing_a_remote_one_is_greater_than_it', () => {
    const clock = new ManualClock(1000);
    const hlc = new Hlc(clock);
    hlc.observe({ wall: 1500, counter: 7 });
    expect(compareHlc(hlc.now(), { wall: 1500, counter: 7 })).toBeGreaterThan(0);
  });

  it('a_remote_stamp_beyond_max_drift_does_not_move_the_clock', () => {
    const clock = new ManualClock(1_000_000);
    const hlc = new Hlc(clock, 60_000);
    const obs = hlc.observe({ wall: 1_000_000 + 3_600_000, counter: 0 });
    expect(obs.adopted).toBe(false);
    expect(obs.adopted ? 0 : obs.aheadByMs).toBe(3_600_000);
    expect(hlc.now().wall).toBe(1_000_000);
  });

  it('a_remote_stamp_within_max_drift_is_adopted', () => {
    const clock = new ManualClock(1_000_000);
    const hlc = new Hlc(clock, 60_000);
    expect(hlc.observe({ wall: 1_030_000, counter: 3 }).adopted).toBe(true);
    expect(hlc.now()).toEqual({ wall: 1_030_000, counter: 5 });
  });

  it('the_counter_borrows_the_next_millisecond_instead_of_wrapping', () => {
    const hlc = new Hlc(new ManualClock(10), 1000, { wall: 10, counter: 0xffff });
    expect(hlc.now()).toEqual({ wall: 11, counter: 0 });
  });
});
