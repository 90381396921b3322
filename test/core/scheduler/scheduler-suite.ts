// PROVES: any Scheduler (the virtual one simulations run on, and real timers) runs a task no
//         sooner than asked, never synchronously, earlier deadlines first and equal ones in the
//         order given, never after it was cancelled, with a clock that never runs back; and
//         `every` repeats on it until cancelled, surviving a throwing tick when told how.
// CATCHES: a simulation that passes only because its virtual scheduler is kinder than real
//          timers (same-tick execution, reordering, cancelled tasks that still fire).
// Run by schedulers.test.ts against each implementation.
import { describe, expect, it } from 'vitest';
import { every, type Scheduler } from '../../../src/core/clock/scheduler';

export interface SchedulerHarness {
  readonly scheduler: Scheduler;
  /** Lets `ms` of the scheduler's time pass, running what falls due. */
  pass(ms: number): Promise<void>;
}

export function runSchedulerSuite(name: string, setup: () => SchedulerHarness): void {
  describe(`Scheduler acceptance: ${name}`, () => {
    it('a_task_runs_no_sooner_than_asked_and_never_synchronously', async () => {
      const { scheduler, pass } = setup();
      const start = scheduler.nowMs();
      let ranAt: number | null = null;
      scheduler.after(30, () => (ranAt = scheduler.nowMs()));
      let soon = false;
      scheduler.after(0, () => (soon = true));
      expect(soon, 'after(0) waits for the current task to end').toBe(false);
      await pass(80);
      expect(soon).toBe(true);
      expect(ranAt, 'the 30 ms task ran').not.toBeNull();
      expect(ranAt! - start).toBeGreaterThanOrEqual(30);
    });

    it('earlier_deadlines_run_first_and_equal_ones_in_the_order_given', async () => {
      const { scheduler, pass } = setup();
      const order: string[] = [];
      scheduler.after(40, () => order.push('late'));
      scheduler.after(10, () => order.push('first'));
      scheduler.after(10, () => order.push('second'));
      scheduler.after(20, () => order.push('middle'));
      await pass(100);
      expect(order).toEqual(['first', 'second', 'middle', 'late']);
    });

    it('a_cancelled_task_never_runs', async () => {
      const { scheduler, pass } = setup();
      let ran = false;
      const handle = scheduler.after(10, () => (ran = true));
      handle.cancel();
      await pass(50);
      expect(ran).toBe(false);
    });

    it('time_never_runs_back', async () => {
      const { scheduler, pass } = setup();
      const seen: number[] = [scheduler.nowMs()];
      for (let i = 0; i < 5; i++) {
        scheduler.after(i * 5, () => seen.push(scheduler.nowMs()));
      }
      await pass(60);
      seen.push(scheduler.nowMs());
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    });

    it('every_repeats_until_cancelled_and_a_throwing_tick_goes_to_on_error', async () => {
      const { scheduler, pass } = setup();
      let ticks = 0;
      const errors: unknown[] = [];
      const handle = every(
        scheduler,
        20,
        () => {
          ticks++;
          if (ticks === 2) throw new Error('tick two fails');
        },
        (e) => errors.push(e),
      );
      await pass(110);
      handle.cancel();
      const atCancel = ticks;
      await pass(100);
      expect(atCancel, 'several ticks in 110 ms').toBeGreaterThanOrEqual(2);
      expect(ticks, 'no tick after cancel').toBe(atCancel);
      expect(errors.map((e) => (e as Error).message)).toEqual(['tick two fails']);
    });
  });
}
