// What a truck is doing, as the map colours it: alerting (an open alert), quiet (no fix for
// 10 min: where it is drawn may no longer be where it is), moving (3 km/h or more), or stopped.
// Its age fades it further: a fix 2 to 10 min old is drawn fainter. One rule for the map, its
// legend and the tests.
import type { FixDto } from '../../../shared/api';
import { AGING_LIMIT_MS, freshnessOf, type Freshness } from './freshness';

export type TruckStatus = 'alerting' | 'quiet' | 'moving' | 'stopped';

/** At or above this reported speed a truck counts as moving (and gets a heading arrow). */
export const MOVING_KMH = 3;

export function truckStatus(current: FixDto | null, nowMs: number, openAlerts: number): TruckStatus {
  if (openAlerts > 0) return 'alerting';
  const freshness: Freshness = freshnessOf(current?.fixMs, nowMs);
  if (freshness === 'stale' || freshness === 'unknown') return 'quiet';
  return (current?.speedKmh ?? 0) >= MOVING_KMH ? 'moving' : 'stopped';
}

export const STATUS_COLOR: Readonly<Record<TruckStatus, string>> = {
  alerting: '#ff5a5f',
  quiet: '#6e7a89',
  moving: '#3fd68f',
  stopped: '#4ea1ff',
};

export const STATUS_LABEL: Readonly<Record<TruckStatus, string>> = {
  alerting: 'alerting: an open alert',
  quiet: `quiet: no fix for ${AGING_LIMIT_MS / 60_000} min`,
  moving: `moving: ${MOVING_KMH} km/h or more`,
  stopped: 'stopped',
};
