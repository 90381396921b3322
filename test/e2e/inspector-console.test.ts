// PROVES: in a real headless Chromium, the lifecycle inspector on the Peers page finds a vendor's
//         delivery by its webhook-id and shows where it stopped: a forged one at the signature,
//         a refused body with its reason code, an accepted one through every step to the map.
// CATCHES: a position that dies silently, with no way for a dispatcher to find out where.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { fix, post, SECRET, signed } from '../support/webhooks';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.runIf(hasChromium() || process.env['CI'])('the lifecycle inspector (headless Chromium)', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'mandala-inspector-')), 'camp');
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

  it('a_dispatcher_finds_where_a_delivery_stopped', async () => {
    const base = `http://127.0.0.1:${node.port}`;
    expect((await post(base, signed({ positions: [fix('T-5', 1)] }, 'msg_good'))).status).toBe(202);
    const forged = signed({ positions: [fix('T-5', 2)] }, 'msg_forged', { secret: 'whsec_' + Buffer.from('not-the-vendors-secret-at-all-32b').toString('base64') });
    expect((await post(base, forged)).status).toBe(401);
    expect((await post(base, signed({ positions: [{ ...fix('T-5', 3), lat: 95 }] }, 'msg_bad_lat'))).status).toBe(400);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${node.url}#peers`);
    const inspector = page.locator('[data-testid="lifecycle-inspector"]');
    await inspector.waitFor({ timeout: 30_000 });
    const find = async (query: string) => {
      await inspector.locator('input[name="query"]').fill(query);
      await inspector.getByRole('button', { name: 'Find' }).click();
      const trace = inspector.locator('[data-testid="lifecycle-trace"]').first();
      await trace.waitFor({ timeout: 15_000 });
      await expect.poll(async () => (await trace.innerText()).includes(query), { timeout: 15_000 }).toBe(true);
      return trace;
    };
    expect(await (await find('msg_forged')).innerText()).toMatch(/from a sender not yet known[\s\S]*refused at the signature: .*\(signature_invalid\)[\s\S]*now[\s\S]*stopped: refused at the signature/i);
    expect(await (await find('msg_bad_lat')).innerText()).toMatch(/refused: .*out of range.*\(coordinate_out_of_range\)/);
    await expect.poll(async () => (await (await find('msg_good')).innerText()).includes('T-5: on the map'), { timeout: 15_000 }).toBe(true);
    expect(await (await find('msg_good')).innerText()).toMatch(/signature checked[\s\S]*passed the gates[\s\S]*durable in the inbox[\s\S]*appended to this node's feed as \S+#\d+[\s\S]*no peer to relay to yet/);
    await find('msg_forged');
    await inspector.screenshot({ path: join(artifacts, 'console-inspector.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
