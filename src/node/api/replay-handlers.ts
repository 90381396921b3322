// Console API for replay: one truck's history over a window (node/replay/replay-track.ts).
import type { ApiHandlers, ReplayTrackDto } from '../../shared/api';
import { readReplayTrack, REPLAY_DEFAULT_POINTS, REPLAY_MAX_POINTS } from '../replay/replay-track';
import type { NodeApi } from './node-api';
import { timeWindowArgs } from './time-args';

type ReplayHandlers = Pick<ApiHandlers, 'replay.track'>;

export function createReplayHandlers(node: NodeApi, fail: (code: string, message: string) => never): ReplayHandlers {
  return {
    'replay.track': async (args): Promise<ReplayTrackDto> => {
      const a = (args ?? {}) as Record<string, unknown>;
      const truck = a['truck'];
      if (typeof truck !== 'string' || truck.length === 0 || truck.length > 200) fail('bad_request', 'truck must be a truck id');
      const { fromMs, toMs } = timeWindowArgs(a, fail, 'the end of the replay window is before its start');
      const points = a['maxPoints'] ?? REPLAY_DEFAULT_POINTS;
      if (typeof points !== 'number' || !Number.isInteger(points) || points < 2 || points > REPLAY_MAX_POINTS) fail('bad_request', `maxPoints must be a whole number from 2 to ${REPLAY_MAX_POINTS}`);
      return readReplayTrack(node.projections.fleet, { truck: truck as string, fromMs, toMs, maxPoints: points as number });
    },
  };
}
