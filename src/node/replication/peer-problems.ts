// Sentences for bad input from peers: what happened, in words a person can act on. The code stays
// stable for scripts; the sentence names the peer and says what it means.
import type { PeerView } from './peer-view';

const ADVICE: Record<string, string> = {
  bad_signature: 'events with a signature that does not verify were refused; the sender is relaying forged or corrupted data',
  chain_broken: 'a run whose events do not chain was refused',
  seq_gap_in_run: 'a run with missing events was refused',
  conflicts_with_stored: 'unsigned events that contradict stored history were refused',
  feed_quarantined: 'events for a forked (quarantined) feed were refused',
  pending_buffer_full: 'too many out-of-order events arrived for one feed; the rest will be asked for again later',
  frame_too_large: 'a frame claiming an oversized length was refused and the connection closed',
  message_over_mtu: 'a message did not fit the link',
  unknown_message_type: 'a message of a kind this version does not know was ignored; check both nodes run compatible Mandala versions',
};

export function peerProblemMessage(view: PeerView, code: string, detail: string): string {
  const peer = view.peerInfo();
  const who = peer ? `${peer.name || peer.node.slice(0, 8)} (${view.link.label})` : view.link.label;
  const advice = ADVICE[code];
  return advice ? `${who}: ${advice} (${detail})` : `${who}: ${detail}`;
}

/** Refusal codes by which a peer shuts this whole node out (not one of its feeds). */
export const NODE_REFUSALS: ReadonlySet<string> = new Set(['not_admitted', 'revoked', 'not_in_fleet', 'identity_mismatch']);

/**
 * What a peer's refusal of this node means and what to do. `who` names the peer, `self` is this
 * node's id and `fleet` the fleet it was created in (null: an open node).
 */
export function refusedUsMessage(code: string, who: string, self: string, fleet: string | null): string {
  switch (code) {
    case 'not_admitted':
    case 'revoked':
      return `${who} refused this node: it is ${code === 'revoked' ? 'revoked from' : 'not admitted to'} its fleet. An admin of the fleet can run \`mandala admit ${self}\``;
    case 'not_in_fleet':
      return fleet === null
        ? `${who} belongs to a fleet, and this node is open (created with plain \`mandala init\`): a node joins a fleet when it is created, with \`mandala init --join FLEET_ID --data NEW_FOLDER\` (\`mandala info\` on a fleet node shows the id), and is then admitted by an admin`
        : `${who} belongs to another fleet than this node's (${fleet.slice(0, 8)}); check the id this node was created with (\`mandala info\`)`;
    case 'identity_mismatch':
      return `${who} refused this node: its hello named another node than the key it proved`;
    default:
      return `${who} refused this node (${code})`;
  }
}
