// PROVES: `mandala export gpx|kml|csv|conflicts --out FILE` as a user runs it: the file reads back
//         (independent parsers) to `mandala view fleet --json`'s fixes, with --truck and a
//         --from/--to window; the conflict timeline exports as CSV; a bad format, time, window or
//         truck exits 2 with a sentence and leaves an existing target file as it was, with no
//         temporary file behind.
// CATCHES: an export verb that prints a stack trace on a typo, or truncates a good file it failed to replace.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { gpx } from '@tmcw/togeojson';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { mandala } from '../support/cli';

const root = mkdtempSync(join(tmpdir(), 'mandala-export-cli-'));
const DATA = join(root, 'node');

function position(truck: string, lat: number, lon: number, time: string, extra: string[] = []): void {
  const r = mandala(['position', truck, String(lat), String(lon), '--time', time, ...extra, '--data', DATA]);
  expect(r.code, r.stderr).toBe(0);
}

describe('mandala export', () => {
  it('tracks_read_back_to_the_fleet_view_and_conflicts_export_as_csv', () => {
    position('KBT-1', -1.28, 36.82, '2026-12-01T10:00:00Z', ['--speed', '40', '--heading', '90']);
    position('KBT-1', -1.2805, 36.8205, '2026-12-01T10:02:00Z', ['--speed', '45']);
    position('KBT-1', -1.2802, 36.8202, '2026-12-01T10:01:00Z'); // arrives after a newer fix
    position('KBT-1', -3.9, 39.6, '2026-12-01T10:03:00Z'); // 300 km in a minute: flagged
    position('KBT-2', 0.05, 37.65, '2026-12-01T09:00:00Z');
    position('KBT-2', 0.051, 37.651, '2026-12-01T09:05:00Z');
    const view = JSON.parse(mandala(['view', 'fleet', '--json', '--data', DATA]).stdout) as { trucks: Record<string, { fixes: { fix_ms: number; lat: number; lon: number; flag?: string }[] }> };

    const out = join(root, 'kbt1.gpx');
    const r = mandala(['export', 'gpx', '--truck', 'KBT-1', '--out', out, '--data', DATA]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 track, 4 fixes, 1 of them flagged');
    const geo = gpx(new DOMParser().parseFromString(readFileSync(out, 'utf8'), 'text/xml') as never);
    expect(geo.features).toHaveLength(1);
    const fixes = view.trucks['KBT-1']!.fixes;
    expect((geo.features[0]!.geometry as { coordinates: number[][] }).coordinates).toEqual(fixes.map((f) => [f.lon, f.lat]));
    const props = geo.features[0]!.properties!['coordinateProperties'] as { times: string[]; 'mandala:flags': (string | null)[] };
    expect(props.times).toEqual(fixes.map((f) => new Date(f.fix_ms).toISOString()));
    expect(props['mandala:flags']).toEqual(fixes.map((f) => f.flag ?? null));
    expect(props['mandala:flags'].filter(Boolean)).toHaveLength(1);

    const window = join(root, 'window.csv');
    expect(mandala(['export', 'csv', '--from', '2026-12-01T09:04:00Z', '--to', '2026-12-01T10:01:00Z', '--out', window, '--data', DATA]).code).toBe(0);
    const rows = parse(readFileSync(window, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => `${x['truck']} ${x['time']}`)).toEqual(['KBT-1 2026-12-01T10:00:00.000Z', 'KBT-1 2026-12-01T10:01:00.000Z', 'KBT-2 2026-12-01T09:05:00.000Z']);

    const conflicts = join(root, 'conflicts.csv');
    const c = mandala(['export', 'conflicts', '--out', conflicts, '--data', DATA]);
    expect(c.code, c.stderr).toBe(0);
    const entries = parse(readFileSync(conflicts, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(entries.map((e) => e['kind'])).toContain('implausible_fix');
    expect(entries.map((e) => e['kind'])).toContain('late_fix');
    expect(entries.find((e) => e['kind'] === 'implausible_fix')!['summary']).toMatch(/KBT-1: a fix from .* was flagged implied_speed_over_limit/);
  });

  it('bad_input_exits_2_and_leaves_the_target_as_it_was', () => {
    const target = join(root, 'keep.gpx');
    writeFileSync(target, 'an earlier export\n');
    const cases: [string[], RegExp][] = [
      [['export', 'shapefile'], /no export format "shapefile"; choose one of gpx, kml, csv, conflicts \[unknown_format\]/],
      [['export', 'gpx', '--from', 'last tuesday'], /--from "last tuesday" is not an ISO 8601 time/],
      [['export', 'gpx', '--from', '2026-12-02', '--to', '2026-12-01'], /--to \(2026-12-01\) is before --from/],
      [['export', 'kml', '--truck', 'KBT-9'], /no truck "KBT-9" on this node; the trucks here are KBT-1, KBT-2 \[unknown_truck\]/],
    ];
    for (const [args, message] of cases) {
      const r = mandala([...args, '--out', target, '--data', DATA]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(target, 'utf8')).toBe('an earlier export\n');
    const missing = mandala(['export', 'gpx', '--out', join(root, 'no-such-folder', 'x.gpx'), '--data', DATA]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/its folder does not exist; give --out a file in a folder you can write to/);
    expect(readdirSync(root).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(existsSync(join(root, 'no-such-folder'))).toBe(false);
  });
});
