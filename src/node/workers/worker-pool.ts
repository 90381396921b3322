// The node's worker threads (piscina): CPU-heavy work runs there, so the main event loop only
// orchestrates I/O. Built, the worker entry is `workers.js` beside the bundle (out/cli, out/main);
// from source (tests), it is tasks.ts, loaded through tsx.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { MandalaError } from '../errors';
import type { WorkerTasks } from './tasks';
import { fromWorkerError } from './worker-error';

function workerEntry(): { filename: string; execArgv: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  // Beside the bundle, or one folder up when this code landed in a shared chunk.
  for (const built of [join(here, 'workers.js'), join(here, '..', 'workers.js')]) {
    if (existsSync(built)) return { filename: pathToFileURL(built).href, execArgv: [] };
  }
  const source = join(here, 'tasks.ts');
  if (existsSync(source)) return { filename: pathToFileURL(source).href, execArgv: ['--import', 'tsx'] };
  throw new MandalaError('workers_missing', 'the worker code is not built; run `npm run build`');
}

export class WorkerPool {
  private readonly pool: Piscina;

  constructor(opts: { readonly maxThreads?: number } = {}) {
    const entry = workerEntry();
    this.pool = new Piscina({
      filename: entry.filename,
      execArgv: entry.execArgv,
      minThreads: 0,
      maxThreads: opts.maxThreads ?? Math.max(1, availableParallelism() - 1),
      // A fold of a season's history leaves a worker holding its heap; an idle thread ends soon,
      // so that memory goes back to the system instead of sitting beside the node's own.
      idleTimeout: 2_000,
    });
  }

  /** Runs a task; a MandalaError thrown in the worker comes back as one, with its code. */
  run<K extends keyof WorkerTasks>(task: K, input: WorkerTasks[K]['input']): Promise<WorkerTasks[K]['output']> {
    return (this.pool.run({ task, input }) as Promise<WorkerTasks[K]['output']>).catch((e: unknown) => {
      throw fromWorkerError(e);
    });
  }

  /** Stops the threads; a thread still starting up is not waited for beyond `graceMs`. */
  async close(graceMs = 3000): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    });
    await Promise.race([this.pool.destroy().catch(() => undefined), grace]);
    if (timer) clearTimeout(timer);
  }
}
