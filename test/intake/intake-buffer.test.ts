// PROVES: the buffer tank gives acceptance the event loop while a burst lasts: with deliveries
//         arriving, the drain rests four times as long as each step took (a fifth of the loop),
//         and once they stop it drains back to back; every waiting position is drained in order.
// CATCHES: a drain that starves acceptance during a burst (the burst is then shed with 429s),
//          a drain that keeps resting after the burst, positions skipped or reordered.
import { describe, expect, it } from 'vitest';
import { VirtualScheduler, type Scheduler } from '../../src/core/clock/scheduler';
import type { LocalDraft } from '../../src/core/store/feed-log';
import { IntakeBuffer } from '../../src/node/intake/intake-buffer';
import { ProblemLog } from '../../src/node/problems/problem-log';
import { MemoryInbox } from '../../src/node/store/memory-inbox';

const STEP_WORK_MS = 10;

/** Virtual time, plus the time each drain step "works" (so a step has a duration to rest by). */
function workingScheduler(v: VirtualScheduler): Scheduler & { work: number } {
  return {
    work: 0,
    nowMs() {
      return v.nowMs() + this.work;
    },
    after: (ms, fn) => v.after(ms, fn),
  };
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

const fix = (n: number): LocalDraft => ({ kind: 'truck.position', payload: { truck: `T${n % 7}`, fix_ms: 1_700_000_000_000 + n, lat_e6: n, lon_e6: n } });

/** A tank with `waiting` positions left in its inbox (by an earlier run). */
function tank(waiting: number) {
  const v = new VirtualScheduler();
  const scheduler = workingScheduler(v);
  const inbox = new MemoryInbox();
  inbox.admitDeliveries([{ key: 'backlog', atMs: v.nowMs(), drafts: Array.from({ length: waiting }, (_, i) => fix(i)) }]);
  const steps: { atMs: number; drafts: LocalDraft[] }[] = [];
  const buffer = new IntakeBuffer({
    inbox,
    scheduler,
    problems: new ProblemLog(scheduler),
    drainBatch: 100,
    apply: (drafts, settle) =>
      settle(() => {
        steps.push({ atMs: scheduler.nowMs(), drafts: [...drafts] });
        scheduler.work += STEP_WORK_MS;
      }),
  });
  return { v, inbox, buffer, steps };
}

describe('IntakeBuffer drain while a burst lasts', () => {
  it('rests_four_step_lengths_between_steps_while_deliveries_arrive_and_drains_back_to_back_after', async () => {
    const { v, inbox, buffer, steps } = tank(500);
    buffer.start();
    // A delivery arrives: the node is busy taking in a burst.
    await buffer.submit({ key: 'live', atMs: v.nowMs(), drafts: [fix(500)] });
    await turns(20);
    expect(steps.length, 'the first step ran at once').toBe(1);
    v.advance(4 * STEP_WORK_MS - 1);
    await turns(20);
    expect(steps.length, 'then the drain rests four times the step it took').toBe(1);
    v.advance(1);
    await turns(20);
    expect(steps.length).toBe(2);
    // No delivery for longer than the busy window: the rest of the tank drains without resting.
    v.advance(300);
    await turns(60);
    expect(steps.map((s) => s.drafts.length).reduce((a, b) => a + b, 0), 'all 501 waiting positions drained').toBe(501);
    expect(steps.flatMap((s) => s.drafts.map((d) => (d.payload as { fix_ms: number }).fix_ms - 1_700_000_000_000))).toEqual(Array.from({ length: 501 }, (_, i) => i));
    expect(inbox.inboxDepth()).toBe(0);
    buffer.stop();
  });
});
