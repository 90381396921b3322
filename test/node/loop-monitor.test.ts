// PROVES: the node's loop monitor sees a blocked event loop (a 150 ms busy stretch shows as the
//         minute's max, the p50 stays low) and merges its 10-second slices by their sample
//         counts, so one slow slice does not pass for the whole minute.
// CATCHES: a monitor that reports the histogram's own tick as delay, or loses a stall when its
//          slice rotates.
import { expect, it } from 'vitest';
import { realTime } from '../../src/node/clock/real-scheduler';
import { startStopwatch } from '../../src/node/clock/system-clock';
import { LoopMonitor, mergedPercentile } from '../../src/node/health/loop-monitor';

const busy = (ms: number) => {
  const watch = startStopwatch();
  while (watch.elapsedMs() < ms);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('a_blocked_loop_shows_as_the_max_while_the_median_stays_low', async () => {
  const monitor = new LoopMonitor(realTime());
  monitor.start();
  try {
    await sleep(300);
    busy(150);
    await sleep(300);
    const d = monitor.lastMinute();
    expect(d.maxMs).toBeGreaterThanOrEqual(120);
    expect(d.p50Ms, 'idle ticks are not delay').toBeLessThan(20);
    expect(d.windowMs).toBeGreaterThanOrEqual(500);
  } finally {
    monitor.stop();
  }
});

it('slices_merge_by_their_sample_counts', () => {
  const ms = 1e6;
  // 990 samples at 1 ms, and one slice of 10 samples at 500 ms.
  const calm = { count: 990, maxNs: 1 * ms, curve: [[0, 1 * ms], [100, 1 * ms]] as const };
  const stalled = { count: 10, maxNs: 500 * ms, curve: [[0, 500 * ms], [100, 500 * ms]] as const };
  expect(mergedPercentile([calm, stalled], 50)).toBe(1 * ms);
  expect(mergedPercentile([calm, stalled], 99)).toBe(1 * ms);
  expect(mergedPercentile([calm, stalled], 99.5)).toBe(500 * ms);
  expect(mergedPercentile([], 99)).toBe(0);
});
