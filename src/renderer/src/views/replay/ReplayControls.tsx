// The replay's transport: play and pause, a step to the previous or next fix of any replayed
// truck, the play speed, follow, and the time slider. Keys: Space plays or pauses, ← and → step,
// F follows (when focus is not in a text field).
import { useEffect, useRef } from 'react';
import { Icon } from '../../components/Icon';
import { formatClockTime } from '../../lib/format';
import { PLAY_RATES, type Playback } from './use-playback';

const RATE_LABEL: Readonly<Record<number, string>> = { 1: '1×', 10: '10×', 60: '1 min/s', 300: '5 min/s', 1800: '30 min/s', 3600: '1 h/s' };

export interface ReplayControlsProps {
  readonly playback: Playback;
  readonly startMs: number;
  readonly endMs: number;
  readonly nowMs: number;
  readonly follow: boolean;
  readonly onFollow: (on: boolean) => void;
  readonly onStep: (dir: 1 | -1) => void;
}

export function ReplayControls({ playback, startMs, endMs, nowMs, follow, onFollow, onStep }: ReplayControlsProps) {
  const latest = useRef({ playback, follow, onFollow, onStep });
  useEffect(() => {
    latest.current = { playback, follow, onFollow, onStep };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) && (target as HTMLInputElement).type !== 'range') return;
      const { playback: p, follow: f } = latest.current;
      if (e.key === ' ') {
        e.preventDefault();
        if (p.playing) p.pause();
        else p.play();
      } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        e.preventDefault();
        latest.current.onStep(e.key === 'ArrowRight' ? 1 : -1);
      } else if (e.key === 'f' || e.key === 'F') {
        latest.current.onFollow(!f);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="replay-controls" data-testid="replay-controls" data-time={Math.round(playback.timeMs)} data-playing={playback.playing}>
      <button type="button" className="button replay-step" onClick={() => onStep(-1)} aria-label="Previous fix" title="Previous fix (←)">
        <Icon name="stepBack" size={14} />
      </button>
      <button type="button" className="button button-primary replay-play" onClick={() => (playback.playing ? playback.pause() : playback.play())} data-testid="replay-play" title="Play or pause (Space)">
        {playback.playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" className="button replay-step" onClick={() => onStep(1)} aria-label="Next fix" title="Next fix (→)">
        <Icon name="stepForward" size={14} />
      </button>
      <label className="replay-rate">
        <span className="muted">Speed</span>
        <select value={playback.rate} onChange={(e) => playback.setRate(Number(e.target.value))} name="rate">
          {PLAY_RATES.map((r) => (
            <option key={r} value={r}>
              {RATE_LABEL[r]}
            </option>
          ))}
        </select>
      </label>
      <input
        className="replay-slider"
        type="range"
        min={startMs}
        max={endMs}
        step={1000}
        value={Math.round(playback.timeMs)}
        onChange={(e) => playback.seek(Number(e.target.value))}
        aria-label="Replay time"
        data-testid="replay-slider"
      />
      <span className="replay-time" data-testid="replay-time">
        {formatClockTime(playback.timeMs, nowMs)}
      </span>
      <button type="button" className={follow ? 'map-tool is-on' : 'map-tool'} aria-pressed={follow} onClick={() => onFollow(!follow)} title="Keep the replayed trucks in view (F)" data-testid="replay-follow">
        Follow
      </button>
    </div>
  );
}
