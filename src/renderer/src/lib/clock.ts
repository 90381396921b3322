// The renderer's one reader of wall-clock time. Every age ("12 s ago") and every timer asks here,
// so time has a single source that can be reasoned about, and replaced, in one place.
import { useEffect, useState } from 'react';

/** Milliseconds since the Unix epoch, from this machine's clock. */
export const nowMs = (): number => Date.now();

/** Milliseconds on a clock that never steps back (for animations; not a time of day). */
export const monotonicMs = (): number => performance.now();

/** The current time, re-read every `intervalMs`; the component re-renders on each tick. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(nowMs);
  useEffect(() => {
    const timer = setInterval(() => setNow(nowMs()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
