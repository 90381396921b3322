// Where each conflict entry sits on the timeline: x by time, one lane per kind, and marks that
// would overlap in a lane stacked into a few sub-rows so close entries stay separately clickable.
// Pure arithmetic, so the drawing component only draws.
import type { ConflictEntryDto, ConflictKindDto } from '../../../../shared/api';

export const LANE_HEIGHT = 38;
export const MARGIN = { left: 172, right: 18, top: 10, bottom: 26 } as const;
/** Marks closer than this (px) in one lane go to different sub-rows. */
const MIN_GAP_PX = 13;
const SUB_ROW_OFFSETS = [0, -11, 11] as const;
/** A single instant (or none) still needs some width to be drawn around. */
const MIN_SPAN_MS = 20_000;

export interface TimelineMark {
  readonly entry: ConflictEntryDto;
  readonly x: number;
  readonly y: number;
  /** Outside the drawn range (an outlier, e.g. a fix dated years ahead): drawn at that edge. */
  readonly outside: 'before' | 'after' | null;
}

/**
 * The span worth drawing: all entries, unless a few lie far from the rest (a fix stamped 2030
 * would squeeze every real entry against one edge). Times beyond three interquartile ranges of
 * the middle half are left out of the span; their marks sit at the edge, flagged as outside.
 */
export function robustSpan(times: readonly number[]): [number, number] | null {
  if (times.length === 0) return null;
  const t = [...times].sort((a, b) => a - b);
  if (t.length < 5) return [t[0]!, t[t.length - 1]!];
  const q = (p: number) => t[Math.min(t.length - 1, Math.floor(p * (t.length - 1)))]!;
  const iqr = Math.max(q(0.75) - q(0.25), 60_000);
  const inside = t.filter((x) => x >= q(0.25) - 3 * iqr && x <= q(0.75) + 3 * iqr);
  return [inside[0]!, inside[inside.length - 1]!];
}

export interface TimelineLayout {
  readonly width: number;
  readonly height: number;
  readonly plotLeft: number;
  readonly plotRight: number;
  readonly lanes: readonly { readonly kind: ConflictKindDto; readonly y: number }[];
  readonly marks: readonly TimelineMark[];
  readonly domain: readonly [number, number];
  xOf(ms: number): number;
  timeAt(x: number): number;
}

/** The time range to draw: the zoom when there is one, else all entries' span padded a little. */
export function timelineDomain(zoom: readonly [number, number] | null, span: readonly [number, number] | null): [number, number] {
  if (zoom) return [zoom[0], Math.max(zoom[1], zoom[0] + 1000)];
  if (!span) return [0, MIN_SPAN_MS];
  const [lo, hi] = span;
  const pad = Math.max((hi - lo) * 0.04, (MIN_SPAN_MS - (hi - lo)) / 2, 0);
  return [lo - pad, hi + pad];
}

export function layoutTimeline(
  entries: readonly ConflictEntryDto[],
  kinds: readonly ConflictKindDto[],
  domain: readonly [number, number],
  width: number,
  edges = false,
): TimelineLayout {
  const plotLeft = MARGIN.left;
  const plotRight = Math.max(plotLeft + 40, width - MARGIN.right);
  const [lo, hi] = domain;
  const scale = (plotRight - plotLeft) / Math.max(1, hi - lo);
  const xOf = (ms: number) => plotLeft + (ms - lo) * scale;
  const timeAt = (x: number) => lo + (Math.min(plotRight, Math.max(plotLeft, x)) - plotLeft) / scale;
  const lanes = kinds.map((kind, i) => ({ kind, y: MARGIN.top + i * LANE_HEIGHT + LANE_HEIGHT / 2 }));
  const laneY = new Map(lanes.map((l) => [l.kind, l.y]));

  const marks: TimelineMark[] = [];
  const rowEnds = new Map<ConflictKindDto, number[]>();
  for (const entry of [...entries].sort((a, b) => a.atMs - b.atMs)) {
    const y = laneY.get(entry.kind);
    if (y === undefined) continue;
    const outside = entry.atMs < lo ? 'before' : entry.atMs > hi ? 'after' : null;
    // Zoomed in, what lies outside is simply not shown; unzoomed, outliers wait at the edges.
    if (outside && !edges) continue;
    const x = outside === 'before' ? plotLeft : outside === 'after' ? plotRight : xOf(entry.atMs);
    let ends = rowEnds.get(entry.kind);
    if (!ends) rowEnds.set(entry.kind, (ends = SUB_ROW_OFFSETS.map(() => -Infinity)));
    // The first sub-row with room; when all are crowded, the one that has been free longest.
    let row = ends.findIndex((end) => x - end >= MIN_GAP_PX);
    if (row < 0) row = ends.indexOf(Math.min(...ends));
    ends[row] = x;
    marks.push({ entry, x, y: y + SUB_ROW_OFFSETS[row]!, outside });
  }
  return {
    width,
    height: MARGIN.top + kinds.length * LANE_HEIGHT + MARGIN.bottom,
    plotLeft,
    plotRight,
    lanes,
    marks,
    domain: [lo, hi],
    xOf,
    timeAt,
  };
}
