// Peers sorted by name, then id: rows stay where they are while peers drop and reconnect (the
// demo mesh partitions every 40 s; a table that reshuffles then is hard to read).
import type { PeerView } from '../../store/peer-progress';

export function sortPeers(peers: readonly PeerView[]): PeerView[] {
  return [...peers].sort((a, b) => a.row.name.localeCompare(b.row.name) || (a.row.node < b.row.node ? -1 : a.row.node > b.row.node ? 1 : 0));
}
