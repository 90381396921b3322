// PROVES: in a real headless Chromium, the Ingest view charts what the node takes in: positions
//         per second from a vendor's webhooks (named by vendor in the by-source chart), the inbox
//         depth, the drain rate and the event-loop delay, from the node's own samples.
// CATCHES: an ingest view that draws nothing, or rates that never reach the console.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { waitFor } from '../support/wait';
import { fix, post, SECRET, signed } from '../support/webhooks';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.runIf(hasChromium() || process.env['CI'])('the ingest view (headless Chromium)', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'mandala-ingest-view-')), 'camp');
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    node = await serve(['--data', dir, '--port', '0', '--no-discover', '--webhook-secret', SECRET]);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('charts_the_positions_coming_in_by_source_the_inbox_and_the_loop', async () => {
    const base = `http://127.0.0.1:${node.port}`;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${node.url}#ingest`);
    // Deliveries over a dozen seconds: more than two of the node's 5 s samples.
    let n = 0;
    let accepted = 0;
    await waitFor(
      async () => {
        const positions = Array.from({ length: 20 }, (_, i) => fix(`T-${i % 4}`, n * 20 + i));
        // A loaded machine may shed a delivery (429, retry later): that is the node's contract too.
        const status = (await post(base, signed({ positions }, `msg_${n++}`), { retryShed: false })).status;
        expect([202, 429]).toContain(status);
        if (status === 202) accepted++;
        return accepted > 0 && (await page.locator('[data-testid="ingest-sources"] .recharts-area').count()) > 0;
      },
      'the by-source chart to draw the vendor',
      40_000,
      500,
    );
    expect(await page.locator('.page-subtitle').innerText()).toMatch(/positions\/s in · [\d.]+ refused\/s \(429\) · [\d,]+ waiting · [\d.]+\/s drained · loop p99 [\d.]+ ms/);
    expect(await page.locator('[data-testid="ingest-sources"]').innerText()).toMatch(/vendor \S+/);
    for (const id of ['ingest-rates', 'ingest-inbox', 'ingest-loop']) expect(await page.locator(`[data-testid="${id}"] .recharts-surface`).count(), id).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifacts, 'console-ingest.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
