// Who belongs to a fleet, folded from signed events. A fleet is a key: its genesis, the first
// event of the first admin's feed, is signed by the fleet key and names that admin. From then on
// admins admit nodes (as members or admins) and revoke them with events in their own feeds. A
// revocation names `upto`: the seq of the revoked node's feed the admin held, so every node keeps
// the same prefix and refuses the rest.
//
// A member's report feed (the one its signed node.profile declares) belongs with it: admitted
// while the member is, refused once it is revoked.
//
// Order-independent like every fold: the events are kept as a set and replayed in total order
// (HLC wall, counter, author, seq) whenever the answer is asked for, an admission or revocation
// counting only when its author is an admin at that point of the replay. Every node holding the
// same events agrees on every member.
import type { SignatureVerifier } from '../crypto/ports';
import { encodeCanonical } from '../encoding/canonical';
import { hexToBytes } from '../encoding/bytes';
import { compareTotalOrder, type AuthorId, type EventBody, type FeedEvent } from '../events/event';
import { KINDS } from '../events/kinds';
import { decodePayload, type DecodedPayload, type FleetRole, type PayloadOf } from '../events/payloads';
import type { Fold } from '../projections/projection';
import type { FeedLog } from '../store/feed-log';

export interface MemberState {
  readonly role: FleetRole;
  /** Null for the first admin (named by the genesis). */
  readonly admittedBy: AuthorId | null;
  /** Set once revoked: its feed is kept up to `upto` and refused beyond. */
  readonly revoked: { readonly upto: number; readonly by: AuthorId } | null;
}

type FleetEvent = { readonly at: EventBody; readonly p: PayloadOf<'fleet.genesis'> | PayloadOf<'fleet.admit'> | PayloadOf<'fleet.revoke'> };

/** The bytes the fleet key signs to name its first admin. */
export function genesisMessage(fleet: string, admin: string, name: string): Uint8Array {
  return encodeCanonical(['mandala/fleet-genesis/1', fleet, admin, name]);
}

export class Membership implements Fold {
  readonly sources = [KINDS.fleetAdmit, KINDS.fleetGenesis, KINDS.fleetRevoke, KINDS.nodeProfile];
  readonly topic = 'node' as const;
  private readonly events = new Map<string, FleetEvent>();
  /** Report feed -> the node whose profile declares it. */
  private readonly reportFeeds = new Map<AuthorId, AuthorId>();
  private members: Map<AuthorId, MemberState> | null = null;
  private fleetName: string | null = null;

  constructor(
    readonly fleetId: string,
    private readonly verifier: SignatureVerifier,
  ) {}

  /** Folds every fleet event the store holds (for a node starting up). */
  static load(log: Pick<FeedLog, 'readKinds'>, fleetId: string, verifier: SignatureVerifier): Membership {
    const m = new Membership(fleetId, verifier);
    for (let cursor = 0; ; ) {
      const page = log.readKinds(m.sources, cursor, 1000);
      if (page.events.length === 0) return m;
      for (const ev of page.events) m.apply(ev);
      cursor = page.cursor;
    }
  }

  /** A genesis event for this fleet, signed by its key and naming its own author, at seq 1. */
  isGenesis(ev: FeedEvent, payload: DecodedPayload = decodePayload(ev)): boolean {
    if (payload.kind !== KINDS.fleetGenesis || payload.fleet !== this.fleetId) return false;
    if (ev.seq !== 1 || ev.author !== payload.admin) return false;
    return this.verifier.verify(hexToBytes(this.fleetId), genesisMessage(payload.fleet, payload.admin, payload.name), payload.sig);
  }

  apply(ev: FeedEvent, payload: DecodedPayload = decodePayload(ev)): void {
    const key = `${ev.author}:${ev.seq}`;
    if (this.events.has(key)) return;
    if (payload.kind === KINDS.nodeProfile) {
      if (payload.reports !== null && payload.reports !== ev.author && !this.reportFeeds.has(payload.reports)) this.reportFeeds.set(payload.reports, ev.author);
      return;
    }
    if (payload.kind === KINDS.fleetGenesis) {
      if (!this.isGenesis(ev, payload)) return;
    } else if (payload.kind !== KINDS.fleetAdmit && payload.kind !== KINDS.fleetRevoke) {
      return;
    } else if (payload.fleet !== this.fleetId) {
      return;
    }
    this.events.set(key, { at: ev, p: payload });
    this.members = null;
  }

  private replay(): Map<AuthorId, MemberState> {
    if (this.members) return this.members;
    const out = new Map<AuthorId, MemberState>();
    const isAdmin = (a: AuthorId) => {
      const m = out.get(a);
      return m !== undefined && m.role === 'admin' && m.revoked === null;
    };
    for (const { at, p } of [...this.events.values()].sort((x, y) => compareTotalOrder(x.at, y.at))) {
      if (p.kind === KINDS.fleetGenesis) {
        out.set(p.admin, { role: 'admin', admittedBy: null, revoked: null });
        this.fleetName ??= p.name;
      } else if (!isAdmin(at.author)) {
        continue;
      } else if (p.kind === KINDS.fleetAdmit) {
        out.set(p.node, { role: p.role, admittedBy: at.author, revoked: null });
      } else {
        const m = out.get(p.node);
        if (m && m.revoked === null) out.set(p.node, { ...m, revoked: { upto: p.upto, by: at.author } });
      }
    }
    this.members = out;
    return out;
  }

  /** The fleet's name, once its genesis is held. */
  get name(): string | null {
    this.replay();
    return this.fleetName;
  }

  /** True once the genesis is held (the node knows who the first admin is). */
  get founded(): boolean {
    return this.replay().size > 0;
  }

  state(author: AuthorId): MemberState | null {
    return this.replay().get(author) ?? null;
  }

  /** Admitted and not revoked. */
  isActive(author: AuthorId): boolean {
    const m = this.state(author);
    return m !== null && m.revoked === null;
  }

  isAdmin(author: AuthorId): boolean {
    const m = this.state(author);
    return m !== null && m.role === 'admin' && m.revoked === null;
  }

  /** Whether this author's events up to `seq` belong in the fleet's stores. */
  mayHold(author: AuthorId, seq: number): boolean {
    const m = this.state(author);
    if (m) return m.revoked === null || seq <= m.revoked.upto;
    const owner = this.reportFeeds.get(author);
    return owner !== undefined && this.isActive(owner);
  }

  /** The member that declared this feed its report feed, if any. */
  reportFeedOwner(author: AuthorId): AuthorId | null {
    return this.reportFeeds.get(author) ?? null;
  }

  /** Every node the fleet ever admitted, sorted by key. */
  list(): [AuthorId, MemberState][] {
    return [...this.replay()].sort(([a], [b]) => (a < b ? -1 : 1));
  }
}
