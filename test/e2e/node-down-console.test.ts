// PROVES: in a real headless Chromium, when the node behind an open console stops, the banner
//         says the connection is lost and its "down for" keeps counting across the bridge's
//         retries (it does not restart at each one), the header marks the peers count as last
//         known, and once a node serves the same port again the banner goes and the header is live.
// CATCHES: a console that looks live while its node is gone, or a counter that says "down 1 s" forever.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';
import { waitFor } from '../support/wait';

describe.runIf(hasChromium() || process.env['CI'])('a console whose node goes down (headless Chromium)', () => {
  const DATA = join(mkdtempSync(join(tmpdir(), 'mandala-node-down-')), 'node');
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    node = await serve(['--data', DATA, '--port', '0']);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('the_banner_counts_from_the_loss_and_the_header_says_last_known', async () => {
    const c = await openConsole(browser, node.url);
    const { page } = c;
    const peersStat = page.locator('.header-stat', { hasText: 'peers connected' });
    expect(await peersStat.innerText()).not.toMatch(/last known/);
    const port = node.port;
    await node.stop();
    const banner = page.locator('[data-testid="connection-banner"]');
    await banner.waitFor({ timeout: 15_000 });
    // What the user reads: "(down 12 s)".
    const downMs = async () => Number(/down (\d+) s\b/.exec(await banner.innerText())?.[1] ?? Number.NaN) * 1000;
    // The bridge retries meanwhile (after 0.5, 1, 2, 4 and 8 s): through all of them the count
    // only goes up, from the loss.
    const seen: number[] = [];
    await waitFor(async () => {
      seen.push(await downMs());
      return seen.length >= 48;
    }, '12 s of the banner', 30_000, 250);
    const drops = seen.filter((v, i) => i > 0 && v < seen[i - 1]!);
    expect(drops, `the banner read ${seen.map((v) => v / 1000).join(' ')} s`).toEqual([]);
    expect(seen.at(-1)! - seen[0]!).toBeGreaterThanOrEqual(9000);
    expect(await banner.innerText()).toMatch(/Connection to the node lost/);
    expect(await peersStat.innerText()).toMatch(/last known/);

    node = await serve(['--data', DATA, '--port', String(port)]);
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await waitFor(async () => !/last known/.test(await peersStat.innerText()), 'the header to be live again', 10_000, 100);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  }, 90_000);
});
