// Builds real nodes for simulations: NodeService over a SQLite file in a temp folder, with a
// deterministic identity, on a shared scheduler.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scheduler } from '../../src/core/clock/scheduler';
import type { Transport } from '../../src/core/sync/transport';
import { NodeService } from '../../src/node/service/node-service';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { crypto, identity } from './feeds';

export interface SimNode {
  readonly name: string;
  readonly service: NodeService;
  readonly store: SqliteFeedStore;
  close(): Promise<void>;
}

export async function simNode(name: string, scheduler: Scheduler, transports: Transport[], extra: Partial<ConstructorParameters<typeof NodeService>[0]> = {}): Promise<SimNode> {
  const dir = mkdtempSync(join(tmpdir(), `mandala-sim-${name}-`));
  const store = SqliteFeedStore.open(join(dir, 'mandala.db'), { crypto });
  const service = new NodeService({ store, crypto, identity: identity(name), name, scheduler, transports, gossipEveryMs: 2000, ...extra });
  await service.start();
  return {
    name,
    service,
    store,
    async close() {
      await service.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
