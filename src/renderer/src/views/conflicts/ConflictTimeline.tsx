// The conflict timeline: one lane per kind, entries plotted at their time, coloured by kind, open
// ones filled with a halo, settled ones hollow, the rest as diamonds. Drag across the plot to zoom
// into a time range; click a mark to open its events. Plain SVG: a few hundred marks with custom
// shapes, lanes and drag-to-zoom are simpler drawn than bent out of a chart library.
import { useMemo, useState, type PointerEvent } from 'react';
import type { ConflictEntryDto, ConflictKindDto } from '../../../../shared/api';
import { formatAxisTime, formatClockTime } from '../../lib/format';
import { timeTicks } from '../../lib/time-ticks';
import { useElementWidth } from '../../lib/use-element-width';
import { entryPlace, kindMeta } from './conflict-kinds';
import { layoutTimeline, MARGIN, type TimelineLayout, type TimelineMark } from './timeline-layout';

/** Mirrors base.css (--border, --text-dim, --panel, --accent). */
const INK = { grid: 'var(--border)', lane: 'var(--panel-2)', label: 'var(--text-soft)', tick: 'var(--text-dim)', hole: 'var(--panel)', accent: '#4ea1ff' } as const;
/** A drag shorter than this (px) is a click, not a zoom. */
const MIN_DRAG_PX = 6;
const DAY_MS = 24 * 3600_000;

export interface ConflictTimelineProps {
  readonly entries: readonly ConflictEntryDto[];
  readonly kinds: readonly ConflictKindDto[];
  readonly domain: readonly [number, number];
  /** Draw entries outside the domain at its edges (the unzoomed view's outliers). */
  readonly edges?: boolean;
  readonly selectedId: string | null;
  readonly nowMs: number;
  readonly onSelect: (entry: ConflictEntryDto) => void;
  readonly onZoom: (fromMs: number, toMs: number) => void;
}

function tickLabels(ticks: readonly number[], showSeconds: boolean, spanMs: number, stepMs: number): string[] {
  const withDate = spanMs > DAY_MS * 0.8;
  let previousDay = '';
  return ticks.map((ms) => {
    const at = new Date(ms);
    const day = `${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`;
    if (stepMs >= DAY_MS) return day; // whole days apart: the time of day says nothing
    const label = formatAxisTime(ms, showSeconds);
    const show = withDate && day !== previousDay;
    previousDay = day;
    return show ? `${day} ${label}` : label;
  });
}

function Mark({ mark, selected, nowMs, onSelect }: { mark: TimelineMark; selected: boolean; nowMs: number; onSelect: (e: ConflictEntryDto) => void }) {
  const { entry } = mark;
  const color = kindMeta(entry.kind).color;
  const place = entryPlace(entry);
  return (
    <g
      className={selected ? 'timeline-mark is-selected' : 'timeline-mark'}
      transform={`translate(${mark.x.toFixed(1)} ${mark.y.toFixed(1)})`}
      data-testid="timeline-mark"
      data-entry={entry.id}
      data-kind={entry.kind}
      data-status={entry.status ?? 'none'}
      data-outside={mark.outside ?? undefined}
      onPointerDown={(event) => event.stopPropagation()}
      onClick={() => onSelect(entry)}
    >
      <title>{`${mark.outside ? `Far ${mark.outside} the range drawn: ` : ''}${formatClockTime(entry.atMs, nowMs)} · ${kindMeta(entry.kind).label}${entry.status ? ` (${entry.status})` : ''}${place ? ` · ${place}` : ''}\n${entry.summary}`}</title>
      {selected ? <circle r={11} fill="none" stroke="var(--text-strong)" strokeWidth={1.5} /> : null}
      {entry.status === 'open' ? (
        <>
          <circle r={8.5} fill={color} fillOpacity={0.18} stroke={color} strokeOpacity={0.6} />
          <circle r={5} fill={color} />
        </>
      ) : entry.status === 'settled' ? (
        <circle r={5} fill={INK.hole} stroke={color} strokeWidth={2} />
      ) : (
        <rect x={-4} y={-4} width={8} height={8} transform="rotate(45)" fill={color} />
      )}
      {mark.outside ? <path d={mark.outside === 'before' ? 'M-9 0 L-4 -4 L-4 4 Z' : 'M9 0 L4 -4 L4 4 Z'} fill={color} /> : null}
      {/* The hit area stays smaller than the closest two marks are ever placed (timeline-layout). */}
      <circle r={7} fill="transparent" />
    </g>
  );
}

