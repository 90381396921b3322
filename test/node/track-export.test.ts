// PROVES: the GPX, KML and CSV exports read back, in independent parsers (@tmcw/togeojson over
//         @xmldom/xmldom, csv-parse), to exactly the fleet view's fixes: one track per truck, in
//         event-time order (also when fixes arrived out of order), every fix with its time, flagged
//         fixes kept and marked with their reason, speed and heading where the fix had them; a
//         track longer than a page comes out whole; --truck, --from and --to choose; progress
//         counts every fix once; names that XML must escape survive.
// CATCHES: exports ordered by arrival, flagged fixes dropped (what the map left out must show),
//          a page boundary that loses or repeats fixes, markup from a truck id breaking the file.
import { DOMParser } from '@xmldom/xmldom';
import { gpx, kml } from '@tmcw/togeojson';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { applyAll, createProjections } from '../../src/core/projections/set';
import { csvEncoder, CSV_HEADER } from '../../src/node/export/csv';
import { gpxEncoder, MANDALA_NS } from '../../src/node/export/gpx';
import { kmlEncoder } from '../../src/node/export/kml';
import { trackChunks, type ExportProgress, type TrackEncoder, type TrackQuery } from '../../src/node/export/track-export';
import { FeedBuilder } from '../support/feeds';

interface ViewFix {
  fix_ms: number;
  lat: number;
  lon: number;
  speed_kmh?: number;
  heading_deg?: number;
  flag?: string;
}

const LONG = 4_500; // more than two pages of 2,000
const ODD = 'K<&>"1\u0007';

function fleetWithHistory() {
  const kit = new FeedBuilder('kit-export');
  const t0 = 1_780_000_000_000;
  // T-LONG: a fix a minute, sent in a shuffled order (a late batch), one of them 300 km off.
  const order = Array.from({ length: LONG }, (_, i) => i);
  for (let i = 0; i < order.length; i += 7) order.splice(i, 7, ...order.slice(i, i + 7).reverse());
  for (const i of order) {
    const far = i === 1234;
    kit.add('truck.position', { truck: 'T-LONG', fix_ms: t0 + i * 60_000, lat_e6: far ? -4_000_000 : -1_000_000 - i * 100, lon_e6: 36_000_000 + i * 100, speed_kmh: 36, heading_deg: i % 360 }, { wall: t0 + LONG * 60_000 + i, counter: 0 });
  }
  kit.add('truck.position', { truck: ODD, fix_ms: t0, lat_e6: -2_000_000, lon_e6: 37_000_000 }, { wall: t0 + 1000, counter: 0 });
  kit.add('truck.position', { truck: ODD, fix_ms: t0 + 60_000, lat_e6: -2_000_500, lon_e6: 37_000_500, speed_kmh: 12 }, { wall: t0 + 61_000, counter: 0 });
  const set = createProjections();
  applyAll(set, kit.events);
  return { fleet: set.fleet, t0, view: (set.fleet.view() as unknown as { trucks: Record<string, { fixes: ViewFix[] }> }).trucks };
}

function run(encoder: TrackEncoder, query: Partial<TrackQuery> = {}) {
  const { fleet } = built;
  const progress: ExportProgress[] = [];
  const r = trackChunks(fleet, { trucks: null, fromMs: null, toMs: null, ...query }, encoder, (p) => progress.push(p));
  const text = [...r.chunks].join('');
  return { text, summary: r.summary(), total: r.total, progress };
}

const built = fleetWithHistory();
const xml = (text: string) => new DOMParser().parseFromString(text, 'text/xml');
const iso = (ms: number) => new Date(ms).toISOString();

