// PROVES: in a real headless Chromium, one fix dated years ahead does not squeeze the conflict
//         timeline: it waits at the right edge (marked as outside the range) while the real
//         entries spread over the plot; and five entries that say the same thing ("recorded
//         10 min after it was taken") fold into one row with a count, opened on demand.
// CATCHES: a timeline made useless by one bad clock; a list that repeats itself nine times.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/node/clock/system-clock';
import { mandala, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.runIf(hasChromium() || process.env['CI'])('the conflict timeline with an outlier and repeats (headless Chromium)', () => {
  const DATA = join(mkdtempSync(join(tmpdir(), 'mandala-timeline-')), 'node');
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    // A kit back from a dead zone: five fixes taken about ten minutes before they are recorded.
    const base = new SystemClock().nowMs() - 600_000;
    for (let i = 0; i < 5; i++) {
      const r = mandala(['position', 'KBT-7', String(-1.28 - i * 0.0005), '36.82', '--time', new Date(base + i * 4000).toISOString(), '--data', DATA]);
      expect(r.code, r.stderr).toBe(0);
    }
    // And a kit whose clock says 2030.
    expect(mandala(['position', 'KBT-9', '-1.3', '36.8', '--time', '2030-01-01T00:00:00Z', '--data', DATA]).code).toBe(0);
    node = await serve(['--data', DATA, '--port', '0']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('the_outlier_waits_at_the_edge_and_repeats_fold_into_one_row', async () => {
    const c = await openConsole(browser, node.url);
    const { page } = c;
    await c.open('conflicts');
    const delayed = page.locator('[data-testid="timeline-mark"][data-kind="delayed_fix"]');
    await c.waitForCount('[data-testid="timeline-mark"][data-kind="delayed_fix"]', (n) => n === 5, 'five delayed-fix marks');
    const outlier = page.locator('[data-testid="timeline-mark"][data-outside="after"]');
    expect(await outlier.count(), 'the 2030 fix, at the right edge').toBe(1);
    expect(await outlier.getAttribute('data-kind')).toBe('implausible_fix');
    const xs = await delayed.evaluateAll((marks) => marks.map((m) => m.getBoundingClientRect().x));
    const plot = (await page.locator('.timeline-plot').boundingBox())!;
    expect(Math.max(...xs) - Math.min(...xs), 'the real entries spread over the plot').toBeGreaterThan(plot.width * 0.1);

    const rows = page.locator('[data-testid="conflict-entry"][data-kind="delayed_fix"]');
    expect(await rows.count(), 'one row for five alike').toBe(1);
    expect(await rows.first().getAttribute('data-repeats')).toBe('5');
    expect(await rows.first().innerText()).toMatch(/KBT-7: a fix from .* was recorded 10 min after it was taken.*×5/);
    await page.screenshot({ path: join(artifacts, 'console-timeline-outlier.png') });
    await page.click('[data-testid="repeat-toggle"]');
    expect(await rows.count(), 'opened').toBe(5);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  });
});
