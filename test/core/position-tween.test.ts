// PROVES: a truck glides from where it is drawn to its new fix (eased, arriving at TWEEN_MS and
//         staying there), a new fix while gliding starts from the drawn point, not the old fix;
//         each new fix pulses once for PULSE_MS and then its ring is ended; the first positions
//         and unchanged ones neither glide nor pulse; a jump beyond TWEEN_MAX_M pulses but is not
//         glided across; forgotten trucks stop.
// CATCHES: trucks that jump, glide from a stale point, glide across a 50 km backlog, or rings that
//          never end (a frame loop that never stops).
import { describe, expect, it } from 'vitest';
import { PositionTween, PULSE_MS, TWEEN_MS, type LonLat } from '../../src/renderer/src/map/position-tween';

const A: LonLat = [36.0, -1.0];
const B: LonLat = [36.01, -1.0]; // about 1.1 km east
const FAR: LonLat = [36.5, -1.0]; // about 55 km east

describe('trucks glide between fixes', () => {
  it('glides_eased_to_the_new_fix_and_stops_there', () => {
    const tween = new PositionTween();
    expect(tween.update([['T1', A]], 0), 'the first positions are taken as they are').toEqual({ glides: 0, pulses: 0 });
    expect(tween.frame(0).active).toBe(false);
    expect(tween.update([['T1', B]], 1000)).toEqual({ glides: 1, pulses: 1 });
    const start = tween.frame(1000).positions.get('T1')!;
    expect(start[0]).toBeCloseTo(A[0], 9);
    const half = tween.frame(1000 + TWEEN_MS / 2).positions.get('T1')!;
    expect(half[0], 'eased out: past half way at half time').toBeGreaterThan(A[0] + (B[0] - A[0]) / 2);
    expect(half[0]).toBeLessThan(B[0]);
    expect(tween.frame(1000 + TWEEN_MS).positions.get('T1')).toEqual(B);
    expect(tween.frame(1000 + TWEEN_MS + 16).positions.has('T1'), 'the glide is over').toBe(false);
  });

  it('a_new_fix_mid_glide_starts_from_the_drawn_point', () => {
    const tween = new PositionTween();
    tween.update([['T1', A]], 0);
    tween.update([['T1', B]], 0);
    const drawn = tween.frame(TWEEN_MS / 2).positions.get('T1')!;
    const C: LonLat = [36.02, -1.0];
    tween.update([['T1', C]], TWEEN_MS / 2);
    expect(tween.frame(TWEEN_MS / 2).positions.get('T1')![0]).toBeCloseTo(drawn[0], 9);
    expect(tween.frame(TWEEN_MS / 2 + TWEEN_MS).positions.get('T1')).toEqual(C);
  });

  it('pulses_once_per_new_fix_and_ends_the_ring', () => {
    const tween = new PositionTween();
    tween.update([['T1', A], ['T2', A]], 0);
    tween.update([['T1', B], ['T2', A]], 100);
    const f = tween.frame(100 + PULSE_MS / 2);
    expect([...f.pulses.keys()], 'only the truck that moved').toEqual(['T1']);
    expect(f.pulses.get('T1')).toBeCloseTo(0.5, 5);
    const end = tween.frame(100 + PULSE_MS);
    expect(end.pulsesEnded).toEqual(['T1']);
    expect(end.active, 'nothing left to draw: the frame loop may stop').toBe(false);
  });

  it('a_far_jump_pulses_but_is_not_glided_and_forgotten_trucks_stop', () => {
    const tween = new PositionTween();
    tween.update([['T1', A], ['T2', A]], 0);
    expect(tween.update([['T1', FAR], ['T2', B]], 10)).toEqual({ glides: 1, pulses: 2 });
    expect(tween.frame(20).positions.has('T1'), 'drawn at the new fix at once').toBe(false);
    tween.keepOnly(new Set(['T1']));
    expect(tween.frame(30).positions.has('T2')).toBe(false);
    expect(tween.frame(30).pulses.has('T2')).toBe(false);
  });
});
