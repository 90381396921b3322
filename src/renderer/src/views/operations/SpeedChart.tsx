// One truck's speed over time: the reported speed as a solid line in the truck's colour, the speed
// its movement implies as a dashed line, flagged fixes as red dots, and the limit as a reference
// line. Hovering reports the fix under the pointer so the map can ring it.
import { describeFlag } from '../../lib/fix-flags';
import { useEffect, useMemo, useRef, useState } from 'react';
import { CartesianGrid, ComposedChart, Line, ReferenceLine, Scatter, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { FixDto } from '../../../../shared/api';
import { formatAxisTime, formatClockTime, formatSpeed } from '../../lib/format';
import { timeTicks } from '../../lib/time-ticks';
import { SPEED_LIMIT_KMH, type SpeedRow, type SpeedSeries } from './speed-series';

/** The chart's ink: theme tokens from base.css (Chromium reads var() in SVG attributes), and the fixed status colours. */
const INK = {
  grid: 'var(--border)',
  axis: 'var(--border-strong)',
  tick: 'var(--text-dim)',
  implied: 'var(--text-soft)',
  limit: '#f2b53d',
  flagged: '#ff5a5f',
  cursor: 'var(--text-faint)',
} as const;

/** Dots on the reported line help with a handful of fixes and turn into a smear with hundreds. */
const DOTS_UP_TO = 36;
/** Roughly one time label per 110 px of a typical map width; recharts drops any that collide. */
const MAX_TIME_TICKS = 8;

export interface SpeedChartProps {
  readonly series: SpeedSeries;
  readonly color: string;
  /** The node's current time, to print dates for fixes that are not from today. */
  readonly nowMs: number;
  readonly onHoverFix: (fix: FixDto | null) => void;
}

function SpeedTooltip({ active, payload, nowMs }: TooltipContentProps & { nowMs: number }) {
  const row = payload?.[0]?.payload as SpeedRow | undefined;
  if (!active || !row) return null;
  const { fix } = row;
  return (
    <div className="speed-tooltip">
      <div className="speed-tooltip-time">{formatClockTime(fix.fixMs, nowMs)}</div>
      {fix.flag !== null ? <div className="speed-tooltip-flag">Flagged: {describeFlag(fix.flag)}</div> : null}
      {fix.historical ? <div className="speed-tooltip-historical">Historical (recorded late): fires no alert</div> : null}
      <dl>
        <dt>Reported</dt>
        <dd>{formatSpeed(fix.speedKmh)}</dd>
        {fix.flag === null ? (
          <>
            <dt>Implied</dt>
            <dd>{formatSpeed(row.implied)}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

export function SpeedChart({ series, color, nowMs, onHoverFix }: SpeedChartProps) {
  const { rows, yMax, reportedCount } = series;
  const start = rows[0]?.fixMs ?? 0;
  const end = rows[rows.length - 1]?.fixMs ?? 0;
  const axis = useMemo(() => timeTicks(start, end, MAX_TIME_TICKS), [start, end]);
  const yTicks = useMemo(() => Array.from({ length: yMax / 20 + 1 }, (_, i) => i * 20), [yMax]);

  // recharts keeps the hovered index while new fixes arrive and shift the points under it, so the
  // map is told the fix at that index, not the fix first hovered: chart and map never disagree.
  const [activeIndex, setActiveIndex] = useState<number | null>(null);
  const activeFix = activeIndex === null ? null : (rows[activeIndex]?.fix ?? null);
  const notify = useRef(onHoverFix);
  useEffect(() => {
    notify.current = onHoverFix;
  });
  useEffect(() => notify.current(activeFix), [activeFix]);
  // A chart that goes away (collapsed, empty) must not leave its ring on the map.
  useEffect(() => () => notify.current(null), []);

  const hover = (index: number | string | null | undefined) => {
    const i = index === undefined || index === null ? NaN : Number(index);
    setActiveIndex(Number.isInteger(i) && i >= 0 ? i : null);
  };

  return (
    <ComposedChart
      responsive
      style={{ width: '100%', height: '100%' }}
      data={rows}
      margin={{ top: 10, right: 44, bottom: 0, left: 0 }}
      onMouseMove={(state) => hover(state.isTooltipActive ? state.activeTooltipIndex : undefined)}
      onMouseLeave={() => hover(undefined)}
    >
      <CartesianGrid stroke={INK.grid} strokeDasharray="2 4" vertical={false} />
      <XAxis
        dataKey="fixMs"
        type="number"
        scale="time"
        domain={[start, end]}
        ticks={[...axis.ticks]}
        tickFormatter={(ms: number) => formatAxisTime(ms, axis.showSeconds)}
        stroke={INK.axis}
        tick={{ fill: INK.tick, fontSize: 11 }}
        tickLine={false}
        minTickGap={24}
      />
      <YAxis
        domain={[0, yMax]}
        ticks={yTicks}
        stroke={INK.axis}
        tick={{ fill: INK.tick, fontSize: 11 }}
        tickLine={false}
        width={44}
        label={{ value: 'km/h', angle: -90, position: 'insideLeft', offset: 12, fill: INK.tick, fontSize: 11 }}
      />
      <ReferenceLine
        y={SPEED_LIMIT_KMH}
        stroke={INK.limit}
        strokeDasharray="6 4"
        strokeOpacity={0.8}
        label={{ value: 'limit', position: 'right', fill: INK.limit, fontSize: 11 }}
      />
      <Line
        dataKey="implied"
        name="Implied"
        type="linear"
        stroke={INK.implied}
        strokeWidth={1.5}
        strokeDasharray="5 4"
        dot={false}
        activeDot={{ r: 3.5, fill: INK.implied, stroke: 'none' }}
        connectNulls
        isAnimationActive={false}
      />
      <Line
        dataKey="reported"
        name="Reported"
        type="linear"
        stroke={color}
        strokeWidth={2}
        dot={reportedCount <= DOTS_UP_TO ? { r: 2.5, fill: color, stroke: 'none' } : false}
        activeDot={{ r: 5, fill: color, stroke: '#fff', strokeWidth: 1.5 }}
        connectNulls
        isAnimationActive={false}
      />
      <Scatter dataKey="flagged" name="Flagged" fill={INK.flagged} stroke="var(--text-strong)" strokeWidth={1} isAnimationActive={false} />
      <Tooltip
        content={(props: TooltipContentProps) => <SpeedTooltip {...props} nowMs={nowMs} />}
        cursor={{ stroke: INK.cursor, strokeDasharray: '3 3' }}
        isAnimationActive={false}
      />
    </ComposedChart>
  );
}
