// PROVES: the Trickle timer (RFC 6206) as the radio uses it: one digest per interval at a point of
//         its second half; the interval doubles to 128 times the floor while neighbours agree,
//         and to at most 4 times while one lately differed; a digest is left out when a
//         neighbour already agreed within the interval; a reset brings the floor back at once,
//         and resets within a floor interval do not push its digest away.
// CATCHES: a timer that never quiets down, or one that stays quiet through a difference.
import { expect, it } from 'vitest';
import { Trickle } from '../../src/core/sync/trickle';

/** Digest times over `untilMs`, stepping 100 ms. */
function run(t: Trickle, untilMs: number, differing = false, agreeEvery = 0): number[] {
  const sent: number[] = [];
  for (let now = 0; now <= untilMs; now += 100) {
    if (agreeEvery && now % agreeEvery === 0) t.heardAgreement();
    if (t.tick(now, () => differing)) sent.push(now);
  }
  return sent;
}

it('the_interval_doubles_to_its_ceiling_while_neighbours_agree', () => {
  const sent = run(new Trickle(1000, () => 0.5), 600_000);
  const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
  expect(sent[0]).toBe(800); // at 3/4 of the first 1 s interval
  // Each interval twice the last (1, 2, 4, 8, 16 s ...), its digest at 3/4 of it: the gaps are
  // a quarter of one interval plus three quarters of the next, up to the 128 s interval.
  expect(gaps.slice(0, 4)).toEqual([1700, 3500, 7000, 14000]);
  expect(Math.max(...gaps)).toBe(128_000);
});

it('while_a_neighbour_differs_the_interval_stays_within_four_floors', () => {
  const sent = run(new Trickle(1000, () => 0.5), 60_000, true);
  const gaps = sent.slice(1).map((t, i) => t - sent[i]!);
  expect(Math.max(...gaps)).toBe(4000);
});

it('a_neighbours_agreement_in_the_interval_leaves_ours_out_and_a_reset_brings_the_floor_back', () => {
  const t = new Trickle(1000, () => 0.5);
  expect(run(t, 60_000, false, 500)).toEqual([]); // someone agrees twice a second: we never need to speak
  const quiet = new Trickle(1000, () => 0.5);
  run(quiet, 300_000); // grown to a long interval
  quiet.reset(300_000);
  quiet.reset(300_300); // a second reset within the floor interval changes nothing
  const after: number[] = [];
  for (let now = 300_000; now <= 302_000; now += 100) if (quiet.tick(now, () => false)) after.push(now);
  expect(after).toEqual([300_800]);
});
