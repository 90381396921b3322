// Tracks as CSV, the header a spreadsheet or a GIS opens as points: truck, time (ISO-8601 UTC),
// lat, lon, speed_kmh, heading, flag (empty when the fix is plausible). Quoting by csv-stringify;
// a truck id a spreadsheet would run as a formula is written as text (spreadsheet-safe.ts).
import { stringify } from 'csv-stringify/sync';
import type { EvaluatedFix } from '../../core/projections/fleet-trail';
import { textCell } from './spreadsheet-safe';
import { degrees, isoTime, type TrackEncoder, type TrackPages } from './track-export';

export const CSV_HEADER = ['truck', 'time', 'lat', 'lon', 'speed_kmh', 'heading', 'flag'] as const;

function row(truck: string, f: EvaluatedFix): string[] {
  return [textCell(truck), isoTime(f.fixMs), degrees(f.latE6), degrees(f.lonE6), f.speedKmh === null ? '' : String(f.speedKmh), f.headingDeg === null ? '' : String(f.headingDeg), f.flag ?? ''];
}

export const csvEncoder: TrackEncoder = {
  mime: 'text/csv',
  extension: 'csv',
  head: () => stringify([[...CSV_HEADER]]),
  *track(t: TrackPages) {
    for (const page of t.pages()) yield stringify(page.map((f) => row(t.truck, f)));
  },
  tail: () => '',
};
