// Creating a fleet and changing who is in it, for the CLI and the console alike. A fleet is a key:
// founding one signs, once, the genesis that names this node its first admin (the fleet's secret
// key is then thrown away: admins govern from there, by events in their own signed feeds).
// Admitting and revoking are checked here first, so a mistake is a sentence, not a silent no-op.
import { generateKeyPairSync, sign } from 'node:crypto';
import { toHex } from '../../core/encoding/bytes';
import type { AuthorId } from '../../core/events/event';
import { KINDS } from '../../core/events/kinds';
import type { FleetRole } from '../../core/events/payloads';
import { genesisMessage, type Membership } from '../../core/fleet/membership';
import type { LocalDraft } from '../../core/store/feed-log';
import { MandalaError } from '../errors';

const HEX64 = /^[0-9a-f]{64}$/;

/** A new fleet key and the genesis naming `admin` (to be the first event of its feed). */
export function foundFleet(admin: AuthorId, name: string): { fleetId: string; genesis: LocalDraft } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const fleetId = toHex(new Uint8Array(der.subarray(der.length - 32)));
  const sig = new Uint8Array(sign(null, genesisMessage(fleetId, admin, name), privateKey));
  return { fleetId, genesis: { kind: KINDS.fleetGenesis, payload: { fleet: fleetId, admin, name, sig } } };
}

export function checkFleetId(id: string): string {
  const fleet = id.trim().toLowerCase();
  if (!HEX64.test(fleet)) throw new MandalaError('bad_fleet_id', `"${id}" is not a fleet id: it is the 64 hex digits \`mandala info\` prints on a node of the fleet`);
  return fleet;
}

function checkNodeId(id: string): string {
  const node = id.trim().toLowerCase();
  if (!HEX64.test(node)) throw new MandalaError('bad_node_id', `"${id}" is not a node id: it is the 64 hex digits \`mandala info\` prints on that node`);
  return node;
}

function requireAdmin(membership: Membership | null, self: AuthorId): Membership {
  if (!membership) throw new MandalaError('not_in_fleet', 'this node belongs to no fleet (it is open); create one with `mandala init --fleet NAME` in a new folder');
  if (!membership.isAdmin(self)) throw new MandalaError('not_an_admin', 'only an admin of the fleet may admit or revoke nodes; ask one to run this on their node');
  return membership;
}

export function admitDraft(membership: Membership | null, self: AuthorId, nodeId: string, role: FleetRole): LocalDraft {
  const m = requireAdmin(membership, self);
  const node = checkNodeId(nodeId);
  const now = m.state(node);
  if (now && now.revoked === null && now.role === role) throw new MandalaError('already_admitted', `${node.slice(0, 8)} is already ${role === 'admin' ? 'an admin' : 'a member'} of this fleet`);
  return { kind: KINDS.fleetAdmit, payload: { fleet: m.fleetId, node, role } };
}

/** Revokes `nodeId`, keeping its feed up to what this node holds of it now. */
export function revokeDraft(membership: Membership | null, self: AuthorId, nodeId: string, heldSeq: number): LocalDraft {
  const m = requireAdmin(membership, self);
  const node = checkNodeId(nodeId);
  const now = m.state(node);
  if (!now) throw new MandalaError('not_admitted', `${node.slice(0, 8)} is not a member of this fleet`);
  if (now.revoked) throw new MandalaError('already_revoked', `${node.slice(0, 8)} was already revoked (its feed is kept up to seq ${now.revoked.upto})`);
  const admins = m.list().filter(([, s]) => s.role === 'admin' && s.revoked === null);
  if (now.role === 'admin' && admins.length === 1) throw new MandalaError('last_admin', 'this is the fleet\'s last admin; admit another admin first, or the fleet could never change again');
  return { kind: KINDS.fleetRevoke, payload: { fleet: m.fleetId, node, upto: heldSeq } };
}
