// Where each replayed truck is at a moment: the plausible fixes around it, interpolated in
// time (a truck between two fixes is drawn between them, not jumping from one to the next), and
// the fixes a step goes to. Flagged fixes are never a position: the map left them out live too.
import type { ReplayTrackDto } from '../../../../shared/api';

export interface ReplayPosition {
  readonly truck: string;
  readonly lat: number;
  readonly lon: number;
  readonly speedKmh: number | null;
  readonly headingDeg: number | null;
  /** The fix at or before the moment (an index into the track's columns). */
  readonly index: number;
}

/** The plausible fixes' indexes of a track, in time order. */
export function plausibleIndexes(track: ReplayTrackDto): number[] {
  const out: number[] = [];
  track.fixes.flag.forEach((f, i) => f === null && out.push(i));
  return out;
}

/** The last position in `ixs` (plausible indexes) whose fix time is at or before `t`, or -1. */
export function atOrBefore(track: ReplayTrackDto, ixs: readonly number[], t: number): number {
  const times = track.fixes.fixMs;
  let lo = 0;
  let hi = ixs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[ixs[mid]!]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The truck's position at `t`, or null before its first plausible fix. */
export function positionAt(track: ReplayTrackDto, ixs: readonly number[], t: number): ReplayPosition | null {
  const k = atOrBefore(track, ixs, t);
  if (k < 0) return null;
  const { fixMs, lat, lon, speedKmh, headingDeg } = track.fixes;
  const i = ixs[k]!;
  const next = ixs[k + 1];
  // After its last fix a truck stays where it was last seen.
  if (next === undefined) return { truck: track.truck, lat: lat[i]!, lon: lon[i]!, speedKmh: speedKmh[i]!, headingDeg: headingDeg[i]!, index: i };
  const span = fixMs[next]! - fixMs[i]!;
  const f = span > 0 ? (t - fixMs[i]!) / span : 0;
  return {
    truck: track.truck,
    lat: lat[i]! + (lat[next]! - lat[i]!) * f,
    lon: lon[i]! + (lon[next]! - lon[i]!) * f,
    speedKmh: speedKmh[i]!,
    headingDeg: headingDeg[i]!,
    index: i,
  };
}

/** The nearest fix time after (dir 1) or before (dir -1) `t` among every track's fixes, or null. */
export function stepTime(tracks: readonly ReplayTrackDto[], t: number, dir: 1 | -1): number | null {
  let best: number | null = null;
  for (const track of tracks) {
    const times = track.fixes.fixMs;
    let lo = 0;
    let hi = times.length;
    // First index with time > t (dir 1) or >= t (dir -1).
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dir === 1 ? times[mid]! <= t : times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    const candidate = dir === 1 ? times[lo] : times[lo - 1];
    if (candidate !== undefined && (best === null || (dir === 1 ? candidate < best : candidate > best))) best = candidate;
  }
  return best;
}

/** The window every track spans: from the earliest fix to the latest. */
export function spanOf(tracks: readonly ReplayTrackDto[]): { readonly startMs: number; readonly endMs: number } | null {
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const t of tracks) {
    const times = t.fixes.fixMs;
    if (times.length === 0) continue;
    startMs = Math.min(startMs, times[0]!);
    endMs = Math.max(endMs, times[times.length - 1]!);
  }
  return startMs <= endMs ? { startMs, endMs } : null;
}

/** Path coordinates [lon, lat] of the plausible fixes with times in [fromMs, toMs]. */
export function pathBetween(track: ReplayTrackDto, ixs: readonly number[], fromMs: number, toMs: number): [number, number][] {
  const { fixMs, lat, lon } = track.fixes;
  const out: [number, number][] = [];
  for (let k = Math.max(0, atOrBefore(track, ixs, fromMs)); k < ixs.length; k++) {
    const i = ixs[k]!;
    if (fixMs[i]! > toMs) break;
    if (fixMs[i]! >= fromMs) out.push([lon[i]!, lat[i]!]);
  }
  return out;
}
