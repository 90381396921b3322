// PROVES (issue 14, item 8): light and dark themes in a real headless Chromium. The console follows
//         the system's setting until the user picks one; the pick (system, light, dark in turn)
//         is remembered across a reload; the page's colours and the map's basemap and words
//         change with it, and no request leaves the node.
// CATCHES: a theme that only recolours the page and leaves a dark map, a choice forgotten on
//          reload, a "system" choice that ignores the system.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
/** Polls wait this long: under a full suite's load a re-render can take seconds. */
const WAIT = { timeout: 15_000 };

describe.runIf(hasChromium() || process.env['CI'])('light and dark themes (headless Chromium)', () => {
  const DATA = join(mkdtempSync(join(tmpdir(), 'mandala-theme-')), 'node');
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    node = await serve(['--data', DATA, '--port', '0', '--no-discover', '--demo']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  const pageTheme = (page: Page) => page.locator('html').getAttribute('data-theme');
  const mapTheme = (page: Page) => page.locator('[data-testid="map"]').getAttribute('data-map-theme');
  const background = (page: Page) => page.locator('body').evaluate((body) => body.ownerDocument.defaultView!.getComputedStyle(body).backgroundColor);
  const button = (page: Page) => page.locator('[data-testid="theme-button"]');

  it('follows_the_system_until_a_theme_is_picked_and_remembers_the_pick', async () => {
    const c = await openConsole(browser, node.url, undefined, 'light');
    const { page } = c;
    // "System" on a light system: the light theme, page and map alike.
    await expect.poll(() => pageTheme(page), WAIT).toBe('light');
    expect(await button(page).getAttribute('data-choice')).toBe('system');
    await page.waitForSelector('[data-testid="map"][data-map-ready="true"]', { timeout: 30_000 });
    await expect.poll(() => mapTheme(page), WAIT).toBe('light');
    expect(await background(page)).toBe('rgb(238, 241, 244)');
    // Town names are drawn again in the light theme's ink.
    await expect.poll(async () => ((await page.locator('[data-testid="map"]').getAttribute('data-rendered-places')) ?? '').split('|').filter(Boolean).length, { timeout: 30_000 }).toBeGreaterThan(2);
    await page.screenshot({ path: join(artifacts, 'console-theme-light.png') });

    // system -> light -> dark.
    await button(page).click();
    await expect.poll(() => button(page).getAttribute('data-choice'), WAIT).toBe('light');
    expect(await pageTheme(page)).toBe('light');
    await button(page).click();
    await expect.poll(() => button(page).getAttribute('data-choice'), WAIT).toBe('dark');
    await expect.poll(() => pageTheme(page), WAIT).toBe('dark');
    await expect.poll(() => mapTheme(page), WAIT).toBe('dark');
    expect(await background(page)).toBe('rgb(12, 17, 22)');

    // Dark was picked on a light system: a reload keeps it.
    await page.reload();
    await page.waitForSelector('[data-testid="map"][data-map-ready="true"]', { timeout: 30_000 });
    expect(await button(page).getAttribute('data-choice')).toBe('dark');
    expect(await pageTheme(page)).toBe('dark');
    expect(await mapTheme(page)).toBe('dark');

    // Back to "system": light again, as the system says.
    await button(page).click();
    await expect.poll(() => button(page).getAttribute('data-choice'), WAIT).toBe('system');
    await expect.poll(() => mapTheme(page), WAIT).toBe('light');
    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  });

  it('a_dark_system_gets_the_dark_theme_and_the_page_follows_the_system_when_it_changes', async () => {
    const c = await openConsole(browser, node.url, undefined, 'dark');
    const { page } = c;
    await expect.poll(() => pageTheme(page), WAIT).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => pageTheme(page), WAIT).toBe('light');
    await page.waitForSelector('[data-testid="map"][data-map-ready="true"]', { timeout: 30_000 });
    await expect.poll(() => mapTheme(page), WAIT).toBe('light');
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  });
});
