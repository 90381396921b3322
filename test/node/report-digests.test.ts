// PROVES: a node started on a store without a checkpoint makes its fleet's truck digests in the
//         background (a few ms at a time on its scheduler) until none is missing, and a
//         Consistent fleet report made after that has the output hash a fresh fold of the store
//         gives, and verifies.
// CATCHES: a warm-up that never runs or never finishes (the first report after every start
//          would re-hash the whole season), and digests made in the background that drift
//          from the fold they describe.
import { afterEach, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { LiveState } from '../../src/core/live/live-state';
import { projectionOutputHash } from '../../src/core/projections/projection';
import { signedRuns } from '../../src/lab/bench/fixtures';
import { crypto } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

const nodes: SimNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

it('a_node_makes_its_report_digests_in_the_background_and_its_next_report_is_a_fresh_folds', async () => {
  const scheduler = new VirtualScheduler();
  const n = await simNode('digests', scheduler, [], {}, (store) => store.ingest(signedRuns(crypto, 6, 400, 100), 0));
  nodes.push(n);
  const fleet = () => n.node.live.state.projections.fleet;
  expect(fleet().truckIds().length, 'trucks to digest').toBeGreaterThan(5);
  let ticks = 0;
  while (fleet().prepareHash(crypto, () => false) > 0) {
    expect(ticks++, 'the background work finishes').toBeLessThan(400);
    scheduler.advance(50);
  }
  expect(ticks, 'the digests were not all made at start').toBeGreaterThan(0);
  const made = await n.node.evidence.create('fleet', { kind: 'consistent' });
  const fresh = LiveState.open(n.store, crypto);
  expect(made.report.body.outputHash).toBe(projectionOutputHash(fresh.projections.fleet, crypto));
  const verdict = await n.node.evidence.verify(made.report);
  expect(verdict).toMatchObject({ verdict: 'valid', code: 'ok' });
});
