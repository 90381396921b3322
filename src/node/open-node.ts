// Opens a node's data folder: settings, identity, event store and the record of what it signed,
// each checked, with errors a person can act on. The CLI and the Electron main both start here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedHead } from '../core/feed/frontier';
import { NodeCrypto } from './crypto/node-crypto';
import { IDENTITY_FILE, NodeIdentity } from './crypto/identity';
import { assertMandalaFolder, DB_FILE, folderState, initDataFolder, readConfig, type DataFolderConfig } from './datadir';
import { MandalaError } from './errors';
import { SqliteFeedStore } from './store/sqlite/sqlite-store';
import { OwnHeadFile } from './writing/own-heads';

export interface OpenedNode {
  readonly dir: string;
  readonly config: DataFolderConfig;
  readonly identity: NodeIdentity;
  /** The key of this node's report feed, derived from its identity (nothing more to back up). */
  readonly reportIdentity: NodeIdentity;
  readonly crypto: NodeCrypto;
  readonly store: SqliteFeedStore;
  /** What this node signed of its own feeds (null when opened read-only). */
  readonly ownHeads: OwnHeadFile | null;
  /** True when this call created the node. */
  readonly created: boolean;
}

/** The label a node's report feed key is derived under. */
export const REPORT_FEED_LABEL = 'reports';

export interface OpenNodeOptions {
  /** Create the node if the folder is missing or empty. */
  readonly create?: boolean;
  readonly name?: string;
  /** Read only: for verbs that only look (no write access to the folder needed). */
  readonly readonly?: boolean;
  readonly nativeBinding?: string;
  readonly onWarning?: (message: string) => void;
}

/** Who a data folder's node is, read without its event store (for `info` when the store is gone). */
export function folderIdentity(dir: string): Pick<OpenedNode, 'dir' | 'config' | 'identity' | 'reportIdentity'> {
  assertMandalaFolder(dir);
  const identity = NodeIdentity.load(join(dir, IDENTITY_FILE));
  return { dir, config: readConfig(dir), identity, reportIdentity: identity.deriveSubIdentity(REPORT_FEED_LABEL) };
}

export function openNode(dir: string, opts: OpenNodeOptions = {}): OpenedNode {
  let created = false;
  const state = folderState(dir);
  if (opts.create && !opts.readonly && (state === 'missing' || state === 'empty')) {
    initDataFolder(dir, opts.name);
    created = true;
  }
  assertMandalaFolder(dir);
  const config = readConfig(dir);
  const identity = NodeIdentity.load(join(dir, IDENTITY_FILE), opts.readonly ? undefined : opts.onWarning);
  const reportIdentity = identity.deriveSubIdentity(REPORT_FEED_LABEL);
  const crypto = new NodeCrypto();
  const dbPath = join(dir, DB_FILE);
  if (opts.readonly && !existsSync(dbPath)) {
    const signed = OwnHeadFile.signedOnRecord(dir);
    throw new MandalaError(
      'store_missing',
      signed > 0
        ? `${dir} has lost its event database (${DB_FILE}): this node had signed ${signed} events of its own. If the disk failed, take them back from a peer before anything else: \`mandala recover --peer HOST:PORT --data ${dir}\``
        : `${dir} has no event database (${DB_FILE}) yet; nothing to show until this node writes or syncs`,
    );
  }
  const store = SqliteFeedStore.open(dbPath, { crypto, nativeBinding: opts.nativeBinding, readonly: opts.readonly });
  let ownHeads: OwnHeadFile | null = null;
  try {
    if (!opts.readonly) ownHeads = openOwnHeads(dir, store, [identity.author, reportIdentity.author], !created, opts.onWarning);
  } catch (e) {
    store.close();
    throw e;
  }
  return { dir, config, identity, reportIdentity, crypto, store, ownHeads, created };
}

function openOwnHeads(dir: string, store: SqliteFeedStore, authors: readonly string[], existed: boolean, onWarning?: (m: string) => void): OwnHeadFile {
  const heads = () => {
    const out: Record<string, FeedHead> = {};
    for (const a of authors) {
      const h = store.head(a);
      if (h) out[a] = h;
    }
    return out;
  };
  const file = OwnHeadFile.open(dir, { freshDatabase: store.createdSchema && existed, heads });
  const signed = Math.max(...authors.map((a) => file.signed(a)));
  if (store.createdSchema && existed && (file.unknown || signed > 0)) {
    onWarning?.(
      signed > 0
        ? `the event database in ${dir} was missing or empty and has been created anew, but this node signed ${signed} events of its own before; it will not write until they are recovered from a peer (mandala recover --peer HOST:PORT, or serve with --peer)`
        : `the event database in ${dir} was missing or empty and has been created anew; until this node has synced with a peer (mandala recover --peer HOST:PORT) it will not write, so that no event it may have signed before is signed twice`,
    );
  }
  return file;
}
