// Runs the Scheduler suite against the virtual scheduler and real timers (with real time).
import { describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../../src/core/clock/scheduler';
import { RealScheduler, realTime } from '../../../src/node/clock/real-scheduler';
import { runSchedulerSuite } from './scheduler-suite';

runSchedulerSuite('virtual', () => {
  const scheduler = new VirtualScheduler();
  return { scheduler, pass: async (ms) => void scheduler.advance(ms) };
});

runSchedulerSuite('real timers', () => {
  const scheduler = realTime();
  // Real timers may fire late on a busy machine, never early: the suite asks only for that.
  return { scheduler, pass: (ms) => new Promise((r) => setTimeout(r, ms + 20)) };
});

describe('RealScheduler over a clock that runs behind Node timers', () => {
  // PROVES: a timer that fires a few ms before its deadline by the clock is held back without
  //         letting a task with the same deadline overtake it.
  // CATCHES: per-task Node timers, where the first of two equal deadlines is re-armed for the
  //          missing ms and the second (read a ms later) runs before it.
  it('equal_deadlines_keep_their_order_when_the_first_fire_is_early', async () => {
    let reading = 0;
    let ticking = false;
    // The clock stands at 0 while scheduling, then reads 9, 10, 11, ... one ms further per read.
    const clock = { nowMs: () => (ticking ? reading++ : 0) };
    const scheduler = new RealScheduler(clock);
    const order: string[] = [];
    scheduler.after(10, () => order.push('first'));
    scheduler.after(10, () => order.push('second'));
    reading = 9;
    ticking = true;
    await new Promise((r) => setTimeout(r, 80));
    expect(order).toEqual(['first', 'second']);
  });

  it('a_cancelled_head_lets_the_next_task_run_on_time', async () => {
    const scheduler = realTime();
    const ran: string[] = [];
    const head = scheduler.after(5, () => ran.push('cancelled'));
    scheduler.after(15, () => ran.push('next'));
    head.cancel();
    await new Promise((r) => setTimeout(r, 80));
    expect(ran).toEqual(['next']);
  });
});
