// PROVES: console pushes are coalesced per topic, each at most once per its own interval, and the
//         first change after a quiet spell goes out at once: a fleet changing every 10 ms is pushed
//         every 100 ms while the peers topic, marked as often, goes every 250 ms.
// CATCHES: a throttle that delays the first push, merges topics, or floods the console.
import { expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { PushThrottle } from '../../src/node/live/push-throttle';

it('each_topic_is_pushed_at_most_once_per_its_interval_and_the_first_at_once', () => {
  const scheduler = new VirtualScheduler();
  const pushed: [string, number][] = [];
  const throttle = new PushThrottle<'fleet' | 'peers'>(scheduler, (t) => (t === 'fleet' ? 100 : 250), (t) => pushed.push([t, scheduler.nowMs()]));
  const start = scheduler.nowMs();
  for (let i = 0; i < 50; i++) {
    throttle.mark('fleet');
    throttle.mark('peers');
    scheduler.advance(10);
  }
  const at = (topic: string) => pushed.filter(([t]) => t === topic).map(([, ms]) => ms - start);
  expect(at('fleet')).toEqual([0, 100, 200, 300, 400, 500]);
  expect(at('peers')).toEqual([0, 250, 500]);
  // Quiet, then one change: pushed at once.
  scheduler.advance(1000);
  throttle.mark('peers');
  scheduler.advance(0);
  expect(at('peers')).toEqual([0, 250, 500, 1500]);
});
