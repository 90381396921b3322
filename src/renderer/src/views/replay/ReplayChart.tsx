// Speed over the replay's window, one line per truck in its colour, with the replay's moment as a
// bright line and the pointer's as a blue one. Hovering the chart points the map at that moment
// (a ring on each truck); hovering a path on the map moves the blue line here; a click seeks.
// Test hooks: data-testid="replay-chart", data-lines="N" (trucks charted).
import { memo, useMemo } from 'react';
import { CartesianGrid, ComposedChart, Line, XAxis, YAxis } from 'recharts';
import type { ReplayTrackDto } from '../../../../shared/api';
import { formatAxisTime } from '../../lib/format';
import { timeTicks } from '../../lib/time-ticks';
import { useElementWidth } from '../../lib/use-element-width';
import { chartRows, type ChartRow } from './replay-chart-rows';

const INK = { grid: 'var(--border)', axis: 'var(--border-strong)', tick: 'var(--text-dim)' } as const;
const Y_AXIS = 44;
const RIGHT = 16;

export interface ReplayChartProps {
  readonly tracks: readonly ReplayTrackDto[];
  readonly colors: ReadonlyMap<string, string>;
  readonly startMs: number;
  readonly endMs: number;
  readonly timeMs: number;
  readonly hoverTimeMs: number | null;
  readonly onHoverTime: (ms: number | null) => void;
  readonly onSeek: (ms: number) => void;
}

const Lines = memo(function Lines({ rows, tracks, colors, startMs, endMs, width }: { rows: ChartRow[]; tracks: readonly ReplayTrackDto[]; colors: ReadonlyMap<string, string>; startMs: number; endMs: number; width: number }) {
  const axis = useMemo(() => timeTicks(startMs, endMs, Math.max(2, Math.floor(width / 110))), [startMs, endMs, width]);
  const yMax = useMemo(() => {
    let m = 20;
    for (const r of rows) for (const t of tracks) m = Math.max(m, r[t.truck] ?? 0);
    return Math.ceil(m / 20) * 20;
  }, [rows, tracks]);
  return (
    <ComposedChart width={width} height={150} data={rows} margin={{ top: 8, right: RIGHT, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={INK.grid} strokeDasharray="2 4" vertical={false} />
      <XAxis dataKey="t" type="number" scale="time" domain={[startMs, endMs]} ticks={[...axis.ticks]} tickFormatter={(ms: number) => (endMs - startMs > 2 * 86_400_000 ? new Date(ms).toLocaleDateString('en', { month: 'short', day: 'numeric' }) : formatAxisTime(ms, axis.showSeconds))} stroke={INK.axis} tick={{ fill: INK.tick, fontSize: 11 }} tickLine={false} minTickGap={24} />
      <YAxis domain={[0, yMax]} stroke={INK.axis} tick={{ fill: INK.tick, fontSize: 11 }} tickLine={false} width={Y_AXIS} label={{ value: 'km/h', angle: -90, position: 'insideLeft', offset: 12, fill: INK.tick, fontSize: 11 }} />
      {tracks.map((t) => (
        <Line key={t.truck} dataKey={t.truck} type="linear" stroke={colors.get(t.truck) ?? '#fff'} strokeWidth={1.6} dot={false} activeDot={false} connectNulls={false} isAnimationActive={false} />
      ))}
    </ComposedChart>
  );
});

export function ReplayChart({ tracks, colors, startMs, endMs, timeMs, hoverTimeMs, onHoverTime, onSeek }: ReplayChartProps) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const rows = useMemo(() => chartRows(tracks, startMs, endMs), [tracks, startMs, endMs]);
  const plot = Math.max(1, width - Y_AXIS - RIGHT);
  const span = Math.max(1, endMs - startMs);
  const xOf = (ms: number) => Y_AXIS + ((ms - startMs) / span) * plot;
  const timeAt = (clientX: number, el: HTMLElement) => {
    const x = clientX - el.getBoundingClientRect().left;
    return Math.round(startMs + Math.max(0, Math.min(1, (x - Y_AXIS) / plot)) * span);
  };
  return (
    <div className="replay-chart" ref={ref} data-testid="replay-chart" data-lines={tracks.length}>
      {width > 0 ? <Lines rows={rows} tracks={tracks} colors={colors} startMs={startMs} endMs={endMs} width={width} /> : null}
      <div className="replay-chart-cursor" style={{ left: xOf(timeMs) }} aria-hidden="true" />
      {hoverTimeMs !== null ? <div className="replay-chart-hover" style={{ left: xOf(hoverTimeMs) }} aria-hidden="true" data-testid="replay-chart-hover" /> : null}
      <div
        className="replay-chart-surface"
        data-testid="replay-chart-surface"
        style={{ left: Y_AXIS, right: RIGHT }}
        onMouseMove={(e) => onHoverTime(timeAt(e.clientX, e.currentTarget.parentElement!))}
        onMouseLeave={() => onHoverTime(null)}
        onClick={(e) => onSeek(timeAt(e.clientX, e.currentTarget.parentElement!))}
      />
    </div>
  );
}
