// PROVES: the author-by-peer matrix tells who lacks what from the frontiers peers last told: in
//         a chain a - b - c, c's feed is relayed at a; cut off, b's column is unknown, healed it
//         is even again; a peer ahead or behind shows by how much, an in-sync peer holds what this
//         node holds. The peers rows count bytes both ways, and what one end sent over a memory
//         link is exactly what the other end received.
// CATCHES: a matrix that marks every feed even, calls a relayed feed direct, or byte counters that
//          count one side twice or miss the sync's own frames.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { KINDS } from '../../src/core/events/kinds';
import { MemoryNetwork } from '../../src/node/transports/memory';
import { peerMatrix } from '../../src/node/replication/peer-matrix';
import { identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

const position = (truck: string, i: number) => ({ kind: KINDS.truckPosition, payload: { truck, fix_ms: 1_700_000_000_000 + i * 60_000, lat_e6: 1_000_000 + i * 100, lon_e6: 36_000_000, speed_kmh: 40, heading_deg: 90 } });

describe('who lacks what', () => {
  const nodes: SimNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
  });

  it('a_relayed_feed_and_a_peer_ahead_show_in_the_matrix_and_bytes_match_both_ends', async () => {
    const scheduler = new VirtualScheduler();
    const net = new MemoryNetwork({ scheduler, seed: 5 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => simNode(n, scheduler, [net.transport(n)])));
    nodes.push(a!, b!, c!);
    net.connect('a', 'b');
    net.connect('b', 'c');
    c!.node.writer.append([position('KBT-1', 1), position('KBT-1', 2)]);
    scheduler.advance(20_000);

    const ca = identity('c').author;
    let m = a!.node.api.peerMatrix();
    const feed = (author: string) => m.feeds.findIndex((f) => f.author === author);
    expect(m.peers.map((p) => p.name)).toEqual(['b']);
    expect(m.feeds[feed(identity('a').author)]).toMatchObject({ hops: 0 });
    expect(m.feeds[feed(identity('b').author)]).toMatchObject({ name: 'b', hops: 1 });
    expect(m.feeds[feed(ca)], 'c never linked with a: its feed came through b').toMatchObject({ name: 'c', hops: null, held: 3 });
    expect(m.cells.every((row, f) => row[0] === m.feeds[f]!.held), 'in sync: b holds what a holds').toBe(true);

    const rowsNow = () => ({ ab: a!.node.replicator.peerRows().find((r) => r.name === 'b')!, ba: b!.node.replicator.peerRows().find((r) => r.name === 'a')! });
    const before = rowsNow();
    expect(before.ab.bytesSent).toBeGreaterThan(0);
    expect(before.ab.bytesReceived).toBeGreaterThan(0);
    // Nothing is received that was not sent, and what was sent arrives (frames take 1-5 ms).
    expect(before.ab.bytesSent).toBeGreaterThanOrEqual(before.ba.bytesReceived);
    expect(before.ba.bytesSent).toBeGreaterThanOrEqual(before.ab.bytesReceived);
    scheduler.advance(10);
    const landed = rowsNow();
    expect(landed.ba.bytesReceived, 'what a sent b, b received').toBeGreaterThanOrEqual(before.ab.bytesSent);
    expect(landed.ab.bytesReceived, 'what b sent a, a received').toBeGreaterThanOrEqual(before.ba.bytesSent);

    // Cut a off; c writes more; b takes it. a still knows b's last frontier only once a link is back.
    net.partition([['a'], ['b', 'c']]);
    c!.node.writer.append([position('KBT-1', 3), position('KBT-1', 4), position('KBT-1', 5)]);
    scheduler.advance(20_000);
    m = a!.node.api.peerMatrix();
    expect(m.peers).toEqual([expect.objectContaining({ name: 'b', connected: false })]);
    expect(m.cells[feed(ca)]![0], 'no link: what b holds is not known').toBeNull();

    net.heal();
    scheduler.advance(20_000);
    m = a!.node.api.peerMatrix();
    expect(m.feeds[feed(ca)]!.held).toBe(6);
    expect(m.cells[feed(ca)]![0]).toBe(6);

    // Bytes each way, over both links they have had: the counts grew, and only frames in flight
    // when the partition cut the link (sent, never received) may differ.
    const after = rowsNow();
    expect(after.ab.bytesReceived).toBeGreaterThan(before.ab.bytesReceived);
    for (const [sent, received] of [
      [after.ab.bytesSent, after.ba.bytesReceived],
      [after.ba.bytesSent, after.ab.bytesReceived],
    ] as const) {
      expect(sent).toBeGreaterThanOrEqual(received);
      expect(sent - received).toBeLessThan(200);
    }
  });

  it('a_peer_ahead_behind_in_sync_or_silent_reads_as_such', () => {
    const head = (seq: number) => ({ seq, id: '0'.repeat(64), hlc: { wall: 0, counter: 0 } });
    const [me, p, q, r, far] = ['1', '2', '3', '4', '5'].map((d) => d.repeat(64)) as [string, string, string, string, string];
    const ours = new Map([
      [me, head(4)],
      [far, head(10)],
    ]);
    const peers = [
      { node: p, name: 'ahead', connected: true, heads: new Map([[far, 12], [me, 4], [p, 3]]) },
      { node: q, name: 'behind', connected: true, heads: new Map([[far, 7]]) },
      { node: r, name: 'even', connected: true, heads: 'in_sync' as const },
      { node: '6'.repeat(64), name: 'silent', connected: true, heads: null },
    ];
    const m = peerMatrix([me], ours, peers, { nameOf: (a) => (a === far ? 'camp-far' : null), reportFeedOf: () => null });
    expect(m.peers.map((x) => x.name)).toEqual(['ahead', 'behind', 'even', 'silent']);
    expect(m.feeds.map((f) => [f.name, f.hops, f.held])).toEqual([
      ['11111111', 0, 4],
      ['ahead', 1, 0],
      ['camp-far', null, 10],
    ]);
    expect(m.cells).toEqual([
      [4, 0, 4, null],
      [3, 0, 0, null],
      [12, 7, 10, null],
    ]);
  });
});
