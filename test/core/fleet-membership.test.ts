// PROVES: fleet membership is a fold of signed events: the genesis is honoured only when the
//         fleet key signed it for its own author at seq 1; only admins admit and revoke; a
//         revocation keeps the feed up to its `upto`; any delivery order gives the same members;
//         and the admission policy refuses non-members, revoked tails and unknown kinds with
//         stable codes while letting the first admin's feed in from its genesis.
// CATCHES: a forged genesis taking over a fleet; a member admitting others; membership that
//          depends on arrival order; a node in a fleet storing a stranger's feed.
import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/encoding/bytes';
import type { FeedEvent } from '../../src/core/events/event';
import { FleetAdmissionPolicy } from '../../src/core/fleet/admission-policy';
import { genesisMessage, Membership } from '../../src/core/fleet/membership';
import { crypto, FeedBuilder } from '../support/feeds';

function fleetKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const id = toHex(new Uint8Array(der.subarray(der.length - 32)));
  return { id, sign: (m: Uint8Array) => new Uint8Array(sign(null, m, privateKey)) };
}

function founded() {
  const key = fleetKey();
  const hq = new FeedBuilder('fleet-hq');
  const genesis = hq.add('fleet.genesis', { fleet: key.id, admin: hq.author, name: 'relief', sig: key.sign(genesisMessage(key.id, hq.author, 'relief')) });
  return { key, hq, genesis };
}

const fold = (id: string, events: FeedEvent[]) => {
  const m = new Membership(id, crypto);
  for (const e of events) m.apply(e);
  return m;
};

describe('fleet membership', () => {
  it('the_genesis_names_the_first_admin_only_when_the_fleet_key_signed_it', () => {
    const { key, hq, genesis } = founded();
    expect(fold(key.id, [genesis]).isAdmin(hq.author)).toBe(true);
    // Another key signing a genesis for this fleet id, or a genesis naming someone else, counts for nothing.
    const other = fleetKey();
    const forger = new FeedBuilder('forger');
    const forged = forger.add('fleet.genesis', { fleet: key.id, admin: forger.author, name: 'relief', sig: other.sign(genesisMessage(key.id, forger.author, 'relief')) });
    const m = fold(key.id, [forged]);
    expect(m.founded).toBe(false);
    expect(m.isAdmin(forger.author)).toBe(false);
    const wrongAuthor = forger.add('fleet.genesis', { fleet: key.id, admin: hq.author, name: 'relief', sig: key.sign(genesisMessage(key.id, hq.author, 'relief')) });
    expect(fold(key.id, [wrongAuthor]).founded, 'a genesis is valid only in its admin\'s own feed, at seq 1').toBe(false);
  });

  it('only_admins_admit_and_revoke_and_a_revocation_keeps_the_feed_up_to_its_upto', () => {
    const { key, hq, genesis } = founded();
    const camp = new FeedBuilder('fleet-camp');
    const kit = new FeedBuilder('fleet-kit');
    const admitCamp = hq.add('fleet.admit', { fleet: key.id, node: camp.author, role: 'member' });
    const campAdmitsKit = camp.add('fleet.admit', { fleet: key.id, node: kit.author, role: 'member' });
    let m = fold(key.id, [genesis, admitCamp, campAdmitsKit]);
    expect(m.isActive(camp.author)).toBe(true);
    expect(m.isActive(kit.author), 'a member cannot admit').toBe(false);
    // Stamps as HLCs give them: each writer saw the events before its own.
    const promote = hq.add('fleet.admit', { fleet: key.id, node: camp.author, role: 'admin' }, { wall: 1_800_000_000_000, counter: 0 });
    const campAdmitsKit2 = camp.add('fleet.admit', { fleet: key.id, node: kit.author, role: 'member' }, { wall: 1_800_000_001_000, counter: 0 });
    const revokeKit = hq.add('fleet.revoke', { fleet: key.id, node: kit.author, upto: 7 }, { wall: 1_800_000_002_000, counter: 0 });
    m = fold(key.id, [genesis, admitCamp, campAdmitsKit, promote, campAdmitsKit2, revokeKit]);
    expect(m.isAdmin(camp.author)).toBe(true);
    expect(m.state(kit.author)).toMatchObject({ role: 'member', revoked: { upto: 7, by: hq.author } });
    expect(m.mayHold(kit.author, 7)).toBe(true);
    expect(m.mayHold(kit.author, 8)).toBe(false);
  });

  it('any_delivery_order_gives_the_same_members', () => {
    const { key, hq, genesis } = founded();
    const a = new FeedBuilder('fleet-a');
    const b = new FeedBuilder('fleet-b');
    const events = [
      genesis,
      hq.add('fleet.admit', { fleet: key.id, node: a.author, role: 'admin' }),
      a.add('fleet.admit', { fleet: key.id, node: b.author, role: 'member' }),
      hq.add('fleet.revoke', { fleet: key.id, node: a.author, upto: 1 }),
      b.add('note.add', { record_id: 'R', text: 'x' }),
    ];
    const canonical = JSON.stringify(fold(key.id, events).list());
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), (order) => {
        expect(JSON.stringify(fold(key.id, order).list())).toBe(canonical);
      }),
      { numRuns: 60 },
    );
  });

  it('the_policy_refuses_strangers_revoked_tails_and_unknown_kinds_and_lets_the_first_admin_in', () => {
    const { key, hq, genesis } = founded();
    hq.add('note.add', { record_id: 'R', text: 'from hq' });
    const m = new Membership(key.id, crypto);
    const policy = new FleetAdmissionPolicy(m);
    const none = () => [];
    expect(policy.check(hq.run(1, 2), none), 'the genesis run bootstraps the fleet').toBeNull();
    policy.appended([genesis]);
    const stranger = new FeedBuilder('fleet-stranger');
    stranger.addMany(2);
    expect(policy.check(stranger.run(1, 2), none)).toMatchObject({ code: 'not_admitted' });
    const odd = new FeedBuilder('fleet-odd');
    const admitOdd = hq.add('fleet.admit', { fleet: key.id, node: odd.author, role: 'member' });
    policy.appended([admitOdd]);
    odd.add('totally.new.kind', { x: 1 });
    expect(policy.check(odd.run(1, 1), none)).toMatchObject({ code: 'unknown_kind', seq: 1 });
    const kit = new FeedBuilder('fleet-kit2');
    kit.addMany(5);
    policy.appended([hq.add('fleet.admit', { fleet: key.id, node: kit.author, role: 'member' }), hq.add('fleet.revoke', { fleet: key.id, node: kit.author, upto: 3 })]);
    expect(policy.check(kit.run(1, 3), none)).toBeNull();
    expect(policy.check(kit.run(4, 5), none)).toMatchObject({ code: 'revoked', seq: 4 });
  });
});
