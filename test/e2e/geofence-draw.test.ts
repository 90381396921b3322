// PROVES: in a real headless Chromium, a dispatcher draws a geofence on the map (a click per
//         corner, a name, Save): it becomes a shared record of form "geofence" the CLI sees, it is
//         outlined on the map, and a truck driving into it raises a geofence_enter alert. Then
//         they edit it: dragging one corner moves that corner only (the map does not pan), and
//         the record's ring follows.
// CATCHES: geofences that can only be typed as coordinates in a terminal.
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

describe.runIf(hasChromium() || process.env['CI'])('drawing a geofence (headless Chromium)', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'mandala-geofence-draw-')), 'camp');
  let node: Served;
  let browser: Browser;
  const t0 = new SystemClock().nowMs() - 60 * 60_000;
  const MIN = 60_000;
  const position = (lat: number, lon: number, atMs: number) => mandala(['position', 'T-1', lat.toFixed(5), lon.toFixed(5), '--speed', '30', '--time', new Date(atMs).toISOString(), '--data', dir]);
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    expect(mandala(['init', '--data', dir, '--name', 'camp']).code).toBe(0);
    position(-1.3, 36.8, t0);
    position(-1.2, 36.9, t0 + 10 * MIN);
    node = await serve(['--data', dir, '--port', '0', '--no-discover']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('a_dispatcher_draws_a_geofence_and_a_truck_entering_it_raises_an_alert', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${node.url}#operations`);
    await page.locator('[data-testid="truck-row"][data-truck="T-1"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'All trucks' }).click();
    await page.waitForTimeout(1500); // the camera's flight
    await page.locator('[data-testid="geofence-draw"]').click();
    const box = (await page.locator('[data-testid="map"]').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    for (const [dx, dy] of [[-80, -80], [80, -80], [80, 80], [-80, 80]] as const) await page.mouse.click(cx + dx, cy + dy);
    const editor = page.locator('[data-testid="geofence-editor"]');
    expect(await editor.innerText()).toMatch(/4 so far/);
    await editor.locator('input[name="geofence-name"]').fill('Yard');
    await page.screenshot({ path: join(artifacts, 'console-geofence-draw.png') });
    await editor.getByRole('button', { name: 'Save geofence' }).click();
    await editor.waitFor({ state: 'detached', timeout: 15_000 });

    const records = JSON.parse(mandala(['view', 'records', '--json', '--data', dir]).stdout) as Record<string, { form: string; fields: { name: string; ring: [number, number][] } }>;
    const yard = records['G-yard']!;
    expect(yard.form).toBe('geofence');
    expect(yard.fields.name).toBe('Yard');
    expect(yard.fields.ring).toHaveLength(4);
    // Drive T-1 from outside into the middle of what was drawn (at a truck's speed).
    const lat = yard.fields.ring.reduce((s, c) => s + c[0], 0) / 4;
    const lon = yard.fields.ring.reduce((s, c) => s + c[1], 0) / 4;
    position(-1.4, 36.7, t0 + 30 * MIN);
    position(lat, lon, t0 + 50 * MIN);
    await waitFor(() => mandala(['alerts', '--data', dir]).stdout.includes('geofence_enter'), 'a geofence_enter alert for the drawn geofence', 15_000, 300);
    const row = page.locator('[data-testid="alert-row"][data-kind="geofence_enter"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toMatch(/T-1 entered Yard/);
    await page.screenshot({ path: join(artifacts, 'console-geofence.png') });

    // Edit: drag the south-east corner 60 px further out; the other three stay where they were.
    await page.locator('[data-testid="geofence-edit"]').selectOption('G-yard');
    await editor.waitFor();
    expect(await editor.innerText()).toMatch(/Drag a corner[\s\S]*4 so far/);
    await page.waitForTimeout(300); // the corners drawn
    await page.mouse.move(cx + 80, cy + 80);
    await page.mouse.down();
    for (let k = 1; k <= 6; k++) await page.mouse.move(cx + 80 + k * 10, cy + 80 + k * 10);
    await page.mouse.up();
    expect(await editor.innerText()).toMatch(/4 so far/);
    await page.screenshot({ path: join(artifacts, 'console-geofence-edit.png') });
    await editor.getByRole('button', { name: 'Save geofence' }).click();
    await editor.waitFor({ state: 'detached', timeout: 15_000 });
    const edited = (JSON.parse(mandala(['view', 'records', '--json', '--data', dir]).stdout) as typeof records)['G-yard']!.fields.ring;
    expect(edited).toHaveLength(4);
    const moved = edited.map((c, i) => Math.hypot(c[0] - yard.fields.ring[i]![0], c[1] - yard.fields.ring[i]![1]));
    const corner = moved.findIndex((d) => d > 1e-4);
    expect(moved.filter((d) => d > 1e-4)).toHaveLength(1);
    // Dragged down and right: further south (lower latitude) and further east.
    expect(edited[corner]![0]).toBeLessThan(yard.fields.ring[corner]![0]);
    expect(edited[corner]![1]).toBeGreaterThan(yard.fields.ring[corner]![1]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
