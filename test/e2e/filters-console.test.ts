// PROVES: in a real headless Chromium, a fix each plausibility filter flagged (a peer's feed,
//         every filter on) is visible in the console: the truck's flagged count in the trucks
//         table, the flagged dot in its speed panel, and an entry naming the reason code in the
//         conflict timeline; the fleet filters panel shows the filters in force and changing one
//         there judges the trucks again (the flag goes away when the filter is turned off).
// CATCHES: a filter whose flagged fixes vanish from the console, or a filters panel that saves
//          without the node using the new filters.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Value } from '../../src/core/encoding/canonical';
import { SystemClock } from '../../src/node/clock/system-clock';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { mandala, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { crypto, FeedBuilder } from '../support/feeds';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const LAT = -1_290_000;
const LON = 36_820_000;
const KM = 8_993;
const DAY = 86_400_000;

interface Spec {
  readonly t: number;
  readonly dLat?: number;
  readonly lat?: number;
  readonly lon?: number;
  readonly speed?: number;
  readonly accuracy?: number;
  readonly delay?: number;
}

// One truck per filter: a good fix, then the one the filter flags.
const TRUCKS: readonly [code: string, specs: Spec[]][] = [
  ['coordinates_out_of_range', [{ t: 0 }, { t: 60_000, lat: 95_000_000 }]],
  ['null_island', [{ t: 0 }, { t: 60_000, lat: 0, lon: 0 }]],
  ['fix_in_future', [{ t: 0 }, { t: 3_600_000, delay: -3_600_000 }]],
  ['fix_too_old', [{ t: 0 }, { t: -40 * DAY }]],
  ['poor_accuracy', [{ t: 0, accuracy: 8 }, { t: 60_000, accuracy: 900 }]],
  ['duplicate_fix', [{ t: 0 }, { t: 60_000, dLat: KM }, { t: 60_000, dLat: KM }]],
  ['teleport', [{ t: 0 }, { t: 60_000, dLat: KM }, { t: 60_000, dLat: 3 * KM }]],
  ['jump', [{ t: 0 }, { t: 30_000, dLat: Math.round(1.4 * KM) }]],
  ['implied_speed_over_limit', [{ t: 0 }, { t: 60_000, dLat: 10 * KM }]],
  ['stationary_drift', [{ t: 0, speed: 0 }, { t: 60_000, dLat: 180, speed: 1 }]],
];
const truckOf = (code: string) => `F-${TRUCKS.findIndex(([c]) => c === code) + 1}`;

describe.runIf(hasChromium() || process.env['CI'])('flagged fixes in the console (headless Chromium)', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'mandala-filters-console-')), 'camp');
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    expect(mandala(['init', '--data', dir, '--name', 'camp']).code).toBe(0);
    const on = mandala(['fleet-config', '--data', dir, '--set', 'max_age_ms=2592000000', '--set', 'max_accuracy_m=100', '--set', 'jump_m=1000', '--set', 'jump_within_ms=60000', '--set', 'drift_radius_m=30', '--set', 'drift_max_speed_kmh=2']);
    expect(on.code, on.stderr).toBe(0);
    // A peer's feed (intake and the CLI refuse coordinates out of range; a peer's events are judged).
    const kit = new FeedBuilder('filters-peer-kit');
    const t0 = new SystemClock().nowMs() - 600_000;
    for (const [code, specs] of TRUCKS) {
      for (const s of specs) {
        const payload: Record<string, Value> = { truck: truckOf(code), fix_ms: t0 + s.t, lat_e6: s.lat ?? LAT + (s.dLat ?? 0), lon_e6: s.lon ?? LON };
        if (s.speed !== undefined) payload['speed_kmh'] = s.speed;
        if (s.accuracy !== undefined) payload['accuracy_m'] = s.accuracy;
        kit.add('truck.position', payload, { wall: t0 + Math.max(s.t, 0) + (s.delay ?? 500), counter: 0 });
      }
    }
    const store = SqliteFeedStore.open(join(dir, 'mandala.db'), { crypto });
    expect(store.ingest([kit.run(1, kit.events.length)], 0).rejections).toEqual([]);
    store.close();
    node = await serve(['--data', dir, '--port', '0', '--no-discover']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('each_filters_flagged_fix_is_kept_and_shown_with_its_reason', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${node.url}#operations`);
    for (const [code] of TRUCKS) {
      const row = page.locator(`[data-testid="truck-row"][data-truck="${truckOf(code)}"]`);
      await row.waitFor({ timeout: 30_000 });
      expect(await row.locator('.badge-bad').innerText(), `${code}: one flagged fix in the trucks table`).toBe('1');
    }
    await page.locator(`[data-testid="truck-row"][data-truck="${truckOf('implied_speed_over_limit')}"]`).click();
    const panel = page.locator(`[data-testid="speed-chart"][data-truck="${truckOf('implied_speed_over_limit')}"]`);
    await panel.waitFor({ timeout: 15_000 });
    expect(await panel.getAttribute('data-flagged')).toBe('1');
    await page.screenshot({ path: join(artifacts, 'console-flagged-fixes.png') });

    await page.goto(`${node.url}#conflicts`);
    const entries = page.locator('[data-testid="conflict-entry"][data-kind="implausible_fix"]');
    await entries.first().waitFor({ timeout: 15_000 });
    const texts = (await entries.allInnerTexts()).join('\n');
    for (const [code] of TRUCKS) expect(texts, `${code} in the conflict timeline`).toMatch(new RegExp(`${truckOf(code)}: a fix from .* was flagged ${code} by the fleet filters`));
    await page.screenshot({ path: join(artifacts, 'console-flagged-timeline.png') });

    await page.goto(`${node.url}#peers`);
    const filters = page.locator('[data-testid="fleet-filters"]');
    await filters.waitFor({ timeout: 15_000 });
    expect(await filters.locator('[data-setting="max_accuracy_m"] input').inputValue()).toBe('100');
    await filters.locator('[data-setting="max_accuracy_m"] input').fill('');
    await filters.getByRole('button', { name: 'Save filters' }).click();
    await filters.getByText(/Saved: max_accuracy_m; every truck judged again/).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(artifacts, 'console-fleet-filters.png'), fullPage: true });
    const fleet = JSON.parse(mandala(['view', 'fleet', '--json', '--data', dir]).stdout) as { trucks: Record<string, { fixes: { flag?: string }[] }> };
    expect(fleet.trucks[truckOf('poor_accuracy')]!.fixes.map((f) => f.flag ?? null), 'poor_accuracy turned off from the console').toEqual([null, null]);
    expect(mandala(['fleet-config', '--json', '--data', dir]).stdout).toMatch(/"max_accuracy_m": null/);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
