// PROVES: in a real headless Chromium, alerts made from the CLI's events show in the Operations
//         view's alerts panel (geofence enter, overspeed, a truck gone quiet on this node's clock)
//         with a badge on the truck's row; a dispatcher acknowledges one with a note, and the
//         CLI (another process) sees who did; a new alert while the console is open shows a
//         visible notice.
// CATCHES: alerts a dispatcher never sees, or an acknowledgement that stays in the browser.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/node/clock/system-clock';
import { mandala, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { waitFor } from '../support/wait';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const iso = (ms: number) => new Date(ms).toISOString();

describe.runIf(hasChromium() || process.env['CI'])('alerts in the console (headless Chromium)', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'mandala-alerts-console-')), 'camp');
  let node: Served;
  let browser: Browser;
  const t0 = new SystemClock().nowMs() - 5 * 60_000;
  const position = (truck: string, lat: string, atMs: number, speed: string) => mandala(['position', truck, lat, '36.8200', '--speed', speed, '--time', iso(atMs), '--data', dir]);
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    expect(mandala(['init', '--data', dir, '--name', 'camp']).code).toBe(0);
    const fence = mandala(['geofence', 'add', 'G-depot', '--name', 'Depot', '--ring', '-1.30,36.81 -1.30,36.83 -1.28,36.83 -1.28,36.81', '--data', dir]);
    expect(fence.code, fence.stderr).toBe(0);
    expect(mandala(['fleet-config', '--set', 'overspeed_kmh=80', '--set', 'quiet_alert_ms=480000', '--data', dir]).code).toBe(0);
    // T-1 drives into the depot, then speeds; T-2 was last heard ten minutes ago.
    position('T-1', '-1.3200', t0, '40');
    position('T-1', '-1.2900', t0 + 120_000, '95');
    position('T-2', '-1.3500', t0 - 5 * 60_000, '0');
    node = await serve(['--data', dir, '--port', '0', '--no-discover']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('a_dispatcher_sees_acknowledges_and_is_told_of_new_alerts', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${node.url}#operations`);
    const panel = page.locator('[data-testid="alerts-panel"]');
    const row = (kind: string) => panel.locator(`[data-testid="alert-row"][data-kind="${kind}"]`);
    await row('geofence_enter').waitFor({ timeout: 30_000 });
    expect(await row('geofence_enter').innerText()).toMatch(/T-1 entered Depot/);
    expect(await row('overspeed').innerText()).toMatch(/T-1 at 95 km\/h, over the 80 km\/h limit/);
    expect(await row('quiet').innerText()).toMatch(/T-2 has sent no fix for 1[0-2] min[\s\S]*this node's clock/);
    expect(await page.locator('[data-testid="truck-row"][data-truck="T-1"] [data-testid="truck-alert-badge"]').innerText()).toBe('2 alerts');
    // The map draws both trucks as alerting (T-1 sped and entered the depot, T-2 went quiet), and the legend names each status.
    await waitFor(async () => (await page.locator('[data-testid="map"]').getAttribute('data-rendered-statuses')) === 'alerting:2', 'both trucks drawn as alerting', 30_000, 250);
    expect(await page.locator('[data-testid="legend-status"]').allInnerTexts()).toEqual(['moving: 3 km/h or more', 'stopped', 'quiet: no fix for 10 min', 'alerting: an open alert']);

    await row('overspeed').locator('input[aria-label="Note"]').fill('driver warned by radio');
    await row('overspeed').getByRole('button', { name: 'Acknowledge' }).click();
    await panel.getByRole('button', { name: 'acknowledged' }).click();
    await row('overspeed').locator('[data-testid="alert-ack"]').waitFor({ timeout: 15_000 });
    expect(await row('overspeed').innerText()).toMatch(/acknowledged by camp: driver warned by radio/);
    expect(mandala(['alerts', '--data', dir]).stdout).toMatch(/overspeed\s+T-1\s+acknowledged by camp/);
    await panel.getByRole('button', { name: 'open' }).click();

    // A new one while the console is open: T-1 leaves the depot.
    position('T-1', '-1.3300', t0 + 240_000, '40');
    const notice = page.locator('[data-testid="alert-notice"]');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.innerText()).toMatch(/New alert: T-1 left Depot/);
    await page.screenshot({ path: join(artifacts, 'console-alerts.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