describe('track exports read back to the fleet view', () => {
  const longFixes = built.view['T-LONG']!.fixes;

  it('the_fixture_has_a_flagged_fix_and_is_out_of_arrival_order', () => {
    expect(longFixes).toHaveLength(LONG);
    expect(longFixes.filter((f) => f.flag).map((f) => f.flag)).toEqual(['implied_speed_over_limit']);
    expect(longFixes.map((f) => f.fix_ms)).toEqual([...longFixes.map((f) => f.fix_ms)].sort((a, b) => a - b));
  });

  it('gpx_one_track_per_truck_every_fix_timed_flagged_marked', () => {
    const { text, summary, progress, total } = run(gpxEncoder);
    expect(summary).toEqual({ tracks: 2, points: LONG + 2, flagged: 1 });
    expect(total).toBe(LONG + 2);
    expect(progress.at(-1)).toEqual({ done: LONG + 2, total: LONG + 2 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    const doc = xml(text);
    const geo = gpx(doc as never);
    expect(geo.features.map((f) => f.properties?.['name'])).toEqual([ODD.replace('\u0007', '\ufffd'), 'T-LONG'].sort());
    const long = geo.features.find((f) => f.properties?.['name'] === 'T-LONG')!;
    expect((long.geometry as { coordinates: number[][] }).coordinates).toEqual(longFixes.map((f) => [f.lon, f.lat]));
    const props = long.properties!['coordinateProperties'] as { times: string[]; speeds: number[]; courses: number[] };
    expect(props.times).toEqual(longFixes.map((f) => iso(f.fix_ms)));
    expect(props.courses).toEqual(longFixes.map((f) => f.heading_deg ?? null));
    for (const [i, s] of props.speeds.entries()) if (longFixes[i]!.speed_kmh !== undefined) expect(s * 3.6).toBeCloseTo(longFixes[i]!.speed_kmh!, 2);
    const points = Array.from(doc.getElementsByTagName('trkpt'));
    expect(points).toHaveLength(LONG + 2);
    const flags = points.map((p) => p.getElementsByTagNameNS(MANDALA_NS, 'flag')[0]?.textContent ?? null);
    const expected = [...built.view[ODD]!.fixes, ...longFixes].map((f) => f.flag ?? null);
    expect(flags.sort()).toEqual(expected.sort());
    expect(doc.documentElement?.getAttribute('version')).toBe('1.1');
  });

  it('kml_gx_track_with_a_when_per_point_and_flag_data', () => {
    const { text, summary } = run(kmlEncoder);
    expect(summary.points).toBe(LONG + 2);
    const doc = xml(text);
    const geo = kml(doc as never);
    const long = geo.features.find((f) => f.properties?.['name'] === 'T-LONG')!;
    expect((long.geometry as { coordinates: number[][] }).coordinates.map(([lon, lat]) => [lon, lat])).toEqual(longFixes.map((f) => [f.lon, f.lat]));
    expect((long.properties!['coordinateProperties'] as { times: string[] }).times).toEqual(longFixes.map((f) => iso(f.fix_ms)));
    const placemark = Array.from(doc.getElementsByTagName('Placemark')).find((p) => p.getElementsByTagName('name')[0]!.textContent === 'T-LONG')!;
    const arrays = Object.fromEntries(Array.from(placemark.getElementsByTagName('gx:SimpleArrayData')).map((a) => [a.getAttribute('name'), Array.from(a.getElementsByTagName('gx:value')).map((v) => v.textContent)]));
    expect(arrays['flag']).toEqual(longFixes.map((f) => f.flag ?? ''));
    expect(arrays['heading']).toEqual(longFixes.map((f) => String(f.heading_deg)));
    expect(placemark.getElementsByTagName('when')).toHaveLength(LONG);
  });

  it('csv_header_rows_in_event_time_order_flag_column', () => {
    const { text } = run(csvEncoder);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...CSV_HEADER]);
    const long = rows.filter((r) => r['truck'] === 'T-LONG');
    expect(long.map((r) => [Date.parse(r['time']!), Number(r['lat']), Number(r['lon']), r['flag']])).toEqual(longFixes.map((f) => [f.fix_ms, f.lat, f.lon, f.flag ?? '']));
    expect(long.every((r) => r['time']!.endsWith('Z'))).toBe(true);
    const odd = rows.filter((r) => r['truck'] === ODD);
    expect(odd.map((r) => [r['speed_kmh'], r['heading']])).toEqual([
      ['', ''],
      ['12', ''],
    ]);
  });

  it('trucks_and_a_time_window_choose_the_fixes', () => {
    const { t0 } = built;
    const from = t0 + 100 * 60_000;
    const to = t0 + 2_500 * 60_000;
    const { text, summary } = run(csvEncoder, { trucks: ['T-LONG'], fromMs: from, toMs: to });
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(summary).toEqual({ tracks: 1, points: 2_401, flagged: 1 });
    expect(rows.map((r) => Date.parse(r['time']!))).toEqual(longFixes.filter((f) => f.fix_ms >= from && f.fix_ms <= to).map((f) => f.fix_ms));
    expect(() => run(gpxEncoder, { trucks: ['T-NOPE'] })).toThrow(/no truck "T-NOPE" on this node; the trucks here are/);
    expect(run(gpxEncoder, { fromMs: t0 + 10 * LONG * 60_000 }).summary).toEqual({ tracks: 0, points: 0, flagged: 0 });
  });
});
