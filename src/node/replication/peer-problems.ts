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
