// How the console reaches the node, and whether it can right now. Over Electron IPC the link
// cannot drop; over a WebSocket the bridge reconnects on its own and reports each state change.
import type { MandalaBridge } from '../../../shared/api';
import type { ConnectionState } from '../api/ws-bridge';
import { nowMs } from '../lib/clock';
import { createExternalStore, type ExternalStore } from './external-store';

export type ConsoleBridge = MandalaBridge & { onState?: (listener: (state: ConnectionState) => void) => () => void; state?: ConnectionState };

export interface ConnectionView {
  readonly transport: MandalaBridge['transport'];
  readonly state: ConnectionState;
  /** When the link last changed state (console clock). */
  readonly sinceMs: number;
  /**
   * When the link was lost (or first asked for), kept through every retry until it is open
   * again: how long the console has been without the node. Null while open.
   */
  readonly downSinceMs: number | null;
  /** Times the link came back after dropping. */
  readonly reconnects: number;
}

export interface ConnectionStore {
  readonly store: ExternalStore<ConnectionView>;
  /** Watches the link; `onReconnected` runs each time it comes back after a drop. */
  start(onReconnected: () => void): () => void;
}

export function createConnectionStore(bridge: ConsoleBridge): ConnectionStore {
  const store = createExternalStore<ConnectionView>({
    transport: bridge.transport,
    state: bridge.onState ? (bridge.state ?? 'connecting') : 'open',
    sinceMs: nowMs(),
    downSinceMs: bridge.onState && (bridge.state ?? 'connecting') !== 'open' ? nowMs() : null,
    reconnects: 0,
  });
  return {
    store,
    start(onReconnected) {
      if (!bridge.onState) return () => {};
      let dropped = false;
      const onState = (state: ConnectionState): void => {
        const previous = store.get();
        if (state === previous.state) return;
        const cameBack = state === 'open' && dropped;
        if (state === 'closed') dropped = true;
        if (cameBack) dropped = false;
        const now = nowMs();
        const downSinceMs = state === 'open' ? null : (previous.downSinceMs ?? now);
        store.set({ ...previous, state, sinceMs: now, downSinceMs, reconnects: previous.reconnects + (cameBack ? 1 : 0) });
        if (cameBack) onReconnected();
      };
      // The socket may have opened between creating this store and starting it.
      if (bridge.state) onState(bridge.state);
      return bridge.onState(onState);
    },
  };
}
