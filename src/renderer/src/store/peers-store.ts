// Peers and their sync state, pushed by the node. The node reports only how many events are
// queued for a peer; the console remembers the largest queue of the current burst so it can draw
// "how much of this catch-up is done".
import type { MandalaBridge, PeerRowDto } from '../../../shared/api';
import { createRemoteResource, type RemoteResource } from './remote-resource';

export interface PeerView {
  readonly row: PeerRowDto;
  /** Largest queue seen since the queue was last empty; 0 when nothing is queued. */
  readonly queuePeak: number;
}

export function foldPeers(previous: readonly PeerView[] | null, rows: readonly PeerRowDto[]): readonly PeerView[] {
  const peaks = new Map((previous ?? []).map((p) => [p.row.node, p.queuePeak]));
  return rows.map((row) => ({ row, queuePeak: row.queued === 0 ? 0 : Math.max(row.queued, peaks.get(row.node) ?? 0) }));
}

/** 0..1 share of the current catch-up already sent. */
export function syncProgress(peer: PeerView): number {
  return peer.queuePeak === 0 ? 1 : 1 - peer.row.queued / peer.queuePeak;
}

export function createPeersStore(bridge: MandalaBridge): RemoteResource<readonly PeerView[]> {
  return createRemoteResource<readonly PeerView[], readonly PeerRowDto[]>({
    load: () => bridge.call('peers.list', {}),
    subscribe: (onData) => bridge.subscribe('peers', onData),
    merge: foldPeers,
  });
}
