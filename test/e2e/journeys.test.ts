// PROVES (issue 14, item 9): the three users' journeys in a real headless Chromium against
//         `mandala serve --demo`, screenshots kept in test-artifacts/ (journey-*.png):
//         - the dispatcher watches the demo trucks move, opens a truck's card, replays it with a
//           second truck on one slider, plays it, and exports the replay as GPX (two tracks);
//         - the coordinator finds the convoy plan that two partitioned demo camps re-planned (an
//           open conflict on CV-1's eta), keeps one camp's value, and sees the conflict settle on
//           the record and on the conflict timeline;
//         - the auditor makes a report, verifies it, exports it, tampers with the exported copy
//           and sees that copy fail as INVALID.
//         No request leaves the node and the page throws nothing.
// CATCHES: a console whose parts each work but do not join up into what a user does in a shift.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { gpx } from '@tmcw/togeojson';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';
import { waitFor } from '../support/wait';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const shot = (name: string) => join(artifacts, `journey-${name}.png`);

describe.runIf(hasChromium() || process.env['CI'])('three users, one demo node (headless Chromium)', () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-journeys-'));
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

  it('the_dispatcher_watches_trucks_opens_one_replays_two_and_exports_gpx', async () => {
    const c = await openConsole(browser, node.url);
    const { page } = c;
    await page.waitForSelector('[data-testid="map"][data-map-ready="true"]', { timeout: 60_000 });
    await waitFor(async () => Number((await page.getAttribute('[data-testid="map"]', 'data-rendered-trucks')) ?? 0) >= 8, 'the demo trucks drawn', 60_000, 250);
    // The trucks move: a truck's fix count grows while the dispatcher watches.
    const row = page.locator('[data-testid="truck-row"]').first();
    const truck = (await row.getAttribute('data-truck'))!;
    await row.click();
    const card = page.locator(`[data-testid="truck-card"][data-truck="${truck}"]`);
    await card.waitFor({ timeout: 15_000 });
    const fixes = async () => Number(/([\d,]+) fix/.exec(await card.innerText())![1]!.replaceAll(',', ''));
    const first = await fixes();
    await waitFor(async () => (await fixes()) > first, `${truck} sends new fixes`, 30_000, 250);
    await page.screenshot({ path: shot('dispatcher-watch') });

    // Replay it, with a second truck on the same slider.
    await card.locator('[data-testid="truck-card-replay"]').click();
    await page.waitForSelector('[data-testid="nav-replay"][aria-current="page"]');
    await c.waitForCount('[data-testid="trip-summary"]', (n) => n === 1, 'the truck in the replay', 30_000);
    const other = page.locator('[data-testid="replay-truck"]:not(:checked)').first();
    const second = (await other.getAttribute('data-truck'))!;
    await other.check();
    await c.waitForCount('[data-testid="trip-summary"]', (n) => n === 2, 'both trucks in the replay', 30_000);
    expect(await page.locator('[data-testid="replay-chart"]').getAttribute('data-lines')).toBe('2');
    await page.locator('select[name="rate"]').selectOption('10');
    const before = Number(await page.locator('[data-testid="replay-controls"]').getAttribute('data-time'));
    await page.click('[data-testid="replay-play"]');
    await waitFor(async () => Number(await page.locator('[data-testid="replay-controls"]').getAttribute('data-time')) > before + 5000, 'the replay plays', 10_000, 100);
    await page.screenshot({ path: shot('dispatcher-replay') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="replay-export"]')]);
    const file = join(root, 'replay.gpx');
    await download.saveAs(file);
    const geo = gpx(new DOMParser().parseFromString(readFileSync(file, 'utf8'), 'text/xml') as never);
    expect(geo.features.map((f) => f.properties?.['name'])).toEqual([truck, second]);
    for (const f of geo.features) expect((f.geometry as { coordinates: unknown[] }).coordinates.length).toBeGreaterThan(1);
    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  }, 180_000);

  it('the_coordinator_settles_the_convoy_plan_two_partitioned_camps_made', async () => {
    const c = await openConsole(browser, node.url);
    const { page } = c;
    await c.open('records');
    // The demo partitions its camps and both re-plan convoy CV-1 while cut off; once they meet, the
    // conflict shows here. That takes a partition and a heal: up to a few minutes.
    const convoy = page.locator('[data-testid="record-row"][data-record="CV-1"]');
    await convoy.waitFor({ timeout: 240_000 });
    await convoy.click();
    const conflict = page.locator('[data-testid="field-conflict"][data-field="eta"]');
    await conflict.waitFor({ timeout: 240_000 });
    await page.screenshot({ path: shot('coordinator-conflict') });
    const loser = conflict.locator('[data-testid="conflict-write"][data-winner="false"]').first();
    const kept = await loser.locator('.competing-value').innerText();
    await loser.locator('[data-testid="keep-value"]').click();
    await waitFor(async () => (await c.count('[data-testid="field-conflict"][data-field="eta"]')) === 0, 'the eta settled', 30_000, 100);
    expect(await c.text('[data-testid="field-row"][data-field="eta"] [data-testid="field-value"]')).toBe(kept);
    await c.open('conflicts');
    await page.locator('[data-testid="conflict-entry"][data-kind="concurrent_write"][data-status="settled"]', { hasText: 'CV-1' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: shot('coordinator-settled') });
    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  }, 600_000);

  it('the_auditor_makes_a_report_verifies_it_and_sees_a_tampered_copy_fail', async () => {
    const c = await openConsole(browser, node.url);
    const { page } = c;
    await c.open('evidence');
    await page.click('[data-testid="make-report"]');
    await c.waitForCount('[data-testid="report-row"]', (n) => n >= 1, 'the report listed', 60_000);
    await page.waitForSelector('[data-testid="report-detail"] [data-testid="report-frontier"]', { timeout: 30_000 });
    await page.click('[data-testid="verify-report"]');
    await page.waitForSelector('[data-testid="verify-result"][data-verdict="valid"][data-code="ok"]', { timeout: 60_000 });
    await page.screenshot({ path: shot('auditor-valid') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-report"]')]);
    const exported = join(root, download.suggestedFilename());
    await download.saveAs(exported);
    const report = JSON.parse(readFileSync(exported, 'utf8'));
    report.body.output_hash = `${report.body.output_hash.slice(0, -1)}${report.body.output_hash.endsWith('0') ? '1' : '0'}`;
    const tampered = join(root, 'tampered-report.json');
    writeFileSync(tampered, JSON.stringify(report, null, 2));
    await page.locator('[data-testid="verify-file-input"]').setInputFiles(tampered);
    await page.waitForSelector('[data-testid="file-check"][data-file="tampered-report.json"] [data-testid="verify-result"][data-verdict="invalid"]', { timeout: 60_000 });
    expect(await c.text('[data-testid="file-check"] [data-testid="verify-result"]')).toMatch(/INVALID/);
    await page.screenshot({ path: shot('auditor-tampered') });
    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
    await page.close();
  }, 180_000);
});
