// PROVES (issue 14, item 1): a fleet of 1,200 trucks on the live map in a real headless Chromium:
//         the map clusters them at fleet zoom with each cluster's count drawn, every truck is
//         accounted for by what is drawn (clusters' counts plus single trucks), a click on a
//         cluster zooms in until trucks come apart; the truck list puts only the rows in view in
//         the page yet its filter finds any truck; a new fix reaches the map (sent by truck,
//         source-diff.ts) while the page stays free of errors and requests beyond the node. Where there is no room for every
//         truck's name some are left out (MapLibre's collision: names never cross another name or a
//         truck's dot), all are drawn once there is room, and the selected truck's is always drawn.
// CATCHES: a map that draws 1,200 overlapping dots (or none), a list of 1,200 rows re-rendered
//          every second, a cluster that cannot be opened.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/node/clock/system-clock';
import { openNode } from '../../src/node/open-node';
import { mandala, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';
import { FeedBuilder } from '../support/feeds';
import { waitFor } from '../support/wait';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const TRUCKS = 1200;

describe.runIf(hasChromium() || process.env['CI'])('a big fleet on the live map (headless Chromium)', () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-fleet-scale-'));
  const DATA = join(root, 'node');
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    const folder = openNode(DATA, { create: true, name: 'hq' });
    const kit = new FeedBuilder('fleet-tracker');
    const now = new SystemClock().nowMs();
    // A grid of trucks about 4 km apart around Nairobi, each with two fixes a minute apart.
    for (let i = 0; i < 2; i++) {
      for (let t = 0; t < TRUCKS; t++) {
        const fixMs = now - 120_000 + i * 60_000;
        kit.add('truck.position', { truck: `T-${String(t).padStart(4, '0')}`, fix_ms: fixMs, lat_e6: -1_500_000 + (t % 40) * 36_000 + i * 300, lon_e6: 36_500_000 + Math.floor(t / 40) * 36_000, speed_kmh: 20, heading_deg: 0 }, { wall: fixMs + 500, counter: 0 });
      }
    }
    for (const run of kit.runs(1000)) folder.store.ingest([run], 0);
    folder.store.close();
    node = await serve(['--data', DATA, '--port', '0', '--no-discover']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('clusters_count_every_truck_open_on_click_and_the_list_stays_small', async () => {
    const c = await openConsole(browser, node.url);
    const { page } = c;
    const map = page.locator('[data-testid="map"]');
    await page.waitForSelector('[data-testid="map"][data-map-ready="true"][data-clustered="true"]', { timeout: 60_000 });
    await waitFor(async () => Number(await map.getAttribute('data-rendered-trucks')) === TRUCKS, 'every truck accounted for on the map (in clusters or alone)', 60_000, 250);
    await page.screenshot({ path: join(artifacts, 'console-fleet-clusters.png') });

    // The list: far fewer rows in the page than trucks, and its filter still finds the last one.
    const rows = await c.count('[data-testid="truck-row"]');
    expect(rows).toBeGreaterThan(5);
    expect(rows, 'only the rows in view (and a few either side)').toBeLessThan(80);
    await page.locator('input[aria-label="Filter trucks"]').fill('T-1199');
    await c.waitForCount('[data-testid="truck-row"]', (n) => n === 1, 'the filter finds T-1199');
    await page.locator('input[aria-label="Filter trucks"]').fill('');

    // A click on a cluster zooms in to where it comes apart: single trucks are drawn there.
    const box = (await map.boundingBox())!;
    const scale = () => page.locator('.maplibregl-ctrl-scale').innerText();
    const headings = async () => Number(await map.getAttribute('data-rendered-headings'));
    /** Clicks around the middle until one lands on a cluster (a click on bare map does nothing); true if the map zoomed. */
    const openCluster = async () => {
      const before = await scale();
      for (let k = 0; k < 25; k++) {
        await page.mouse.click(box.x + box.width / 2 + ((k % 5) - 2) * 24, box.y + box.height / 2 + (Math.floor(k / 5) - 2) * 24);
        await page.waitForTimeout(700);
        if ((await scale()) !== before) return true;
      }
      return false;
    };
    expect(await headings(), 'at fleet zoom every truck is in a cluster').toBe(0);
    expect(await openCluster(), 'a click on a cluster zoomed the map in').toBe(true);
    expect(await c.count('[data-testid="follow-chip"]'), 'no truck was picked: it was a cluster').toBe(0);
    // A cluster opens into smaller ones, and those into trucks: a few clicks reach single trucks.
    for (let round = 0; round < 5; round++) {
      await page.waitForTimeout(1500);
      if ((await headings()) > 0) break;
      await openCluster();
    }
    await waitFor(async () => Number(await page.locator('[data-testid="map"]').getAttribute('data-rendered-headings')) > 0, 'single trucks (with their heading arrows) drawn after the zoom', 20_000, 250);
    // Names never cross another truck's dot: in a grid 4 km apart at this zoom there is no room for most.
    const labels = async () => ((await map.getAttribute('data-rendered-labels')) ?? '').split('|').filter(Boolean);
    const singles = async () => ((await map.getAttribute('data-rendered-statuses')) ?? '').split(',').reduce((n, s) => n + Number(s.split(':')[1] ?? 0), 0);
    await page.waitForTimeout(1000);
    expect((await labels()).length, 'where there is no room, names are left out').toBeLessThan(await singles());
    // The selected truck's name is always drawn.
    const chosen = 'T-0600';
    expect(await labels()).not.toContain(chosen);
    await page.locator('input[aria-label="Filter trucks"]').fill(chosen);
    await c.waitForCount('[data-testid="truck-row"]', (n) => n === 1, `the list shows ${chosen}`);
    await page.locator('[data-testid="truck-row"]').first().click();
    await waitFor(async () => (await labels()).includes(chosen), `the selected truck's name (${chosen}) is drawn`, 20_000, 250);
    await page.locator('input[aria-label="Filter trucks"]').fill('');
    // Closer in, there is room: every truck drawn has its name.
    for (let i = 0; i < 2; i++) {
      await page.locator('.maplibregl-ctrl-zoom-in').click();
      await page.waitForTimeout(800);
    }
    await waitFor(async () => (await singles()) > 0 && (await labels()).length === (await singles()), 'a name beside every truck drawn, once there is room', 20_000, 250);
    await page.screenshot({ path: join(artifacts, 'console-fleet-labels.png') });

    // A new fix of one truck reaches the map as that truck's change (a partial push, by id).
    const at = new SystemClock().nowMs();
    expect(mandala(['position', 'T-0000', '-1.4995', '36.5', '--speed', '30', '--heading', '90', '--time', new Date(at).toISOString(), '--data', DATA]).code).toBe(0);
    await waitFor(async () => Number(await map.getAttribute('data-drawn-fix-ms')) >= Math.floor(at / 1000) * 1000, 'the new fix drawn', 20_000, 100);
    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  }, 120_000);
});
