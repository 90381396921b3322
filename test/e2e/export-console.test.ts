// PROVES: in a real headless Chromium, a dispatcher selects a truck and its card shows the last
//         fix, its source and its flags; exports a selected truck's track as GPX and
//         every truck as CSV from the trucks panel, and an auditor the conflict timeline as CSV;
//         the saved files read back (independent parsers) to `mandala view fleet --json`, flagged
//         fixes marked; the console makes no request off the node.
// CATCHES: an export button that saves an empty file, the map's filtered trail instead of
//          every fix, or a file that a GPS tool cannot read.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { gpx } from '@tmcw/togeojson';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mandala, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.runIf(hasChromium() || process.env['CI'])('exports from the console (headless Chromium)', () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-export-console-'));
  const DATA = join(root, 'node');
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    const fixes: [string, number, number, string][] = [
      ['KBT-1', -1.28, 36.82, '2026-11-30T10:00:00Z'],
      ['KBT-1', -1.2805, 36.8205, '2026-11-30T10:01:00Z'],
      ['KBT-1', -3.9, 39.6, '2026-11-30T10:02:00Z'], // 300 km in a minute: flagged
      ['KBT-1', -1.281, 36.821, '2026-11-30T10:03:00Z'],
      ['KBT-2', 0.05, 37.65, '2026-11-30T09:00:00Z'],
      ['KBT-2', 0.051, 37.651, '2026-11-30T09:05:00Z'],
    ];
    for (const [truck, lat, lon, time] of fixes) expect(mandala(['position', truck, String(lat), String(lon), '--time', time, '--speed', '30', '--data', DATA]).code).toBe(0);
    node = await serve(['--data', DATA, '--port', '0']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('a_truck_as_gpx_the_fleet_as_csv_and_the_conflicts_as_csv', async () => {
    const view = JSON.parse(mandala(['view', 'fleet', '--json', '--data', DATA]).stdout) as { trucks: Record<string, { fixes: { fix_ms: number; lat: number; lon: number; flag?: string }[] }> };
    const c = await openConsole(browser, node.url);
    const { page } = c;
    await page.locator('[data-testid="truck-row"][data-truck="KBT-1"]').click();
    // Selecting a truck opens its card: the last fix, where it came from, its flags.
    const card = page.locator('[data-testid="truck-card"][data-truck="KBT-1"]');
    await card.waitFor({ timeout: 15_000 });
    await card.locator('[data-testid="truck-card-source"]', { hasText: 'entered on the node that signed it · signed by' }).waitFor({ timeout: 15_000 });
    expect(await card.innerText()).toMatch(/Last fix\s+.*2 d ago|Last fix\s+.*\d+ (h|d) ago/);
    expect(await card.innerText()).toMatch(/4 fixes\s+1 flagged/);
    expect(await card.innerText(), 'the flagged fix among the recent ones, with its reason').toMatch(/flagged: implied_speed_over_limit/);
    await page.screenshot({ path: join(artifacts, 'console-truck-card.png') });
    await page.click('[data-testid="export-tracks-open"]');
    const panel = page.locator('[data-testid="export-tracks"]');
    await panel.locator('select[name="window"]').selectOption('all');
    await panel.locator('input[name="format"][value="gpx"]').check();
    await page.screenshot({ path: join(artifacts, 'console-export.png') });
    const [gpxDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-tracks-save"]')]);
    expect(gpxDownload.suggestedFilename()).toBe('mandala-tracks-KBT-1-all.gpx');
    const gpxPath = join(root, 'kbt1.gpx');
    await gpxDownload.saveAs(gpxPath);
    expect(await c.text('[data-testid="export-tracks-status"]')).toMatch(/Saved mandala-tracks-KBT-1-all\.gpx: 1 track, 4 fixes \(1 flagged\)/);
    const geo = gpx(new DOMParser().parseFromString(readFileSync(gpxPath, 'utf8'), 'text/xml') as never);
    const kbt1 = view.trucks['KBT-1']!.fixes;
    expect(geo.features.map((f) => f.properties?.['name'])).toEqual(['KBT-1']);
    expect((geo.features[0]!.geometry as { coordinates: number[][] }).coordinates).toEqual(kbt1.map((f) => [f.lon, f.lat]));
    const props = geo.features[0]!.properties!['coordinateProperties'] as { times: string[]; 'mandala:flags': (string | null)[] };
    expect(props.times).toEqual(kbt1.map((f) => new Date(f.fix_ms).toISOString()));
    expect(props['mandala:flags']).toEqual(kbt1.map((f) => f.flag ?? null));

    await panel.locator('input[name="scope"]').nth(1).check();
    await panel.locator('input[name="format"][value="csv"]').check();
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-tracks-save"]')]);
    expect(csvDownload.suggestedFilename()).toBe('mandala-tracks-fleet-all.csv');
    const csvPath = join(root, 'fleet.csv');
    await csvDownload.saveAs(csvPath);
    const rows = parse(readFileSync(csvPath, 'utf8'), { columns: true }) as Record<string, string>[];
    const expected = Object.entries(view.trucks).flatMap(([truck, t]) => t.fixes.map((f) => [truck, new Date(f.fix_ms).toISOString(), f.lat, f.lon, f.flag ?? '']));
    expect(rows.map((r) => [r['truck'], r['time'], Number(r['lat']), Number(r['lon']), r['flag']])).toEqual(expected);

    await c.open('conflicts');
    const [conflictsDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-conflicts"]')]);
    const conflictsPath = join(root, 'conflicts.csv');
    await conflictsDownload.saveAs(conflictsPath);
    const entries = parse(readFileSync(conflictsPath, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(entries.map((e) => e['kind'])).toContain('implausible_fix');
    expect(entries.length).toBe(JSON.parse(mandala(['view', 'conflicts', '--json', '--data', DATA]).stdout).entries.length);

    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  });
});
