// Loads the replayed trucks' histories from the node, one truck after another so the console can
// say how far it got, and drops an answer that a newer choice of trucks or window made stale.
import { useEffect, useState } from 'react';
import type { ApiErrorDto, ReplayTrackDto } from '../../../../shared/api';
import { describeError } from '../../lib/errors';
import { useSession } from '../../store/session-context';
import type { ReplayParams } from './replay-params';

export interface ReplayTracks {
  readonly tracks: readonly ReplayTrackDto[];
  /** Trucks loaded so far of those asked for (progress while loading). */
  readonly loaded: number;
  readonly loading: boolean;
  readonly error: ApiErrorDto | null;
}

const IDLE: ReplayTracks = { tracks: [], loaded: 0, loading: false, error: null };

export function useReplayTracks(params: ReplayParams): ReplayTracks {
  const session = useSession();
  const [state, setState] = useState<ReplayTracks>(IDLE);
  const key = JSON.stringify(params);
  useEffect(() => {
    const p = JSON.parse(key) as ReplayParams;
    if (p.trucks.length === 0) {
      setState(IDLE);
      return;
    }
    let current = true;
    setState({ tracks: [], loaded: 0, loading: true, error: null });
    void (async () => {
      const tracks: ReplayTrackDto[] = [];
      try {
        for (const truck of p.trucks) {
          const track = await session.bridge.call('replay.track', { truck, ...(p.fromMs === null ? {} : { fromMs: p.fromMs }), ...(p.toMs === null ? {} : { toMs: p.toMs }) });
          if (!current) return;
          tracks.push(track);
          setState({ tracks: [...tracks], loaded: tracks.length, loading: tracks.length < p.trucks.length, error: null });
        }
      } catch (error) {
        if (current) setState({ tracks, loaded: tracks.length, loading: false, error: describeError(error) });
      }
    })();
    return () => {
      current = false;
    };
  }, [session, key]);
  return state;
}
