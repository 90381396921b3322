// PROVES: in a real headless Chromium, a phone that reports by the OsmAnd protocol without being
//         registered shows on the Peers page as asking to report; a dispatcher admits it by naming
//         its truck, and from then on its reports are taken (200) and land as that truck's fixes.
//         The truck's panel names the phone as the source of its latest fix, as an unsigned report.
// CATCHES: a phone that can only be admitted from a terminal; an admission the node does not apply;
//          a phone's report shown as if it were signed.
import { SystemClock } from '../../src/node/clock/system-clock';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mandala, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { waitFor } from '../support/wait';
import { retryingShed } from '../support/webhooks';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.runIf(hasChromium() || process.env['CI'])('phones in the console (headless Chromium)', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'mandala-devices-console-')), 'camp');
  let node: Served;
  let browser: Browser;
  let osmand = '';
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    node = await serve(['--data', dir, '--port', '0', '--osmand-port', '0', '--osmand-host', '127.0.0.1']);
    await waitFor(() => /phones: OsmAnd protocol on [^:]+:\d+/.test(node.output()), 'serve to say where phones report', 10_000);
    osmand = `http://127.0.0.1:${/phones: OsmAnd protocol on [^:]+:(\d+)/.exec(node.output())![1]}`;
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('a_dispatcher_admits_a_phone_that_asks_to_report', async () => {
    // As a phone does, a report the node shed under load (429) is sent again after its Retry-After.
    const report = (t: number) => retryingShed(() => fetch(`${osmand}/?id=driver-phone-12&lat=-1.30&lon=36.80&timestamp=${t}&speed=12`));
    // Fixes of a minute ago (a fix older than 30 days would be flagged fix_too_old and not shown as current).
    const t0 = Math.floor(new SystemClock().nowMs() / 1000) - 120;
    expect((await report(t0)).status, 'not registered yet').toBe(403);
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${node.url}#peers`);
    const asking = page.locator('[data-testid="device-asking"][data-device="driver-phone-12"]');
    await asking.waitFor({ timeout: 30_000 });
    expect(await asking.innerText()).toMatch(/asking to report[\s\S]*driver-phone-12[\s\S]*1 report refused/);
    await page.screenshot({ path: join(artifacts, 'console-devices-asking.png') });
    await asking.locator('input[name="truck"]').fill('T-12');
    await asking.getByRole('button', { name: 'Admit' }).click();
    const row = page.locator('[data-testid="device-row"][data-device="driver-phone-12"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toMatch(/driver-phone-12\s*reports as\s*T-12/);
    await page.screenshot({ path: join(artifacts, 'console-devices.png') });

    expect((await report(t0 + 60)).status, 'admitted: its reports are taken').toBe(200);
    expect(JSON.parse(mandala(['device', 'list', '--json', '--data', dir]).stdout)).toMatchObject([{ device: 'driver-phone-12', truck: 'T-12' }]);
    await waitFor(() => {
      const fleet = JSON.parse(mandala(['view', 'fleet', '--json', '--data', dir]).stdout) as { trucks: Record<string, { fixes: unknown[] }> };
      return (fleet.trucks['T-12']?.fixes.length ?? 0) === 1;
    }, 'the phone\'s fix to land as T-12', 10_000);
    // The truck's panel says where its latest fix came from: a phone, whose report nobody signed.
    await page.goto(`${node.url}#operations`);
    await page.locator('[data-testid="truck-row"][data-truck="T-12"]').click({ timeout: 30_000 });
    const source = page.locator('[data-testid="speed-chart"][data-truck="T-12"] [data-testid="fix-source"]');
    await source.waitFor({ timeout: 15_000 });
    expect(await source.innerText()).toBe('phone driver-phone-12 · unsigned device report');
    expect(await source.getAttribute('data-unsigned')).toBe('true');
    await page.screenshot({ path: join(artifacts, 'console-phone-source.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
