// Waiting for a condition in real time, for tests that drive real sockets, processes and
// browsers. It polls; it never sleeps a fixed time and hopes.
import { startStopwatch } from '../../src/node/clock/system-clock';

export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const watch = startStopwatch();
  while (!(await cond())) {
    if (watch.elapsedMs() > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
