// The composition root of the console's state: one store per concern, all fed by one bridge.
// Created by the app shell (never at module level) and started/stopped with it.
import { createConnectionStore, type ConnectionStore, type ConsoleBridge } from './connection-store';
import { createFleetStore, type FleetStore } from './fleet-store';
import { createNamesStore, type NamesStore } from './names-store';
import { createNodeStore, type NodeView } from './node-store';
import { createPeersStore } from './peers-store';
import type { PeerView } from './peer-progress';
import { createRecordsStore, type RecordsStore } from './records-store';
import type { RemoteResource } from './remote-resource';

export interface ConsoleSession {
  readonly bridge: ConsoleBridge;
  readonly connection: ConnectionStore;
  readonly node: RemoteResource<NodeView>;
  readonly fleet: FleetStore;
  readonly peers: RemoteResource<readonly PeerView[]>;
  readonly records: RecordsStore;
  readonly names: NamesStore;
  /** Starts every store; returns the stop. */
  start(): () => void;
}

export function createConsoleSession(bridge: ConsoleBridge): ConsoleSession {
  const connection = createConnectionStore(bridge);
  const node = createNodeStore(bridge);
  const fleet = createFleetStore(bridge);
  const peers = createPeersStore(bridge);
  const records = createRecordsStore(bridge);
  const names = createNamesStore(bridge);

  // Pushes sent while the socket was down are lost; re-read everything once it is back.
  const refreshAll = (): void => {
    void node.refresh();
    void peers.refresh();
    void records.refresh();
    void names.refresh();
    fleet.refresh();
  };

  // Fixes and records name their authors by key; ask for names the console does not know yet.
  const watchAuthors = (): (() => void) => {
    const offFleet = fleet.store.subscribe(() => {
      const authors = new Set<string>();
      for (const track of fleet.store.get().tracks) {
        for (const reporter of track.summary.reporters) authors.add(reporter);
        if (track.summary.current) authors.add(track.summary.current.author);
      }
      names.ensureKnown(authors);
    });
    const offRecords = records.store.subscribe(() => names.ensureKnown((records.store.get().data ?? []).map((r) => r.createdBy)));
    return () => {
      offFleet();
      offRecords();
    };
  };

  return {
    bridge,
    connection,
    node,
    fleet,
    peers,
    records,
    names,
    start() {
      const stops = [connection.start(refreshAll), node.start(), fleet.start(), peers.start(), records.start(), names.start(), watchAuthors()];
      return () => {
        for (const stop of stops) stop();
      };
    },
  };
}
