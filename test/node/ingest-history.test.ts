// PROVES: the ingest history turns running totals into per-second rates per source (vendors,
//         phones, GPS, peers), keeps the inbox depth and loop delay as they were, and keeps
//         only its last `keep` samples.
// CATCHES: rates off by the interval, a source that vanishes from the chart, unbounded memory.
import { expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { IngestHistory } from '../../src/node/health/ingest-history';

it('rates_per_source_levels_and_a_bounded_history', () => {
  const scheduler = new VirtualScheduler();
  const totals = { bySource: new Map<string, number>(), shed: 0, inbox: 0, drained: 0, gps: 0, peers: 0, loop: 3 };
  const history = new IngestHistory(
    scheduler,
    { bySource: () => totals.bySource, shed: () => totals.shed, inbox: () => totals.inbox, drained: () => totals.drained, gpsFixes: () => totals.gps, peerEvents: () => totals.peers, loopP99Ms: () => totals.loop },
    5000,
    3,
  );
  history.start();
  totals.bySource.set('vendor acme', 500).set('phones', 25);
  totals.shed = 10;
  totals.inbox = 1204;
  totals.drained = 400;
  totals.gps = 1;
  totals.peers = 50;
  totals.loop = 31.26;
  scheduler.advance(5000);
  expect(history.history().samples).toEqual([
    { atMs: scheduler.nowMs(), acceptedPerS: 105, shedPerS: 2, inbox: 1204, drainedPerS: 80, loopP99Ms: 31.3, bySource: { 'vendor acme': 100, phones: 5, gps: 0.2, peers: 10 } },
  ]);
  for (let i = 0; i < 4; i++) scheduler.advance(5000);
  expect(history.history().samples).toHaveLength(3);
  expect(history.history().samples.at(-1)).toMatchObject({ acceptedPerS: 0, bySource: {} });
  history.stop();
});
