// PROVES (issue 14, items 4 and 7): an empty node's console shows its initial sync as it runs: the
//         header's "catching up" bar and the peer's receiving bar rise as a LAN peer's 40,000
//         events arrive (never falling back), and both go once the node holds them all and the
//         peer reads "in sync". Two real `mandala serve` processes over loopback TCP, Chromium.
// CATCHES: a console that sits silent through a long first sync, a bar that jumps backwards or
//          stays behind after the sync is done.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/node/clock/system-clock';
import { openNode } from '../../src/node/open-node';
import { serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';
import { FeedBuilder } from '../support/feeds';
import { waitFor } from '../support/wait';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const EVENTS = 40_000;

describe.runIf(hasChromium() || process.env['CI'])('the initial sync in the console (headless Chromium)', () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-catch-up-'));
  const FULL = join(root, 'hq');
  let hq: Served | undefined;
  let camp: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    const folder = openNode(FULL, { create: true, name: 'hq' });
    const kit = new FeedBuilder('fleet-tracker');
    const start = new SystemClock().nowMs() - EVENTS * 1000;
    for (let i = 0; i < EVENTS; i++) {
      const fixMs = start + i * 1000;
      kit.add('truck.position', { truck: `T-${i % 20}`, fix_ms: fixMs, lat_e6: -1_000_000 - (i % 500) * 100, lon_e6: 36_000_000 + (i % 700) * 100, speed_kmh: 40, heading_deg: 90 }, { wall: fixMs + 500, counter: 0 });
    }
    for (const run of kit.runs(1000)) folder.store.ingest([run], 0);
    folder.store.close();
    camp = await serve(['--data', join(root, 'camp'), '--name', 'camp', '--port', '0', '--no-discover']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await hq?.stop();
    await camp?.stop();
  });

  it('the_header_and_the_peer_row_show_the_catch_up_rising_then_in_sync', async () => {
    const c = await openConsole(browser, camp.url);
    const { page } = c;
    await page.click('nav >> text=Peers');
    await page.waitForSelector('[data-testid="node-identity"] >> text=camp');
    expect(await c.count('[data-testid="catch-up"]'), 'nothing to catch up before a peer').toBe(0);

    // hq dials camp and sends what it holds; sample the header's bar while it arrives.
    hq = await serve(['--data', FULL, '--port', '0', '--no-discover', '--peer', new URL(camp.url).host]);
    const header: number[] = [];
    const row: number[] = [];
    let screenshot = false;
    await waitFor(
      async () => {
        // A bar may go between counting and reading it: read with a short timeout, skip if gone.
        const valueOf = (selector: string) => page.locator(selector).first().getAttribute('aria-valuenow', { timeout: 200 }).catch(() => null);
        const inHeader = await valueOf('[data-testid="catch-up"] [role="progressbar"]');
        if (inHeader !== null) header.push(Number(inHeader));
        const inRow = await valueOf('[data-testid="sync-receiving"] [role="progressbar"]');
        if (inRow !== null) {
          row.push(Number(inRow));
          if (!screenshot) {
            screenshot = true;
            await page.screenshot({ path: join(artifacts, 'console-catch-up.png') });
          }
        }
        return (await page.locator('[data-testid="peer-row"] >> text=in sync').count()) > 0;
      },
      'camp in sync with hq',
      120_000,
      100,
    );
    console.log(`catch-up seen in the header: ${header.join(',')}; in the peer row: ${row.join(',')}`);
    expect(header.length, 'the header showed the catch-up while it ran').toBeGreaterThan(0);
    expect(new Set(header).size, 'the header bar moved while the events came').toBeGreaterThanOrEqual(2);
    expect(header.at(-1)!, 'it rose').toBeGreaterThan(header[0]!);
    expect(header[0]!, 'seen early in the sync').toBeLessThan(80);
    expect(header, 'the header bar never falls back').toEqual([...header].sort((a, b) => a - b));
    expect(new Set(row).size, "the peer's receiving bar moved").toBeGreaterThanOrEqual(2);
    expect(row, 'the receiving bar never falls back').toEqual([...row].sort((a, b) => a - b));
    await c.waitForCount('[data-testid="catch-up"]', (n) => n === 0, 'the header bar gone once in sync');
    expect(await c.count('[data-testid="sync-receiving"]'), 'no receiving bar once in sync').toBe(0);
    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  }, 180_000);
});

if (!hasChromium() && !process.env['CI']) {
  console.log(`[catch-up e2e] skipped: no Chromium at ${CHROMIUM} (install Debian's chromium package, or set CHROMIUM_PATH)`);
}
