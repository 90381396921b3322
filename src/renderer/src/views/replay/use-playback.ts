// The replay's clock: a moment in the window that plays forward at a chosen rate (replay seconds
// per real second) on animation frames, pauses, and stops at the window's end.
import { useCallback, useEffect, useRef, useState } from 'react';

export const PLAY_RATES = [1, 10, 60, 300, 1800, 3600] as const;

export interface Playback {
  readonly timeMs: number;
  readonly playing: boolean;
  readonly rate: number;
  seek(ms: number): void;
  play(): void;
  pause(): void;
  setRate(rate: number): void;
}

export function usePlayback(startMs: number, endMs: number): Playback {
  const [timeMs, setTimeMs] = useState(startMs);
  const [playing, setPlaying] = useState(false);
  const [rate, setRate] = useState<number>(60);
  const bounds = useRef({ startMs, endMs });
  const time = useRef(timeMs);
  useEffect(() => {
    bounds.current = { startMs, endMs };
    time.current = timeMs;
  });

  // A new window starts at its beginning.
  useEffect(() => {
    setTimeMs(startMs);
    setPlaying(false);
  }, [startMs, endMs]);

  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    let last: number | null = null;
    const tick = (now: number) => {
      const dt = last === null ? 0 : now - last;
      last = now;
      const next = Math.min(bounds.current.endMs, time.current + dt * rate);
      time.current = next;
      setTimeMs(next);
      if (next >= bounds.current.endMs) setPlaying(false);
      else frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, rate]);

  const seek = useCallback((ms: number) => setTimeMs(Math.max(bounds.current.startMs, Math.min(bounds.current.endMs, ms))), []);
  const play = useCallback(() => {
    // Play at the end starts over.
    setTimeMs((t) => (t >= bounds.current.endMs ? bounds.current.startMs : t));
    setPlaying(true);
  }, []);
  const pause = useCallback(() => setPlaying(false), []);
  return { timeMs, playing, rate, seek, play, pause, setRate };
}
