// Peers and their sync state, pushed by the node and folded by peer-progress.ts.
import type { MandalaBridge, PeerRowDto } from '../../../shared/api';
import { foldPeers, type PeerView } from './peer-progress';
import { createRemoteResource, type RemoteResource } from './remote-resource';

export function createPeersStore(bridge: MandalaBridge): RemoteResource<readonly PeerView[]> {
  return createRemoteResource<readonly PeerView[], readonly PeerRowDto[]>({
    load: () => bridge.call('peers.list', {}),
    subscribe: (onData) => bridge.subscribe('peers', onData),
    merge: foldPeers,
  });
}