function Lanes({ layout, counts }: { layout: TimelineLayout; counts: ReadonlyMap<string, number> }) {
  return (
    <g>
      {layout.lanes.map((lane, i) => {
        const meta = kindMeta(lane.kind);
        const top = lane.y - 19;
        return (
          <g key={lane.kind} data-testid="timeline-lane" data-kind={lane.kind}>
            {i % 2 === 0 ? <rect x={layout.plotLeft} y={top} width={layout.plotRight - layout.plotLeft} height={38} fill={INK.lane} /> : null}
            <rect x={10} y={lane.y - 5} width={10} height={10} rx={2} fill={meta.color} />
            <text x={26} y={lane.y + 4} fill={INK.label} fontSize={12}>
              {meta.label}
            </text>
            <text x={layout.plotLeft - 10} y={lane.y + 4} fill={INK.tick} fontSize={11} textAnchor="end">
              {counts.get(lane.kind) ?? 0}
            </text>
          </g>
        );
      })}
    </g>
  );
}

function Axis({ layout }: { layout: TimelineLayout }) {
  const [lo, hi] = layout.domain;
  const axis = useMemo(() => timeTicks(lo, hi, Math.max(2, Math.floor((layout.plotRight - layout.plotLeft) / 120))), [lo, hi, layout.plotLeft, layout.plotRight]);
  // A label centred on a tick at the very edge would run under the lane names.
  const ticks = axis.ticks.filter((ms) => layout.xOf(ms) >= layout.plotLeft + 24 && layout.xOf(ms) <= layout.plotRight - 24);
  const labels = tickLabels(ticks, axis.showSeconds, hi - lo, axis.stepMs);
  const bottom = layout.height - MARGIN.bottom;
  return (
    <g>
      {ticks.map((ms, i) => (
        <g key={ms}>
          <line x1={layout.xOf(ms)} x2={layout.xOf(ms)} y1={MARGIN.top} y2={bottom} stroke={INK.grid} strokeDasharray="2 4" />
          <text x={layout.xOf(ms)} y={bottom + 17} fill={INK.tick} fontSize={11} textAnchor="middle">
            {labels[i]}
          </text>
        </g>
      ))}
      <line x1={layout.plotLeft} x2={layout.plotRight} y1={bottom} y2={bottom} stroke="var(--border-strong)" />
    </g>
  );
}

export function ConflictTimeline({ entries, kinds, domain, edges = false, selectedId, nowMs, onSelect, onZoom }: ConflictTimelineProps) {
  const [frameRef, width] = useElementWidth<HTMLDivElement>();
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null);
  const layout = useMemo(() => layoutTimeline(entries, kinds, domain, Math.max(width, 320), edges), [entries, kinds, domain, width, edges]);
  const counts = useMemo(() => {
    const c = new Map<string, number>();
    for (const m of layout.marks) c.set(m.entry.kind, (c.get(m.entry.kind) ?? 0) + 1);
    return c;
  }, [layout]);
  // Selected last, so its ring is drawn over its neighbours.
  const ordered = useMemo(() => [...layout.marks].sort((a, b) => Number(a.entry.id === selectedId) - Number(b.entry.id === selectedId)), [layout, selectedId]);

  const localX = (event: PointerEvent<SVGElement>) => event.clientX - (event.currentTarget.ownerSVGElement ?? (event.currentTarget as SVGSVGElement)).getBoundingClientRect().left;
  const bottom = layout.height - MARGIN.bottom;

  return (
    <div className="timeline-frame" ref={frameRef} data-testid="conflict-timeline" data-marks={layout.marks.length}>
      {width > 0 ? (
        <svg width={layout.width} height={layout.height} role="img" aria-label="Conflict timeline: one lane per kind, time across">
          <Lanes layout={layout} counts={counts} />
          <Axis layout={layout} />
          <rect
            className="timeline-plot"
            x={layout.plotLeft}
            y={MARGIN.top}
            width={layout.plotRight - layout.plotLeft}
            height={bottom - MARGIN.top}
            fill="transparent"
            onPointerDown={(event) => {
              event.currentTarget.setPointerCapture(event.pointerId);
              const x = localX(event);
              setDrag({ x0: x, x1: x });
            }}
            onPointerMove={(event) => drag && setDrag({ ...drag, x1: localX(event) })}
            onPointerUp={() => {
              if (drag && Math.abs(drag.x1 - drag.x0) >= MIN_DRAG_PX) {
                const [a, b] = [layout.timeAt(Math.min(drag.x0, drag.x1)), layout.timeAt(Math.max(drag.x0, drag.x1))];
                onZoom(Math.floor(a), Math.ceil(b));
              }
              setDrag(null);
            }}
            onPointerCancel={() => setDrag(null)}
          />
          {drag ? (
            <rect
              x={Math.max(layout.plotLeft, Math.min(drag.x0, drag.x1))}
              y={MARGIN.top}
              width={Math.min(Math.abs(drag.x1 - drag.x0), layout.plotRight - layout.plotLeft)}
              height={bottom - MARGIN.top}
              fill={INK.accent}
              fillOpacity={0.14}
              stroke={INK.accent}
              strokeOpacity={0.6}
              pointerEvents="none"
            />
          ) : null}
          {ordered.map((mark) => (
            <Mark key={mark.entry.id} mark={mark} selected={mark.entry.id === selectedId} nowMs={nowMs} onSelect={onSelect} />
          ))}
        </svg>
      ) : null}
    </div>
  );
}
