// PROVES: the in-memory transport meets the transport contract, and its partitions close and
// heal links deterministically.
import { expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import type { Link } from '../../src/core/sync/transport';
import { MemoryNetwork } from '../../src/node/transports/memory';
import { runTransportSuite } from './transport-suite';

function harness(queueLimit = 64) {
  const scheduler = new VirtualScheduler();
  const net = new MemoryNetwork({ scheduler, seed: 7, mtu: 64 * 1024, queueLimit });
  const a = net.transport('a');
  const b = net.transport('b');
  return { scheduler, net, a, b };
}

runTransportSuite('memory', async () => {
  const { scheduler, net, a, b } = harness();
  await a.start();
  await b.start();
  return {
    a,
    b,
    linkUp: async () => {
      const got: Link[] = [];
      a.events.on('link', (l) => got.push(l));
      b.events.on('link', (l) => got.push(l));
      net.connect('a', 'b');
      return [got[0]!, got[1]!];
    },
    waitFor: async (cond) => {
      scheduler.runUntil(cond, 60_000, 5);
    },
    teardown: async () => {},
  };
});

it('partition_closes_crossing_links_and_heal_rewires_them', async () => {
  const { net, a, b } = harness();
  await a.start();
  await b.start();
  const links: Link[] = [];
  a.events.on('link', (l) => links.push(l));
  net.connect('a', 'b');
  expect(links).toHaveLength(1);
  net.partition([['a'], ['b']]);
  expect(links[0]!.closed).toBe(true);
  net.heal();
  expect(links).toHaveLength(2);
  expect(links[1]!.closed).toBe(false);
});
