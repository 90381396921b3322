// The worker threads' entry: CPU-heavy jobs run here, off the main thread whose event loop every
// console, peer and truck waits on. Each task takes plain data and opens what it needs itself
// (a worker opens the database read-only; SQLite's WAL lets it read beside the node).
import { NodeCrypto } from '../crypto/node-crypto';
import type { ScrubResult } from '../store/sqlite/chain-scrub';
import { SqliteFeedStore } from '../store/sqlite/sqlite-store';

export interface WorkerTasks {
  /** Reads every feed back and names damaged events (bit rot). */
  scrub: { input: { readonly dbPath: string; readonly nativeBinding?: string }; output: ScrubResult };
}

export type WorkerTask = { [K in keyof WorkerTasks]: { readonly task: K; readonly input: WorkerTasks[K]['input'] } }[keyof WorkerTasks];

export default function run(job: WorkerTask): WorkerTasks[keyof WorkerTasks]['output'] {
  switch (job.task) {
    case 'scrub': {
      const store = SqliteFeedStore.open(job.input.dbPath, { crypto: new NodeCrypto(), readonly: true, nativeBinding: job.input.nativeBinding });
      try {
        return store.scrub();
      } finally {
        store.close();
      }
    }
  }
}
