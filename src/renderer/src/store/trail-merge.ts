// Pure folds from the node's fleet snapshots into the trails the console holds. Pushes carry only
// the newest fixes per truck, so trails are merged, never replaced: deduplicated by event
// (author:seq), sorted by fix time, and capped. A fix seen again replaces the held copy, because
// the node may re-judge its flag once older fixes arrive.
import type { FixDto, FleetSnapshotDto, TruckDto } from '../../../shared/api';

/** Fixes kept per truck; older ones fall off the tail of the trail. */
export const TRAIL_CAP = 1000;

export interface TruckTrack {
  /** The node's latest summary of the truck (its `trail` is whatever the last answer carried). */
  readonly summary: TruckDto;
  /** Every fix held for the truck, oldest first, flagged ones included. */
  readonly trail: readonly FixDto[];
}

export const fixKey = (fix: FixDto): string => `${fix.author}:${fix.seq}`;

function byFixTime(a: FixDto, b: FixDto): number {
  return a.fixMs - b.fixMs || (a.author < b.author ? -1 : a.author > b.author ? 1 : a.seq - b.seq);
}

/** The union of two trails; returns `held` itself when `incoming` adds or changes nothing. */
export function mergeTrail(held: readonly FixDto[], incoming: readonly FixDto[], cap = TRAIL_CAP): { trail: readonly FixDto[]; added: number } {
  const byKey = new Map<string, FixDto>();
  for (const fix of held) byKey.set(fixKey(fix), fix);
  let added = 0;
  let changed = false;
  for (const fix of incoming) {
    const key = fixKey(fix);
    const previous = byKey.get(key);
    if (!previous) added++;
    else if (previous.flag === fix.flag) continue;
    byKey.set(key, fix);
    changed = true;
  }
  if (!changed) return { trail: held, added: 0 };
  const merged = [...byKey.values()].sort(byFixTime);
  return { trail: merged.length > cap ? merged.slice(merged.length - cap) : merged, added };
}

export interface FleetFold {
  readonly tracks: readonly TruckTrack[];
  /** True when the answer shows fixes the console missed, so a full snapshot should be fetched. */
  readonly missedFixes: boolean;
}

/**
 * Folds a snapshot (full or pushed tail) into the held tracks. Gaps are detected three ways: a new
 * truck arriving with more fixes than its tail, a truck's fix count growing by more than the fixes
 * merged, and a change in `historicalCount` (late fixes that landed inside the trail).
 * `answerIsOlder` marks a reply computed before the state already held (a slow full snapshot).
 */
export function foldSnapshot(held: readonly TruckTrack[], snapshot: FleetSnapshotDto, answerIsOlder = false): FleetFold {
  const heldByTruck = new Map(held.map((t) => [t.summary.truck, t]));
  let missedFixes = false;
  // A partial push names only the trucks that changed: the others stay as held (the same objects,
  // so the map sees them unchanged).
  const named = new Set(snapshot.trucks.map((t) => t.truck));
  const untouched = snapshot.partial ? held.filter((t) => !named.has(t.summary.truck)) : [];
  const tracks = snapshot.trucks
    .map((summary): TruckTrack => {
      const previous = heldByTruck.get(summary.truck);
      const { trail, added } = mergeTrail(previous?.trail ?? [], summary.trail);
      // A full snapshot that was overtaken by a push still adds history, but its summary is older.
      if (previous && answerIsOlder) return { summary: previous.summary, trail };
      if (!previous) {
        if (summary.fixCount > summary.trail.length) missedFixes = true;
      } else if (previous.summary.historicalCount !== summary.historicalCount || summary.fixCount - previous.summary.fixCount > added) {
        missedFixes = true;
      }
      return { summary, trail };
    })
    .concat(untouched)
    .sort((a, b) => (a.summary.truck < b.summary.truck ? -1 : a.summary.truck > b.summary.truck ? 1 : 0));
  return { tracks, missedFixes };
}
