// PROVES: over real LAN sockets and the Noise handshake, a node in a fleet syncs with admitted
//         members only: a stranger is refused (not_in_fleet when it is an open node or of another
//         fleet, not_admitted when it joined but was never admitted) and never listed as a fleet
//         peer; an open node whose key an admin admitted by mistake still gets nothing, a
//         stranger claiming a member's id is caught by the key it proved (identity_mismatch), a
//         member relaying a stranger's feed or an unknown kind has them refused with codes, and a
//         revocation replicates: the revoked node's new events are refused by the whole fleet.
// CATCHES: anyone who can reach the sync port writing to the fleet; a peer row that belongs to
//          someone other than the key behind it.
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Hlc } from '../../src/core/clock/hlc';
import { toHex } from '../../src/core/encoding/bytes';
import type { FeedStore } from '../../src/core/store/feed-store';
import type { LocalDraft } from '../../src/core/store/feed-log';
import { LocalWriter } from '../../src/node/writing/local-writer';
import { genesisMessage } from '../../src/core/fleet/membership';
import { CodecV1 } from '../../src/core/sync/codec-v1';
import type { Link } from '../../src/core/sync/transport';
import { realTime } from '../../src/node/clock/real-scheduler';
import { LanTransport } from '../../src/node/transports/lan/lan-transport';
import { crypto, FeedBuilder, identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';
import { waitFor } from '../support/wait';

function newFleet(adminLabel: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const fleetId = toHex(new Uint8Array(der.subarray(der.length - 32)));
  const admin = identity(adminLabel).author;
  return { fleetId, genesis: { kind: 'fleet.genesis', payload: { fleet: fleetId, admin, name: 'relief', sig: new Uint8Array(sign(null, genesisMessage(fleetId, admin, 'relief'), privateKey)) } } };
}

describe('a fleet over the LAN', () => {
  const nodes: SimNode[] = [];
  const transports: LanTransport[] = [];
  afterEach(async () => {
    for (const t of transports.splice(0)) await t.stop();
    for (const n of nodes.splice(0)) await n.close();
  });

  async function member(label: string, fleetId: string | null, opts: { listen?: boolean; genesis?: LocalDraft } = {}): Promise<{ sim: SimNode; lan: LanTransport }> {
    const scheduler = realTime();
    const lan = new LanTransport({ scheduler, keyPair: identity(label).handshakeKeyPair(), ...(opts.listen ? { listen: { host: '127.0.0.1', port: 0 } } : {}) });
    // A fleet's genesis is its first admin's first event: written before the node starts.
    const writeGenesis = opts.genesis ? (store: FeedStore) => void new LocalWriter({ store, identity: identity(label), clock: scheduler, hlc: new Hlc(scheduler) }).append([opts.genesis!]) : undefined;
    const sim = await simNode(label, scheduler, [lan], { fleetId, gossipEveryMs: 300, pushThrottleMs: 20 }, writeGenesis);
    nodes.push(sim);
    transports.push(lan);
    return { sim, lan };
  }

  it('strangers_are_refused_impostors_caught_and_only_admitted_feeds_and_known_kinds_stored', async () => {
    const { fleetId, genesis } = newFleet('fleet-hq');
    const hq = await member('fleet-hq', fleetId, { listen: true, genesis });
    expect(hq.sim.node.membership!.isAdmin(hq.sim.node.self), 'the hq founded the fleet').toBe(true);
    const address = `127.0.0.1:${hq.lan.boundPort}`;
    const camp = identity('fleet-camp').author;
    hq.sim.node.writer.append([{ kind: 'fleet.admit', payload: { fleet: fleetId, node: camp, role: 'member' } }]);

    // A stranger that joined the fleet but was never admitted: refused, and not listed as a fleet peer.
    const stranger = await member('fleet-stranger', fleetId);
    stranger.sim.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R', text: 'let me in' } }]);
    await stranger.lan.dial(address);
    await waitFor(() => hq.sim.node.problems.list().some((p) => p.code === 'peer_not_admitted'), 'the hq to refuse the stranger');
    expect(hq.sim.store.head(stranger.sim.node.self), 'nothing of the stranger is stored').toBeNull();
    expect(hq.sim.node.replicator.peerRows().filter((r) => r.connected && r.fleet !== 'outside').map((r) => r.name)).not.toContain('fleet-stranger');
    await waitFor(() => stranger.sim.node.problems.list().some((p) => p.code === 'refused_by_peer'), 'the stranger to hear why');
    expect(stranger.sim.node.problems.list().find((p) => p.code === 'refused_by_peer')!.message).toMatch(/not admitted to its fleet.*mandala admit/);

    // An impostor: proves its own key, claims the camp's id.
    const impostorLan = new LanTransport({ scheduler: realTime(), keyPair: identity('fleet-impostor').handshakeKeyPair() });
    transports.push(impostorLan);
    const link: Link = await impostorLan.dial(address);
    const codec = new CodecV1(crypto);
    link.send(codec.encode({ type: 'hello', node: camp, name: 'camp', protocol: 1 }));
    await waitFor(() => link.closed, 'the hq to close the impostor');
    expect(hq.sim.node.problems.list().find((p) => p.code === 'identity_mismatch')?.message).toMatch(/claimed to be node/);

    // The admitted camp syncs; it also relays a stranger's feed and an unknown kind by an admitted author.
    const campNode = await member('fleet-camp', fleetId);
    const kit = new FeedBuilder('fleet-kit');
    kit.add('totally.new.kind', { x: 1 });
    hq.sim.node.writer.append([{ kind: 'fleet.admit', payload: { fleet: fleetId, node: kit.author, role: 'member' } }]);
    const relayOpen = await member('fleet-open-relay', null);
    relayOpen.sim.store.ingest([kit.run(1, 1)], 0); // an open node stores any kind
    campNode.sim.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R', text: 'from the camp' } }]);
    await campNode.lan.dial(address);
    await waitFor(() => hq.sim.store.head(camp)?.seq === campNode.sim.store.head(camp)?.seq, 'the camp feed at the hq');
    await waitFor(() => campNode.sim.store.head(hq.sim.node.self)?.seq === hq.sim.store.head(hq.sim.node.self)?.seq, 'the hq feed at the camp');
    const hqRow = hq.sim.node.replicator.peerRows().find((r) => r.node === camp)!;
    expect(hqRow).toMatchObject({ connected: true, verified: true, fleet: 'member', name: 'fleet-camp' });

    // The open relay is not admitted: it cannot push the kit's unknown kind to the hq.
    await relayOpen.lan.dial(address);
    await waitFor(() => hq.sim.node.problems.list().some((p) => p.code === 'peer_not_in_fleet'), 'the open relay refused too');
    expect(hq.sim.store.head(kit.author)).toBeNull();
    // Through the admitted camp, the unknown kind is refused with a code.
    const outcome = campNode.sim.node.writer.ingest([kit.run(1, 1)], null);
    expect(outcome.rejections.map((r) => r.code), 'a node of the fleet refuses an unknown kind').toEqual(['unknown_kind']);
    expect(campNode.sim.store.head(kit.author)).toBeNull();
    const strangerFeed = new FeedBuilder('fleet-stranger');
    strangerFeed.addMany(2);
    expect(campNode.sim.node.writer.ingest([strangerFeed.run(1, 2)], null).rejections.map((r) => r.code), 'and a stranger\'s feed').toEqual(['not_admitted']);
  });

  it('an_open_node_admitted_by_mistake_and_a_node_of_another_fleet_get_nothing_and_hear_why', async () => {
    const { fleetId, genesis } = newFleet('fleet-hq3');
    const hq = await member('fleet-hq3', fleetId, { listen: true, genesis });
    const address = `127.0.0.1:${hq.lan.boundPort}`;
    hq.sim.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R', text: 'fleet business' } }]);
    // An open node (plain init), whose key an admin admitted: it would store the fleet's data and
    // hand it to anyone, so the hq still refuses it.
    const open = await member('fleet-open3', null);
    hq.sim.node.writer.append([{ kind: 'fleet.admit', payload: { fleet: fleetId, node: open.sim.node.self, role: 'member' } }]);
    await open.lan.dial(address);
    await waitFor(() => open.sim.node.problems.list().some((p) => p.code === 'refused_by_peer'), 'the open node to hear it was refused');
    expect(open.sim.node.problems.list().find((p) => p.code === 'refused_by_peer')!.message).toMatch(/this node is open .*mandala init --join FLEET_ID/);
    expect(hq.sim.node.problems.list().find((p) => p.code === 'peer_not_in_fleet')!.message).toMatch(new RegExp(`open node .*mandala init --join ${fleetId}`));
    expect(open.sim.store.head(hq.sim.node.self), 'the open node holds nothing of the fleet').toBeNull();
    expect(hq.sim.store.head(open.sim.node.self)).toBeNull();

    // A node of another fleet (a mistyped --join): refused both ways, and told to check its fleet id.
    const other = newFleet('fleet-other3');
    const foreign = await member('fleet-foreign3', other.fleetId);
    await foreign.lan.dial(address);
    // Each side may be first to see the other's hello; whichever is, the foreign node's log says why.
    const why = () => foreign.sim.node.problems.list().find((p) => p.code === 'refused_by_peer' || p.code === 'peer_not_in_fleet');
    await waitFor(() => why() !== undefined, 'the foreign node to say why the link closed');
    expect(why()!.message).toMatch(/another fleet/);
    expect(foreign.sim.store.head(hq.sim.node.self)).toBeNull();
    expect(hq.sim.store.head(foreign.sim.node.self)).toBeNull();
  });

  it('a_revocation_replicates_and_the_revoked_nodes_new_events_are_refused', async () => {
    const { fleetId, genesis } = newFleet('fleet-hq2');
    const hq = await member('fleet-hq2', fleetId, { listen: true, genesis });
    const camp = await member('fleet-camp2', fleetId);
    const kit = await member('fleet-kit2', fleetId);
    for (const n of [camp, kit]) hq.sim.node.writer.append([{ kind: 'fleet.admit', payload: { fleet: fleetId, node: n.sim.node.self, role: 'member' } }]);
    const address = `127.0.0.1:${hq.lan.boundPort}`;
    await camp.lan.dial(address);
    await kit.lan.dial(address);
    kit.sim.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R', text: 'before' } }]);
    const kitId = kit.sim.node.self;
    await waitFor(() => hq.sim.store.head(kitId)?.seq === kit.sim.store.head(kitId)?.seq && camp.sim.store.head(kitId)?.seq === kit.sim.store.head(kitId)?.seq, 'the kit everywhere');
    const upto = hq.sim.store.head(kitId)!.seq;
    hq.sim.node.writer.append([{ kind: 'fleet.revoke', payload: { fleet: fleetId, node: kitId, upto } }]);
    await waitFor(() => camp.sim.node.membership!.state(kitId)?.revoked !== null && camp.sim.node.membership!.state(kitId) !== null, 'the revocation to reach the camp');
    expect(camp.sim.node.membership!.state(kitId)!.revoked).toEqual({ upto, by: hq.sim.node.self });
    kit.sim.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R', text: 'after' } }]);
    // The revoked kit is refused at the hq (and its link closed); nothing beyond `upto` lands anywhere.
    await waitFor(() => hq.sim.node.problems.list().some((p) => p.code === 'peer_not_admitted'), 'the hq to refuse the revoked kit');
    expect(hq.sim.store.head(kitId)!.seq).toBe(upto);
    expect(camp.sim.store.head(kitId)!.seq).toBe(upto);
    expect(hq.sim.node.replicator.peerRows().find((r) => r.node === kitId)?.fleet).toBe('revoked');
  });
});
