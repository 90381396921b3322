// PROVES (issue 14, item 5): records from the keyboard alone, in a real headless Chromium: j/k and
//         the arrows move through the list, e reaches the fields, Enter edits a value in place and
//         stores it typed (the node's records view then holds the number), Escape puts the old
//         value back, a reaches the note box and Ctrl+Enter adds the note, / reaches the filter;
//         a key typed into a box is text, never a shortcut.
// CATCHES: a records page that needs the mouse for every edit, an edit that Escape still saves,
//          a shortcut that fires while the user types a note.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mandala, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';
import { waitFor } from '../support/wait';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.runIf(hasChromium() || process.env['CI'])('records from the keyboard (headless Chromium)', () => {
  const DATA = join(mkdtempSync(join(tmpdir(), 'mandala-records-keys-')), 'node');
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    for (const args of [
      ['create', 'DL-1', 'delivery'],
      ['create', 'DL-2', 'delivery'],
      ['create', 'DL-3', 'incident'],
      ['set', 'DL-2', 'pallets', '4'],
      ['set', 'DL-2', 'status', 'loading'],
    ])
      expect(mandala(['record', ...args, '--data', DATA]).code).toBe(0);
    node = await serve(['--data', DATA, '--port', '0', '--no-discover']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  const records = () => JSON.parse(mandala(['view', 'records', '--json', '--data', DATA]).stdout) as Record<string, { fields: Record<string, unknown>; notes: string[] }>;

  it('moves_edits_in_place_cancels_and_adds_a_note_without_the_mouse', async () => {
    const c = await openConsole(browser, node.url);
    const { page } = c;
    await c.open('records');
    await page.waitForSelector('[data-testid="record-row"]');
    const detail = page.locator('[data-testid="record-detail"]');
    const focused = page.locator(':focus');

    await page.keyboard.press('j');
    await expect.poll(() => detail.getAttribute('data-record')).toBe('DL-1');
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => detail.getAttribute('data-record')).toBe('DL-3');
    await page.keyboard.press('k');
    await expect.poll(() => detail.getAttribute('data-record')).toBe('DL-2');

    // e: to the fields; down to "status"; Enter edits it in place; Enter stores it.
    await page.keyboard.press('e');
    await expect.poll(() => focused.getAttribute('data-testid')).toBe('field-row');
    while ((await focused.getAttribute('data-field')) !== 'status') await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.type('on_road');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="field-row"][data-field="status"] >> [data-testid="field-value"] >> text=on_road');
    await waitFor(async () => records()['DL-2']?.fields['status'] === 'on_road', 'the node holds the new status', 10_000, 200);
    await expect.poll(() => focused.getAttribute('data-field'), { message: 'focus back on the edited row' }).toBe('status');

    // Up to "pallets": a number is stored as a number; Escape leaves the value as it was.
    await page.keyboard.press('ArrowUp');
    expect(await focused.getAttribute('data-field')).toBe('pallets');
    await page.keyboard.press('Enter');
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    await waitFor(async () => records()['DL-2']?.fields['pallets'] === 7, 'pallets stored as the number 7', 10_000, 200);
    await expect.poll(() => focused.getAttribute('data-field'), { message: 'focus back on the pallets row' }).toBe('pallets');
    await page.keyboard.press('F2');
    await page.keyboard.type('99');
    await expect.poll(() => page.locator('[data-testid="inline-field-input"]').inputValue(), { message: 'F2 opened the editor' }).toBe('99');
    await page.keyboard.press('Escape');
    await c.waitForCount('[data-testid="inline-field-input"]', (n) => n === 0, 'Escape closed the editor');
    await page.waitForSelector('[data-testid="field-row"][data-field="pallets"] >> [data-testid="field-value"] >> text=7');
    await page.waitForTimeout(500);
    expect(records()['DL-2']?.fields['pallets'], 'Escape stored nothing').toBe(7);

    // a: the note box; letters typed there are text (j, k, e are not shortcuts); Ctrl+Enter adds it.
    await page.keyboard.press('a');
    await expect.poll(() => focused.getAttribute('name')).toBe('note');
    await page.keyboard.type('jake checked the seals');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('[data-testid="note"] >> text=jake checked the seals');
    expect(records()['DL-2']?.notes).toEqual(['jake checked the seals']);
    expect(await detail.getAttribute('data-record'), 'typing did not move the selection').toBe('DL-2');
    await page.screenshot({ path: join(artifacts, 'console-records-keyboard.png') });

    // /: the filter.
    await page.locator('[data-testid="add-note-form"] textarea').blur();
    await page.keyboard.press('/');
    await page.keyboard.type('incident');
    await c.waitForCount('[data-testid="record-row"]', (n) => n === 1, 'the filter keeps DL-3');
    expect(c.pageErrors()).toEqual([]);
    expect(c.outsideRequests()).toEqual([]);
    await page.close();
  }, 60_000);
});

if (!hasChromium() && !process.env['CI']) {
  console.log(`[records keyboard e2e] skipped: no Chromium at ${CHROMIUM} (install Debian's chromium package, or set CHROMIUM_PATH)`);
}
