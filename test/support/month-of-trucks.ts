// A month of two trucks' history for replay tests: each day they stand at the depot until 06:00,
// drive north at 40 km/h for 4 h, stand an hour at the site, drive back, and stand at the depot
// from 15:00. A fix every 2 minutes (KBT-B a minute after KBT-A), signed by one tracker's feed
// and written straight into a node's store (as a sync would).
import type { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { FeedBuilder } from './feeds';

export const MONTH_START = Date.UTC(2026, 9, 31);
export const DAYS = 30;
export const EVERY_MS = 2 * 60_000;
const DEG_PER_KM_E6 = 1e6 / 111.195;

export interface MonthFix {
  readonly truck: string;
  readonly fixMs: number;
  readonly latE6: number;
  readonly lonE6: number;
  readonly speedKmh: number;
  readonly headingDeg: number;
}

function fixAt(truck: string, baseLatE6: number, lonE6: number, fixMs: number): MonthFix {
  const minute = ((fixMs - MONTH_START) % 86_400_000) / 60_000;
  const km = minute < 360 ? 0 : minute < 600 ? ((minute - 360) / 60) * 40 : minute < 660 ? 160 : minute < 900 ? 160 - ((minute - 660) / 60) * 40 : 0;
  const moving = (minute > 360 && minute < 600) || (minute > 660 && minute < 900);
  return { truck, fixMs, latE6: baseLatE6 + Math.round(km * DEG_PER_KM_E6), lonE6, speedKmh: moving ? 40 : 0, headingDeg: minute < 630 ? 0 : 180 };
}

export function monthOfFixes(): Record<'KBT-A' | 'KBT-B', MonthFix[]> {
  const a: MonthFix[] = [];
  const b: MonthFix[] = [];
  for (let t = MONTH_START; t < MONTH_START + DAYS * 86_400_000; t += EVERY_MS) {
    a.push(fixAt('KBT-A', -3_000_000, 36_800_000, t));
    b.push(fixAt('KBT-B', -3_000_000, 37_300_000, t + 60_000));
  }
  return { 'KBT-A': a, 'KBT-B': b };
}

/** Signs the fixes as one tracker's feed (in time order) and ingests it in runs of 1,000. */
export function writeMonth(store: SqliteFeedStore, fixes: readonly MonthFix[]): void {
  const kit = new FeedBuilder('month-tracker');
  const sorted = [...fixes].sort((x, y) => x.fixMs - y.fixMs);
  for (const f of sorted) kit.add('truck.position', { truck: f.truck, fix_ms: f.fixMs, lat_e6: f.latE6, lon_e6: f.lonE6, speed_kmh: f.speedKmh, heading_deg: f.headingDeg }, { wall: f.fixMs + 5000, counter: 0 });
  for (const run of kit.runs(1000)) store.ingest([run], 0);
}
