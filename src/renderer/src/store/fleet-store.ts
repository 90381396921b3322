// The fleet as the console holds it: full snapshots on start, every 30 s and whenever a push
// reveals missed fixes; pushed trail tails merged in between. Owns the only timer besides the 1 s
// age tick.
import type { ApiErrorDto, MandalaBridge } from '../../../shared/api';
import { describeError } from '../lib/errors';
import { createExternalStore, type ExternalStore } from './external-store';
import { foldSnapshot, type TruckTrack } from './trail-merge';

export const FULL_REFRESH_MS = 30_000;
/** Fixes per truck asked for in a full snapshot; pushes then extend the trail up to TRAIL_CAP. */
export const SNAPSHOT_TRAIL_LIMIT = 500;

export interface FleetState {
  readonly tracks: readonly TruckTrack[];
  /** The node's time of the last answer. */
  readonly atMs: number | null;
  readonly loaded: boolean;
  readonly error: ApiErrorDto | null;
}

export interface FleetStore {
  readonly store: ExternalStore<FleetState>;
  start(): () => void;
  /** A full snapshot; calls made while one is in flight coalesce into one follow-up. */
  refresh(): void;
}

export function createFleetStore(bridge: MandalaBridge): FleetStore {
  const store = createExternalStore<FleetState>({ tracks: [], atMs: null, loaded: false, error: null });
  let running = false;
  let inFlight = false;
  let again = false;

  const refresh = (): void => {
    if (!running) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    bridge
      .call('fleet.snapshot', { trailLimit: SNAPSHOT_TRAIL_LIMIT })
      .then((snapshot) => {
        if (!running) return;
        store.update((s) => {
          const older = s.atMs !== null && snapshot.atMs < s.atMs;
          return { tracks: foldSnapshot(s.tracks, snapshot, older).tracks, atMs: older ? s.atMs : snapshot.atMs, loaded: true, error: null };
        });
      })
      .catch((error: unknown) => {
        if (running) store.update((s) => ({ ...s, error: describeError(error) }));
      })
      .finally(() => {
        inFlight = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  };

  return {
    store,
    refresh,
    start() {
      running = true;
      // Pushes carry the trucks that changed, numbered: a gap (a push lost while the link was
      // down, or skipped by a node whose console could not keep up) means a full snapshot.
      let lastPush: number | null = null;
      const unsubscribe = bridge.subscribe('fleet', (snapshot) => {
        const fold = foldSnapshot(store.get().tracks, snapshot);
        store.update((s) => ({ tracks: fold.tracks, atMs: snapshot.atMs, loaded: true, error: s.error }));
        const seq = snapshot.pushSeq ?? null;
        const gap = seq !== null && lastPush !== null && seq !== lastPush + 1;
        lastPush = seq;
        if (fold.missedFixes || gap) refresh();
      });
      const timer = setInterval(refresh, FULL_REFRESH_MS);
      refresh();
      return () => {
        running = false;
        clearInterval(timer);
        unsubscribe();
      };
    },
  };
}
