// The one place Mandala reads the machine's clocks. Everything else receives a Clock (wall time)
// or a Stopwatch (monotonic time for measuring durations) from the composition root.
import type { Clock } from '../../core/clock/clock';

export class SystemClock implements Clock {
  nowMs(): number {
    return Date.now();
  }
}

/** Monotonic elapsed time, for benchmarks and timeouts; never for timestamps. */
export interface Stopwatch {
  elapsedMs(): number;
}

export function startStopwatch(): Stopwatch {
  const t0 = performance.now();
  return { elapsedMs: () => performance.now() - t0 };
}
