// Opens a node's data folder: settings, identity and event store, each checked, with errors a
// person can act on. The CLI and the Electron main both start here.
import { join } from 'node:path';
import { NodeCrypto } from './crypto/node-crypto';
import { IDENTITY_FILE, NodeIdentity } from './crypto/identity';
import { assertMandalaFolder, DB_FILE, folderState, initDataFolder, readConfig, type DataFolderConfig } from './datadir';
import { SqliteFeedStore } from './store/sqlite/sqlite-store';

export interface OpenedNode {
  readonly dir: string;
  readonly config: DataFolderConfig;
  readonly identity: NodeIdentity;
  /** The key of this node's report feed, derived from its identity (nothing more to back up). */
  readonly reportIdentity: NodeIdentity;
  readonly crypto: NodeCrypto;
  readonly store: SqliteFeedStore;
  /** True when this call created the node. */
  readonly created: boolean;
}

/** The label a node's report feed key is derived under. */
export const REPORT_FEED_LABEL = 'reports';

export interface OpenNodeOptions {
  /** Create the node if the folder is missing or empty. */
  readonly create?: boolean;
  readonly name?: string;
  readonly nativeBinding?: string;
  readonly onWarning?: (message: string) => void;
}

export function openNode(dir: string, opts: OpenNodeOptions = {}): OpenedNode {
  let created = false;
  const state = folderState(dir);
  if (opts.create && (state === 'missing' || state === 'empty')) {
    initDataFolder(dir, opts.name);
    created = true;
  }
  assertMandalaFolder(dir);
  const config = readConfig(dir);
  const identity = NodeIdentity.load(join(dir, IDENTITY_FILE), opts.onWarning);
  const crypto = new NodeCrypto();
  const store = SqliteFeedStore.open(join(dir, DB_FILE), { crypto, nativeBinding: opts.nativeBinding });
  return { dir, config, identity, reportIdentity: identity.deriveSubIdentity(REPORT_FEED_LABEL), crypto, store, created };
}
