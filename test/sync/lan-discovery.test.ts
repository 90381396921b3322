// PROVES: two nodes on a LAN find each other by multicast announcements and sync over TCP with
//         no addresses given, forming exactly one connection per pair; announcements that are
//         not Mandala's are ignored.
// CATCHES: discovery that never connects, or connects twice (both sides dialling).
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { MonotonicClock } from '../../src/core/clock/clock';
import { RealScheduler } from '../../src/node/clock/real-scheduler';
import { SystemClock } from '../../src/node/clock/system-clock';
import { decodeAnnouncement, encodeAnnouncement, LanDiscovery } from '../../src/node/transports/lan/discovery';
import { LanTransport } from '../../src/node/transports/lan/lan-transport';
import { identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';
import { waitFor } from '../support/wait';

const PORT = 17_000 + (process.pid % 1000);

/** Multicast may be off in some sandboxes: find out instead of assuming. */
async function multicastWorks(): Promise<boolean> {
  const s = createSocket({ type: 'udp4', reuseAddr: true });
  return new Promise((resolve) => {
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      s.close();
      resolve(ok);
    };
    s.on('message', (m) => m.toString() === 'probe' && finish(true));
    s.on('error', () => finish(false));
    s.bind(PORT + 1, () => {
      try {
        s.addMembership('239.255.74.20');
        s.setMulticastLoopback(true);
        s.send('probe', PORT + 1, '239.255.74.20');
      } catch {
        finish(false);
      }
    });
    setTimeout(() => finish(false), 1500);
  });
}

const canMulticast = await multicastWorks();
if (!canMulticast) console.log('[lan discovery] skipped: this machine does not deliver multicast to itself; discovery needs a LAN that does');

it('announcements_round_trip_and_foreign_datagrams_are_ignored', () => {
  const a = encodeAnnouncement(identity('x').author, 7420, 'camp-x');
  expect(decodeAnnouncement(a)).toEqual({ node: identity('x').author, port: 7420, name: 'camp-x' });
  expect(decodeAnnouncement(new TextEncoder().encode('M-SEARCH * HTTP/1.1'))).toBeNull();
  expect(decodeAnnouncement(a.subarray(0, a.length - 1))).toBeNull();
});

describe.runIf(canMulticast)('LAN discovery', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('two_nodes_find_each_other_and_sync_with_one_connection', async () => {
    const scheduler = new RealScheduler(new MonotonicClock(new SystemClock()));
    const nodes: SimNode[] = [];
    for (const name of ['lan-east', 'lan-west']) {
      const lan = new LanTransport({ scheduler, listen: { host: '0.0.0.0', port: 0 }, keyPair: identity(name).handshakeKeyPair() });
      const node = await simNode(name, scheduler, [lan], { pushThrottleMs: 50 });
      const d = new LanDiscovery({
        scheduler,
        self: node.node.self,
        name,
        syncPort: lan.boundPort,
        port: PORT,
        everyMs: 250,
        dial: (hp) => lan.dialOnce(hp),
        connected: (peer, host) => node.node.replicator.peers.isConnected(peer) || lan.hasLinkTo(host),
      });
      await d.start();
      cleanup.push(async () => {
        await d.stop();
        await node.close();
      });
      nodes.push(node);
    }
    const [east, west] = nodes as [SimNode, SimNode];
    east.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R-1', text: 'found you' } }]);
    await waitFor(() => west.store.head(east.node.self)?.seq === east.store.head(east.node.self)?.seq, 'west to hold east\'s feed', 15_000);
    await waitFor(() => east.node.replicator.peerRows().some((r) => r.name === 'lan-west' && r.connected), 'east to list west', 10_000);
    const rows = east.node.replicator.peerRows().filter((r) => r.name === 'lan-west');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.links).toHaveLength(1);
  });
});
