// Builds real nodes for simulations: createNode over a SQLite file in a temp folder, with a
// deterministic identity, on a shared scheduler.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scheduler } from '../../src/core/clock/scheduler';
import type { Transport } from '../../src/core/sync/transport';
import { createNode, type MandalaNode, type NodeOptions } from '../../src/node/create-node';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { crypto, identity } from './feeds';

export interface SimNode {
  readonly name: string;
  readonly node: MandalaNode;
  readonly store: SqliteFeedStore;
  close(): Promise<void>;
}

/** `before` runs on the fresh store before the node starts (e.g. to write a fleet genesis as seq 1). */
export async function simNode(name: string, scheduler: Scheduler, transports: Transport[], extra: Partial<NodeOptions> = {}, before?: (store: SqliteFeedStore) => void): Promise<SimNode> {
  const dir = mkdtempSync(join(tmpdir(), `mandala-sim-${name}-`));
  const store = SqliteFeedStore.open(join(dir, 'mandala.db'), { crypto });
  before?.(store);
  const node = createNode({ store, crypto, identity: identity(name), name, scheduler, transports, gossipEveryMs: 2000, ...extra });
  await node.start();
  return {
    name,
    node,
    store,
    async close() {
      await node.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
