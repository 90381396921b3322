// PROVES: in a real headless Chromium, `mandala serve --tiles A.mbtiles --tiles B.pmtiles
//         --tiles C.pmtiles` opens the console with the first file as the basemap, drawn at full
//         opacity (its colour is in the map's pixels); "Map layers" switches to the PMTiles raster
//         and to a vector file drawn in the generic style, and back to the bundled basemap; the
//         map makes no request outside the node; a --tiles file that is no map stops the start
//         with exit 2 and a sentence.
// CATCHES: a user's map file listed but never drawn (blank tiles, wrong rows, a CSP that blocks
//          it), a map that reaches for the internet, a typo that starts a node with no map.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mandalaAsync, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';
import { coveringVectorTile, solidPng, writeMbtiles, writePmtiles, type FixtureTile } from '../support/tilesets';
import { waitFor } from '../support/wait';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const ORANGE: [number, number, number] = [230, 120, 20];
const TEAL: [number, number, number] = [20, 160, 150];
/** The generic vector style's first fill (src/renderer/src/map/user-tiles.ts). */
const VECTOR_FILL: [number, number, number] = [0x1d, 0x2b, 0x36];
const WORLD: [number, number, number, number] = [-180, -85, 180, 85];

function world(maxZoom: number, tile: (z: number, x: number, y: number) => Uint8Array): FixtureTile[] {
  const out: FixtureTile[] = [];
  for (let z = 0; z <= maxZoom; z++) for (let x = 0; x < 2 ** z; x++) for (let y = 0; y < 2 ** z; y++) out.push({ z, x, y, data: tile(z, x, y) });
  return out;
}

/** The map's colour at a spot clear of the toolbar, the legend and the empty-map message. */
async function mapPixel(page: Page): Promise<number[]> {
  const shot = PNG.sync.read(await page.locator('[data-testid="map"]').screenshot());
  const x = Math.round(shot.width * 0.3);
  const y = Math.round(shot.height * 0.7);
  const i = (y * shot.width + x) * 4;
  return [shot.data[i]!, shot.data[i + 1]!, shot.data[i + 2]!];
}

const near = (a: readonly number[], b: readonly number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 6);

describe.runIf(hasChromium() || process.env['CI'])("the user's own map files (headless Chromium)", () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-tiles-console-'));
  const MB = join(root, 'camp.mbtiles');
  const PM = join(root, 'region.pmtiles');
  const VEC = join(root, 'areas.pmtiles');
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    const orange = solidPng(ORANGE);
    const teal = solidPng(TEAL);
    writeMbtiles(MB, world(3, () => orange), { name: 'Camp survey', format: 'png', minzoom: '0', maxzoom: '3', bounds: WORLD.join(',') });
    writePmtiles(PM, world(3, () => teal), { tileType: 2, tileCompression: 1, bounds: WORLD, metadata: { name: 'Region scan' } });
    writePmtiles(VEC, world(2, (z, x, y) => coveringVectorTile('areas', z, x, y)), { tileType: 1, tileCompression: 2, bounds: WORLD, metadata: { name: 'Areas', vector_layers: [{ id: 'areas', fields: {} }] } });
    node = await serve(['--data', join(root, 'node'), '--port', '0', '--tiles', MB, '--tiles', PM, '--tiles', VEC]);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('the_first_file_opens_as_the_basemap_and_map_layers_switches_between_them', async () => {
    expect(node.output()).toMatch(/map: camp\.mbtiles \(mbtiles, raster png, zoom 0–3\), the basemap the console opens with/);
    const c = await openConsole(browser, node.url);
    const { page } = c;
    const map = page.locator('[data-testid="map"]');
    await map.and(page.locator('[data-map-ready="true"]')).waitFor({ timeout: 30_000 });
    expect(await map.getAttribute('data-basemap')).toBe('camp');
    await waitFor(async () => near(await mapPixel(page), ORANGE), 'the MBTiles basemap drawn', 30_000, 250);
    await page.screenshot({ path: join(artifacts, 'console-tiles-mbtiles.png') });

    await page.click('[data-testid="map-layers-open"]');
    await page.locator('[data-testid="map-layers"] input[value="region"]').check();
    await waitFor(async () => near(await mapPixel(page), TEAL), 'the PMTiles raster drawn', 30_000, 250);

    await page.locator('[data-testid="map-layers"] input[value="areas"]').check();
    await waitFor(async () => near(await mapPixel(page), VECTOR_FILL), 'the PMTiles vector file drawn in the generic style', 30_000, 250);
    await page.screenshot({ path: join(artifacts, 'console-tiles-menu.png') });

    await page.locator('[data-testid="map-layers"] input[value="bundled"]').check();
    await waitFor(async () => {
      const p = await mapPixel(page);
      return !near(p, ORANGE) && !near(p, TEAL) && !near(p, VECTOR_FILL);
    }, 'the bundled basemap back', 30_000, 250);
    expect(await map.getAttribute('data-basemap')).toBe('bundled');

    expect(c.outsideRequests(), 'the map never asks the internet').toEqual([]);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  });

  it('a_tiles_file_that_is_no_map_stops_the_start', async () => {
    const bad = join(root, 'notes.pmtiles');
    writeFileSync(bad, 'a text file\n');
    const r = await mandalaAsync(['serve', '--data', join(root, 'other'), '--port', '0', '--tiles', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tiles .*notes\.pmtiles is neither a PMTiles \(v3\) nor an MBTiles file.*\[tiles_unknown_format\]/);
  });
});
