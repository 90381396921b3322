// PROVES: two copies of one identity that each signed a different event at the same seq (a fork
//         of equal length, invisible to a frontier of seqs) are caught when they meet another
//         node: equal frontiers with different digests make both sides compare heads, each head
//         proves its side, the fork is kept as evidence and the feed quarantined; after that the
//         nodes agree they are in sync instead of retrying forever. Over LAN sessions and over a
//         radio neighbourhood alike.
// CATCHES: a fork that no node records because both histories have the same length.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { bytesEqual } from '../../src/core/encoding/bytes';
import { RfChannel } from '../../src/lab/radio-sim/rf-channel';
import { VirtualRadioPort } from '../../src/lab/radio-sim/virtual-radio';
import { LoraTransport } from '../../src/node/transports/lora/lora-transport';
import { MemoryNetwork } from '../../src/node/transports/memory';
import { identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

describe('forks of equal length', () => {
  const nodes: SimNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
  });

  it('a_node_meeting_both_copies_of_an_identity_catches_the_fork_and_both_settle_in_sync', async () => {
    const scheduler = new VirtualScheduler();
    const net = new MemoryNetwork({ scheduler, seed: 3, latencyMs: [5, 30], loss: 0 });
    const twin = identity('twin');
    const first = await simNode('twin-1', scheduler, [net.transport('twin-1')], { identity: twin, name: 'twin' });
    const second = await simNode('twin-2', scheduler, [net.transport('twin-2')], { identity: twin, name: 'twin' });
    const camp = await simNode('camp', scheduler, [net.transport('camp')]);
    nodes.push(first, second, camp);
    // Each copy signs its own seq 2 (both wrote the same profile as seq 1).
    first.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R-1', text: 'from copy one' } }]);
    second.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R-1', text: 'from copy two' } }]);
    expect(first.store.head(twin.author)!.seq).toBe(second.store.head(twin.author)!.seq);
    expect(first.store.head(twin.author)!.id).not.toBe(second.store.head(twin.author)!.id);

    net.connect('twin-1', 'camp');
    scheduler.runUntil(() => camp.store.head(twin.author)?.seq === 2, 60_000);
    expect(camp.store.head(twin.author)?.id).toBe(first.store.head(twin.author)!.id);
    net.connect('twin-2', 'camp');
    scheduler.runUntil(() => camp.store.quarantined().length > 0, 120_000);

    expect(camp.store.quarantined(), 'the node that met both copies quarantines the feed').toEqual([twin.author]);
    expect(camp.store.forks()[0]).toMatchObject({ author: twin.author, seq: 2, complete: true });
    expect(camp.node.problems.list().map((p) => p.code)).toContain('fork_detected');
    // Both sides stop disagreeing: the frozen feed is out of the sync view on both.
    scheduler.runUntil(() => second.store.quarantined().length > 0, 120_000);
    scheduler.advance(30_000);
    expect(bytesEqual(camp.node.replicator.digest(), second.node.replicator.digest()), 'the second copy and the camp agree they are in sync').toBe(true);
    const row = camp.node.replicator.peerRows().find((r) => r.connected && r.inSync);
    expect(row, 'the peers table shows them in sync').toBeDefined();
    // The copy that learned its own identity forked says so, and writes nothing more to that feed.
    expect(second.node.problems.list().find((p) => p.code === 'own_feed_forked')?.message).toMatch(/another machine is signing as this node/);
    const [refused] = second.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R-1', text: 'more' } }]);
    expect(refused).toMatchObject({ ok: false, code: 'own_feed_quarantined' });
  });

  it('over_a_radio_the_neighbourhood_catches_an_equal_length_fork_too', async () => {
    const scheduler = new VirtualScheduler();
    const channel = new RfChannel(scheduler, { loss: 0, seed: 4 });
    const params = { frequencyHz: 868_100_000, bwHz: 500_000, sf: 7, cr: 5 };
    const near = { rssiDbm: -85, snrDb: 8 };
    const radio = (i: number, self: string) => new LoraTransport({ radio: new VirtualRadioPort(i, channel, scheduler, params), scheduler, self, dutyCyclePct: 100 });
    const twin = identity('radio-twin');
    // The camp heard copy one earlier over the LAN; now copy two is its radio neighbour.
    const net = new MemoryNetwork({ scheduler, seed: 5, latencyMs: [5, 10], loss: 0 });
    const camp = await simNode('radio-camp', scheduler, [net.transport('camp'), radio(0, identity('radio-camp').author)]);
    nodes.push(camp);
    const firstCopy = await simNode('radio-twin-1b', scheduler, [net.transport('one')], { identity: twin, name: 'twin' });
    nodes.push(firstCopy);
    firstCopy.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R-9', text: 'one' } }]);
    net.connect('one', 'camp');
    scheduler.runUntil(() => camp.store.head(twin.author)?.seq === 2, 60_000);
    const secondCopy = await simNode('radio-twin-2b', scheduler, [radio(1, twin.author)], { identity: twin, name: 'twin' });
    nodes.push(secondCopy);
    secondCopy.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R-9', text: 'two' } }]);
    channel.setReach(0, 1, near);
    channel.setReach(1, 0, near);
    scheduler.runUntil(() => camp.store.quarantined().length > 0, 30 * 60_000, 1000);
    expect(camp.store.quarantined()).toEqual([twin.author]);
    expect(camp.store.forks()[0]).toMatchObject({ author: twin.author, seq: 2 });
  });
});
