// PROVES: nodes on a lossy, partitioned mesh converge once it heals: every node ends with the same
//         frontier digest, the same projection hashes and byte-identical views, including events
//         from authors they never met (store-and-forward relay).
// CATCHES: sync that stalls after loss, forgets to relay other authors' feeds, or folds the same
//          events into different state on different nodes.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { toHex } from '../../src/core/encoding/bytes';
import { projectionHashes } from '../../src/core/projections/set';
import { stableJson } from '../../src/node/api/dto';
import { MemoryNetwork } from '../../src/node/transports/memory';
import { crypto } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

const NAMES = ['base', 'camp-n', 'camp-s', 'relay', 'kit-1', 'kit-2'];
const WIRES: [string, string][] = [
  ['base', 'relay'],
  ['relay', 'camp-n'],
  ['relay', 'camp-s'],
  ['camp-n', 'kit-1'],
  ['camp-s', 'kit-2'],
  ['base', 'camp-s'],
];

describe('mesh simulation', () => {
  const nodes: SimNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
  });

  function digests(): string[] {
    return nodes.map((n) => toHex(n.node.replicator.digest()));
  }

  it('partitioned_nodes_converge_after_heal_with_loss_and_relay', async () => {
    const scheduler = new VirtualScheduler();
    const net = new MemoryNetwork({ scheduler, seed: 11, latencyMs: [5, 120], loss: 0.05, queueLimit: 16 });
    for (const name of NAMES) nodes.push(await simNode(name, scheduler, [net.transport(name)]));
    for (const [a, b] of WIRES) net.connect(a, b);
    const byName = (n: string) => nodes.find((x) => x.name === n)!;

    // Phase 1: the field splits in two; both sides keep writing, including the same field.
    net.partition([['base', 'relay', 'camp-n', 'kit-1'], ['camp-s', 'kit-2']]);
    for (let round = 0; round < 20; round++) {
      byName('kit-1').node.writer.append([{ kind: 'truck.position', payload: { truck: 'T-1', fix_ms: scheduler.nowMs(), lat_e6: 1_000_000 + round * 500, lon_e6: 37_000_000, speed_kmh: 50 } }]);
      byName('kit-2').node.writer.append([{ kind: 'truck.position', payload: { truck: 'T-2', fix_ms: scheduler.nowMs(), lat_e6: -1_000_000 - round * 500, lon_e6: 36_000_000, speed_kmh: 55 } }]);
      if (round % 5 === 0) {
        byName('camp-n').node.writer.append([{ kind: 'field.set', payload: { record_id: 'R-1', field: 'status', value: `north-${round}` } }]);
        byName('camp-s').node.writer.append([{ kind: 'field.set', payload: { record_id: 'R-1', field: 'status', value: `south-${round}` } }]);
      }
      scheduler.advance(700);
    }
    scheduler.advance(20_000);
    expect(new Set(digests()).size, 'two partitions cannot agree').toBeGreaterThan(1);

    // Phase 2: heal. Everyone must converge.
    net.heal();
    const took = scheduler.runUntil(() => new Set(digests()).size === 1, 300_000, 100);
    expect(new Set(digests()).size, `not converged after ${took} ms of virtual time`).toBe(1);

    const expectedEvents = nodes.reduce((n, x) => n + (x.store.head(x.node.self)?.seq ?? 0), 0);
    for (const n of nodes) expect(n.store.eventCount()).toBe(expectedEvents);
    const hashes = nodes.map((n) => JSON.stringify(projectionHashes(n.node.live.state.projections, crypto)));
    expect(new Set(hashes).size).toBe(1);
    const views = nodes.map((n) => stableJson(n.node.live.state.projections.records.view()) + stableJson(n.node.live.state.projections.fleet.view()));
    expect(new Set(views).size).toBe(1);
    // kit-1 never shares a link with kit-2, yet each holds the other's feed.
    expect(byName('kit-1').store.head(byName('kit-2').node.self)?.seq).toBe(byName('kit-2').store.head(byName('kit-2').node.self)?.seq);
    for (const n of nodes) expect(n.store.verifyChains().problems).toEqual([]);
  });
});

describe('resumable sync', () => {
  const nodes: SimNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
  });

  it('a_link_that_drops_mid_batch_resumes_where_it_stopped', async () => {
    const scheduler = new VirtualScheduler();
    // A slow link (small messages, few in flight) so the catch-up takes many round trips.
    const net = new MemoryNetwork({ scheduler, seed: 4, latencyMs: [20, 40], queueLimit: 2, mtu: 16 * 1024 });
    const source = await simNode('source', scheduler, [net.transport('source')]);
    const sink = await simNode('sink', scheduler, [net.transport('sink')]);
    nodes.push(source, sink);
    for (let i = 0; i < 20; i++) source.node.writer.append(Array.from({ length: 100 }, (_, k) => ({ kind: 'note.add', payload: { record_id: 'R', text: `note ${i * 100 + k}` } })));
    const total = source.store.head(source.node.self)!.seq;
    const held = () => sink.store.head(source.node.self)?.seq ?? 0;
    net.connect('source', 'sink');
    scheduler.runUntil(() => held() > total / 3, 60_000, 5);
    expect(held(), 'the link dropped mid-batch').toBeLessThan(total);
    net.partition([['source'], ['sink']]);
    scheduler.advance(5000);
    net.heal();
    scheduler.runUntil(() => held() === total, 120_000, 10);
    expect(held()).toBe(total);
    const sent = source.node.replicator.peerRows().find((r) => r.name === 'sink')!.eventsSent;
    // Everything was sent about once: the second session started from what the sink held.
    expect(sent).toBeLessThan(total * 1.2);
  });
});
