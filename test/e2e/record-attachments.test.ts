// PROVES (issue 14, item 5): attachments in a real headless Chromium against `mandala serve`: a
//         coordinator attaches a file to a record from the record's page, sees it listed with its
//         size and type, downloads the very same bytes and previews a photo in place; a file over the limit is refused in
//         words before anything is sent; the node's own records view names the file by its
//         SHA-256.
// CATCHES: an attach button that uploads nothing, a download that changes the bytes, an
//          oversized photo that stalls the console.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mandala, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.runIf(hasChromium() || process.env['CI'])('record attachments (headless Chromium)', () => {
  const DATA = join(mkdtempSync(join(tmpdir(), 'mandala-attach-')), 'node');
  let node: Served;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    expect(mandala(['record', 'create', 'DL-4', 'delivery', '--data', DATA]).code).toBe(0);
    node = await serve(['--data', DATA, '--port', '0', '--no-discover']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('attaches_a_file_lists_it_and_downloads_the_same_bytes', { timeout: 60_000 }, async () => {
    // In the light theme, to look at it too (console-record-attachments.png).
    const c = await openConsole(browser, node.url, undefined, 'light');
    const { page } = c;
    await c.open('records');
    await page.locator('[data-testid="record-row"]', { hasText: 'DL-4' }).click();
    const section = page.locator('[data-testid="record-attachments"]');
    await expect.poll(() => section.innerText()).toContain('No files yet');

    const photo = randomBytes(40_000);
    await page.locator('[data-testid="attach-file-input"]').setInputFiles({ name: 'pod-4.jpg', mimeType: 'image/jpeg', buffer: photo });
    const item = section.locator('[data-testid="attachment"][data-name="pod-4.jpg"]');
    await item.waitFor({ timeout: 15_000 });
    await expect.poll(() => item.getAttribute('data-here')).toBe('true');
    expect(await item.innerText()).toContain('40.0 kB · image/jpeg');

    const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('pod-4.jpg');
    const saved = join(artifacts, 'downloaded-pod-4.jpg');
    await download.saveAs(saved);
    expect(readFileSync(saved).equals(photo)).toBe(true);

    // A photo can be looked at in place.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await page.locator('[data-testid="attach-file-input"]').setInputFiles({ name: 'seal.png', mimeType: 'image/png', buffer: png });
    const seal = section.locator('[data-testid="attachment"][data-name="seal.png"]');
    await expect.poll(() => seal.getAttribute('data-here')).toBe('true');
    await seal.getByRole('button', { name: 'Preview' }).click();
    const img = seal.locator('[data-testid="attachment-preview"]');
    await expect.poll(() => img.evaluate((el) => (el as { naturalWidth: number }).naturalWidth)).toBe(1);
    await seal.getByRole('button', { name: 'Hide' }).click();
    await expect.poll(() => img.count()).toBe(0);

    // Too big: said at once, nothing sent.
    await page.locator('[data-testid="attach-file-input"]').setInputFiles({ name: 'video.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(3_200_000) });
    await expect.poll(() => section.innerText()).toContain('video.mp4 is 3.2 MB; an attachment may be at most 3.0 MB');
    expect(await section.locator('[data-testid="attachment"]').count()).toBe(2);
    await page.screenshot({ path: join(artifacts, 'console-record-attachments.png') });

    const view = JSON.parse(mandala(['view', 'records', '--json', '--data', DATA]).stdout) as Record<string, { attachments: { field: string; blob_hash: string; size: number; mime: string }[] }>;
    expect(view['DL-4']!.attachments).toEqual([
      { field: 'pod-4.jpg', blob_hash: createHash('sha256').update(photo).digest('hex'), size: 40_000, mime: 'image/jpeg' },
      { field: 'seal.png', blob_hash: createHash('sha256').update(png).digest('hex'), size: png.length, mime: 'image/png' },
    ]);
    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
  });
});
