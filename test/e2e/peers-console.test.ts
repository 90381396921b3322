// PROVES (issue 14, item 4): the Peers page in a real headless Chromium against `mandala serve
//         --demo`: each peer is ONLINE with when it was last heard; the filter narrows the table
//         by name and by status and says when nothing matches; sorting by traffic orders the rows
//         by the bytes their links carried, and a second click turns the order round; the
//         author-by-peer matrix lists this node's feed, its direct peers' and the camps' (relayed,
//         never linked with this node), with a cell per peer. No request leaves the node.
// CATCHES: a table that cannot be narrowed or sorted, byte counts that stay at zero, a matrix
//          that calls a relayed camp direct.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';
import { waitFor } from '../support/wait';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.runIf(hasChromium() || process.env['CI'])('the peers page (headless Chromium)', () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-peers-console-'));
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    node = await serve(['--demo', '--port', '0', '--data', join(root, 'node')]);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('filter_sort_and_who_lacks_what', async () => {
    const c = await openConsole(browser, node.url, { width: 1440, height: 1300 });
    const { page } = c;
    await c.open('peers');
    await c.waitForCount('[data-testid="peer-row"]', (n) => n === 2, 'the demo node\'s two peers');
    await waitFor(async () => (await page.locator('[data-testid="peer-status"]').allInnerTexts()).join(',') === 'ONLINE,ONLINE', 'both peers online', 30_000, 200);

    // Filter by name, then by a status no peer has.
    const filter = page.locator('input[name="peer-filter"]');
    await filter.fill('isiolo');
    await c.waitForCount('[data-testid="peer-row"]', (n) => n === 1, 'one peer matches');
    expect(await page.locator('[data-testid="peer-row"]').getAttribute('data-peer')).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.locator('[data-testid="peer-row"]').innerText()).toContain('relay-isiolo');
    expect(await c.text('[data-testid="peer-filter-count"]')).toBe('1 of 2 shown');
    await filter.fill('');
    await page.locator('select[name="peer-status"]').selectOption('offline');
    await c.waitForCount('[data-testid="peer-row"]', (n) => n === 0, 'no peer is offline');
    expect(await page.locator('.peers-table tbody').innerText()).toContain('No peer matches the filter.');
    await page.getByRole('button', { name: 'Clear the filter' }).click();
    await c.waitForCount('[data-testid="peer-row"]', (n) => n === 2, 'both peers again');

    // Sort by the bytes each link carried: most first, then the other way round.
    const traffic = async () => {
      const cells = page.locator('[data-testid="peer-row"] [data-testid="peer-traffic"]');
      const out: number[] = [];
      for (let i = 0; i < (await cells.count()); i++) out.push(Number(await cells.nth(i).getAttribute('data-bytes-sent')) + Number(await cells.nth(i).getAttribute('data-bytes-received')));
      return out;
    };
    await page.click('button[data-sort="traffic"]');
    expect(await page.locator('th[aria-sort="descending"]').innerText()).toMatch(/sent/i);
    const most = await traffic();
    expect(Math.min(...most), 'bytes counted on both links').toBeGreaterThan(0);
    // The counts move on between reads; the order is what the table shows at one moment.
    await waitFor(async () => {
      const t = await traffic();
      return t[0]! >= t[1]!;
    }, 'rows by most bytes first', 10_000, 200);
    await page.click('button[data-sort="traffic"]');
    expect(await page.locator('th[aria-sort="ascending"]').count()).toBe(1);
    await waitFor(async () => {
      const t = await traffic();
      return t[0]! <= t[1]!;
    }, 'rows by fewest bytes first', 10_000, 200);

    // Who lacks what: this node, its two direct peers, and the two camps behind hq (relayed).
    await c.waitForCount('[data-testid="matrix-row"]', (n) => n >= 5, 'the demo\'s feeds in the matrix');
    const hops: Record<string, string> = {};
    const rows = page.locator('[data-testid="matrix-row"]');
    for (let i = 0; i < (await rows.count()); i++) {
      const name = (await rows.nth(i).locator('.matrix-feed-name').innerText()).trim();
      hops[name] = (await rows.nth(i).locator('[data-testid="matrix-hops"]').innerText()).trim();
    }
    expect(hops).toMatchObject({ 'hq-nairobi': 'direct', 'relay-isiolo': 'direct', 'camp-lodwar': 'relayed', 'camp-marsabit': 'relayed' });
    expect(Object.values(hops).filter((h) => h === 'this node')).toHaveLength(1);
    expect(await page.locator('[data-testid="matrix-cell"]').count()).toBe((await rows.count()) * 2);
    await page.locator('[data-testid="peer-matrix"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'console-peers.png') });
    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  }, 120_000);
});
