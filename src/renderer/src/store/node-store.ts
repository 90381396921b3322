// The node this console talks to: its identity, counts and warnings, plus how far its clock is
// from ours. Ages are measured on the node's clock, because a field laptop's own clock is often
// wrong and fix times come from the same world as the node's.
import type { MandalaBridge, NodeInfoDto } from '../../../shared/api';
import { nowMs } from '../lib/clock';
import { createRemoteResource, type RemoteResource } from './remote-resource';

export interface NodeView {
  readonly info: NodeInfoDto;
  /** node clock − console clock, measured when the info arrived. */
  readonly clockSkewMs: number;
}

export function createNodeStore(bridge: MandalaBridge): RemoteResource<NodeView> {
  return createRemoteResource<NodeView, NodeInfoDto>({
    load: () => bridge.call('node.info', {}),
    subscribe: (onData) => bridge.subscribe('node', onData),
    merge: (_previous, info) => ({ info, clockSkewMs: info.nowMs - nowMs() }),
  });
}
