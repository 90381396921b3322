// PROVES: a peer that sends garbage bytes, an unknown message, a forged batch signature or a
//         broken chain gets each refused with a reason code; the link stays up, other feeds in the
//         same conversation still land, the refusal is reported back to the peer and shown in the
//         frontier table.
// CATCHES: a node that crashes, drops the connection, or blocks honest feeds because of one bad one.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { encodeCanonical } from '../../src/core/encoding/canonical';
import { signHead } from '../../src/core/feed/head';
import { CodecV1 } from '../../src/core/sync/codec-v1';
import type { SyncMessage } from '../../src/core/sync/messages';
import type { Link } from '../../src/core/sync/transport';
import { MemoryNetwork } from '../../src/node/transports/memory';
import { crypto, FeedBuilder, identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

describe('bad input from a peer', () => {
  const nodes: SimNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
  });

  it('forged_and_malformed_input_is_refused_with_codes_and_the_link_survives', async () => {
    const scheduler = new VirtualScheduler();
    const net = new MemoryNetwork({ scheduler, seed: 3 });
    const victim = await simNode('victim', scheduler, [net.transport('victim')]);
    nodes.push(victim);
    const mallory = net.transport('mallory');
    await mallory.start();
    let link: Link | null = null;
    mallory.events.on('link', (l) => (link = l));
    net.connect('victim', 'mallory');
    const codec = new CodecV1(crypto);
    const heard: SyncMessage[] = [];
    link!.events.on('message', (b) => {
      const d = codec.decode(b);
      if (d.ok && d.message) heard.push(d.message);
    });
    const send = (m: SyncMessage) => link!.send(codec.encode(m));

    send({ type: 'hello', node: identity('mallory').author, name: 'mallory', protocol: 1 });
    link!.send(new Uint8Array([0xff, 0x00, 0x13, 0x37])); // garbage
    link!.send(encodeCanonical({ t: 'teleport', x: 1 })); // unknown message type
    const honest = new FeedBuilder('honest');
    honest.addMany(3);
    const victimOfForgery = new FeedBuilder('victim-of-forgery');
    victimOfForgery.addMany(2);
    const forgedSig = signHead(identity('mallory'), victimOfForgery.author, 2, victimOfForgery.events[1]!.id);
    send({ type: 'run', author: victimOfForgery.author, events: victimOfForgery.events, sig: forgedSig });
    send({ type: 'run', author: honest.author, events: honest.events, sig: honest.sig(3) });
    scheduler.advance(2000);

    const store = victim.store;
    expect(store.head(honest.author)?.seq, 'the honest feed lands despite the forged one').toBe(3);
    expect(store.head(victimOfForgery.author)).toBeNull();
    expect(link!.closed).toBe(false);
    const refusals = heard.filter((m) => m.type === 'refuse');
    expect(refusals).toEqual([{ type: 'refuse', author: victimOfForgery.author, seq: 2, code: 'bad_signature' }]);
    const row = victim.node.replicator.peerRows().find((r) => r.name === 'mallory')!;
    expect(row.problems.map((p) => p.code).sort()).toEqual(['bad_signature', 'unknown_message_type', 'unsupported_cbor']);
    expect(row.problems.find((p) => p.code === 'bad_signature')!.message).toMatch(/mallory.*forged/);
    expect(row.connected).toBe(true);
  });

  it('a_peer_flooding_unauthenticated_events_is_cut_off_and_the_buffer_stays_bounded', async () => {
    const scheduler = new VirtualScheduler();
    const net = new MemoryNetwork({ scheduler, seed: 4 });
    const victim = await simNode('flood-victim', scheduler, [net.transport('flood-victim')], { linkBudget: { maxBuffered: 500, maxRefusalsPerMinute: 50 } });
    nodes.push(victim);
    const flooder = net.transport('flooder');
    await flooder.start();
    let link: Link | null = null;
    flooder.events.on('link', (l) => (link = l));
    net.connect('flood-victim', 'flooder');
    const codec = new CodecV1(crypto);
    link!.send(codec.encode({ type: 'hello', node: identity('flooder').author, name: 'flooder', protocol: 1 }));
    // Twenty never-signed feeds, a hundred events each: nothing authenticates them, so they can only wait.
    for (let k = 0; k < 20 && !link!.closed; k++) {
      const feed = new FeedBuilder(`flood-${k}`);
      feed.addMany(100);
      link!.send(codec.encode({ type: 'run', author: feed.author, events: feed.events, sig: null }));
      scheduler.advance(50);
    }
    scheduler.advance(1000);
    expect(link!.closed, 'the flooding link is closed').toBe(true);
    expect(victim.store.pendingCount(), 'what waits is bounded by the budget (plus the run that crossed it)').toBeLessThanOrEqual(600);
    expect(victim.store.eventCount(), 'nothing unauthenticated was applied').toBe(victim.store.head(victim.node.self)!.seq);
    const problems = victim.node.replicator.peerRows().flatMap((r) => r.problems.map((p) => p.code));
    expect(problems).toContain('over_budget');
  });
});
