// Runs the Scheduler suite against the virtual scheduler and real timers (with real time).
import { VirtualScheduler } from '../../../src/core/clock/scheduler';
import { realTime } from '../../../src/node/clock/real-scheduler';
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
