// Round clock times for a time axis: "14:00, 14:05, 14:10" rather than whatever instants the data
// happens to start at. Steps land on local wall-clock multiples, matching how times are printed.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Candidate spacings, smallest first; each divides the next larger unit evenly. */
const STEPS_MS = [
  5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY,
  2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 91 * DAY, 182 * DAY, 364 * DAY,
] as const;

export interface TimeTicks {
  readonly ticks: readonly number[];
  readonly stepMs: number;
  /** Whether labels need seconds to tell the ticks apart. */
  readonly showSeconds: boolean;
}

/** The local time-zone offset at `ms`, in ms to add to UTC to get wall-clock time. */
const localOffsetMs = (ms: number): number => -new Date(ms).getTimezoneOffset() * MINUTE;

/** At most `maxTicks` round instants within [startMs, endMs]. */
export function timeTicks(startMs: number, endMs: number, maxTicks: number): TimeTicks {
  const span = Math.max(0, endMs - startMs);
  const stepMs = STEPS_MS.find((step) => span / step <= Math.max(1, maxTicks - 1)) ?? STEPS_MS[STEPS_MS.length - 1]!;
  const offset = localOffsetMs(startMs);
  const ticks: number[] = [];
  for (let local = Math.ceil((startMs + offset) / stepMs) * stepMs; local - offset <= endMs; local += stepMs) ticks.push(local - offset);
  // Spans beyond the largest step (years of history): every k-th tick, so labels never overlap.
  const every = Math.ceil(ticks.length / Math.max(1, maxTicks));
  return { ticks: every > 1 ? ticks.filter((_, i) => i % every === 0) : ticks, stepMs: stepMs * every, showSeconds: stepMs < MINUTE };
}
