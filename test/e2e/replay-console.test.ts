// PROVES: in a real headless Chromium over a node holding a month of two trucks' history (43,200
//         fixes), a dispatcher replays both trucks on one slider: the trip summaries are the
//         stops and distances the trajectories have (worked out here from the generator), stop
//         rings are drawn, a stop in the list seeks the replay there and the truck is drawn on
//         it, the arrow key steps to the next fix of either truck, play at 1 h/s moves time on,
//         hovering the speed chart rings the trucks at that moment on the map and hovering a path
//         on the map moves the chart's line, and the replay exports as GPX with every fix of the
//         window; no request leaves the node.
// CATCHES: a replay that holds only the live trail window, stops worked out from a sample, a
//          slider that does not move the trucks, a chart and map that do not follow each other.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { gpx } from '@tmcw/togeojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceMeters } from '../../src/core/geo/geo';
import { summariseTrips } from '../../src/core/trips/trip-detector';
import { openNode } from '../../src/node/open-node';
import { serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';
import { DAYS, EVERY_MS, MONTH_START, monthOfFixes, writeMonth } from '../support/month-of-trucks';
import { waitFor } from '../support/wait';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.runIf(hasChromium() || process.env['CI'])('replay in the console (headless Chromium)', () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-replay-console-'));
  const DATA = join(root, 'node');
  const month = monthOfFixes();
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    const folder = openNode(DATA, { create: true, name: 'camp' });
    writeMonth(folder.store, [...month['KBT-A'], ...month['KBT-B']]);
    folder.store.close();
    node = await serve(['--data', DATA, '--port', '0', '--no-discover']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  const expected = (truck: 'KBT-A' | 'KBT-B') => summariseTrips(month[truck].map((f) => ({ fixMs: f.fixMs, lat: f.latE6 / 1e6, lon: f.lonE6 / 1e6, speedKmh: f.speedKmh })));
  const replayTime = async (page: Page) => Number(await page.locator('[data-testid="replay-controls"]').getAttribute('data-time'));
  const waitForTime = async (page: Page, ms: number, what: string) => {
    try {
      await waitFor(async () => (await replayTime(page)) === ms, what, 10_000, 50);
    } catch {
      throw new Error(`${what}: the replay is at ${new Date(await replayTime(page)).toISOString()}, not ${new Date(ms).toISOString()}`);
    }
  };
  const cursors = async (page: Page) => JSON.parse((await page.locator('[data-testid="replay-map"]').getAttribute('data-replay-cursors')) ?? '[]') as [string, number, number][];

  it('replays_two_trucks_over_a_month_with_stops_trips_a_linked_chart_and_a_gpx_export', async () => {
    const c = await openConsole(browser, node.url);
    const { page } = c;
    await c.open('replay');
    for (const t of ['KBT-A', 'KBT-B']) await page.locator(`[data-testid="replay-truck"][data-truck="${t}"]`).check();
    await page.locator('select[name="window"]').selectOption('all');
    await c.waitForCount('[data-testid="trip-summary"]', (n) => n === 2, 'both trucks summed up', 60_000);
    await page.locator('[data-testid="replay-controls"]').waitFor({ timeout: 30_000 });

    // The figures are those of every fix of the month, as the trajectories have them.
    for (const truck of ['KBT-A', 'KBT-B'] as const) {
      const want = expected(truck);
      const card = page.locator(`[data-testid="trip-summary"][data-truck="${truck}"]`);
      expect(want.stops).toHaveLength(2 * DAYS + 1); // the site every day, the depot every night, the last night open
      expect(Number(await card.getAttribute('data-stops'))).toBe(want.stops.length);
      expect(Number(await card.getAttribute('data-trips'))).toBe(want.trips.length);
      expect(Number(await card.getAttribute('data-distance-m'))).toBe(Math.round(want.distanceM));
      expect(want.distanceM / 1000).toBeGreaterThan(DAYS * 320 * 0.99);
      expect(await card.innerText()).toMatch(/21,600 fixes/);
    }
    expect(await page.locator('[data-testid="replay-chart"]').getAttribute('data-lines')).toBe('2');
    await waitFor(async () => Number(await page.locator('[data-testid="replay-map"]').getAttribute('data-rendered-stops')) > 0, 'stop rings drawn', 30_000, 100);

    // At the window's start only KBT-A has a fix yet; it stands at the depot.
    const a0 = month['KBT-A'][0]!;
    expect(await replayTime(page)).toBe(MONTH_START);
    expect(await cursors(page)).toEqual([['KBT-A', Number((a0.lonE6 / 1e6).toFixed(5)), Number((a0.latE6 / 1e6).toFixed(5))]]);

    // A stop in the list seeks there: KBT-A's first stop at the site (10:00 on the first day).
    const site = expected('KBT-A').stops[1]!;
    await page.locator('[data-testid="trip-summary"][data-truck="KBT-A"] [data-testid="stop-item"]').nth(1).click();
    await waitForTime(page, site.startMs, 'the replay at the stop');
    const atSite = await cursors(page);
    expect(atSite.find((x) => x[0] === 'KBT-A')).toEqual(['KBT-A', Number(site.lon.toFixed(5)), Number(site.lat.toFixed(5))]);
    expect(atSite.map((x) => x[0]).sort()).toEqual(['KBT-A', 'KBT-B']);
    await page.screenshot({ path: join(artifacts, 'console-replay.png') });

    // → steps to the next fix of either truck: KBT-B's, a minute later, then KBT-A's.
    await page.locator('[data-testid="replay-chart"]').hover({ position: { x: 2, y: 2 } });
    await page.keyboard.press('ArrowRight');
    await waitForTime(page, site.startMs + 60_000, 'a step to KBT-B’s fix');
    await page.keyboard.press('ArrowRight');
    await waitForTime(page, site.startMs + EVERY_MS, 'a step to KBT-A’s next fix');

    // Play at 1 h of replay per second for a moment, then pause.
    await page.locator('select[name="rate"]').selectOption('3600');
    const before = await replayTime(page);
    await page.click('[data-testid="replay-play"]');
    await page.waitForTimeout(1500);
    await page.click('[data-testid="replay-play"]');
    const after = await replayTime(page);
    expect(after - before, 'replay time moved on while playing').toBeGreaterThan(30 * 60_000);
    expect(await page.locator('[data-testid="replay-controls"]').getAttribute('data-playing')).toBe('false');

    // Hovering the chart half way across rings the trucks at that moment on the map.
    const surface = page.locator('[data-testid="replay-chart-surface"]');
    const box = (await surface.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const span = month['KBT-B'][month['KBT-B'].length - 1]!.fixMs - MONTH_START;
    await waitFor(async () => (await page.locator('[data-testid="replay-map"]').getAttribute('data-hover-time')) !== null, 'the map told the chart’s moment', 5_000, 50);
    const hovered = Number(await page.locator('[data-testid="replay-map"]').getAttribute('data-hover-time'));
    expect(Math.abs(hovered - (MONTH_START + span / 2))).toBeLessThan(span * 0.01);
    await page.mouse.move(box.x + box.width / 2, box.y - 200);

    // The replay as GPX: both tracks, every fix of the window.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="replay-export"]')]);
    const file = join(root, 'replay.gpx');
    await download.saveAs(file);
    const geo = gpx(new DOMParser().parseFromString(readFileSync(file, 'utf8'), 'text/xml') as never);
    expect(geo.features.map((f) => [f.properties?.['name'], (f.geometry as { coordinates: unknown[] }).coordinates.length])).toEqual([
      ['KBT-A', month['KBT-A'].length],
      ['KBT-B', month['KBT-B'].length],
    ]);
    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  }, 180_000);

  it('follows_one_truck_and_hovering_its_path_moves_the_chart_line', async () => {
    const c = await openConsole(browser, node.url);
    const { page } = c;
    await c.open('replay');
    await page.locator('[data-testid="replay-truck"][data-truck="KBT-A"]').check();
    await page.locator('select[name="window"]').selectOption('all');
    await c.waitForCount('[data-testid="trip-summary"]', (n) => n === 1, 'the truck summed up', 60_000);
    // Half way up the first morning's drive, followed: the truck, and its path, at the map's centre.
    const drive = month['KBT-A'].find((f) => f.fixMs === MONTH_START + 8 * 3_600_000)!;
    await page.locator('[data-testid="replay-follow"]').click();
    await page.locator('[data-testid="trip-summary"] [data-testid="stop-item"]').first().click();
    await page.locator('[data-testid="replay-chart"]').hover({ position: { x: 2, y: 2 } });
    for (let t = MONTH_START; t < drive.fixMs; t += EVERY_MS) await page.keyboard.press('ArrowRight');
    await waitForTime(page, drive.fixMs, 'the replay on the drive');
    expect((await cursors(page))[0]).toEqual(['KBT-A', Number((drive.lonE6 / 1e6).toFixed(5)), Number((drive.latE6 / 1e6).toFixed(5))]);
    // Followed: the map's centre is where the truck is.
    const mapEl = page.locator('[data-testid="replay-map"]');
    await waitFor(async () => (await mapEl.getAttribute('data-center')) === `${(drive.lonE6 / 1e6).toFixed(5)},${(drive.latE6 / 1e6).toFixed(5)}`, 'the map centred on the followed truck', 10_000, 50);
    const map = (await mapEl.boundingBox())!;
    await page.mouse.move(map.x + map.width / 2, map.y + map.height / 2 + 3);
    await page.locator('[data-testid="replay-chart-hover"]').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    const hovered = Number(await mapEl.getAttribute('data-hover-time'));
    // The chart now marks a moment when the truck was there: its fix then lies within a fix's
    // spacing (1.3 km) and the pointer's few pixels of where it is now (the path repeats daily).
    const there = month['KBT-A'].find((f) => f.fixMs === hovered);
    expect(there, `a fix of KBT-A at the hovered moment ${new Date(hovered).toISOString()}`).toBeDefined();
    expect(distanceMeters(there!.latE6 / 1e6, there!.lonE6 / 1e6, drive.latE6 / 1e6, drive.lonE6 / 1e6)).toBeLessThan(2_000);
    await page.screenshot({ path: join(artifacts, 'console-replay-follow.png') });
    expect(c.outsideRequests()).toEqual([]);
    await page.close();
  }, 120_000);
});
