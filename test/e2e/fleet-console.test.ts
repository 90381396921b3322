// PROVES: in a real headless Chromium, the console of a fleet's admin shows the fleet and this
//         node's role, admits a node from the Peers page (the admission is a signed event the
//         CLI sees too), and revokes it after a confirmation; a node that is not an admin gets no
//         admit form.
// CATCHES: a fleet that can only be managed from a terminal; a revoke without a second thought.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mandala, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.runIf(hasChromium() || process.env['CI'])('the fleet in the console (headless Chromium)', () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-fleet-console-'));
  const HQ = join(root, 'hq');
  const KIT = join(root, 'kit');
  let node: Served;
  let browser: Browser;
  let kitId = '';
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    expect(mandala(['init', '--data', HQ, '--name', 'hq', '--fleet', 'Relief North']).code).toBe(0);
    const fleet = (JSON.parse(mandala(['info', '--json', '--data', HQ]).stdout) as { fleet: { id: string } }).fleet.id;
    expect(mandala(['init', '--data', KIT, '--name', 'kit-7', '--join', fleet]).code).toBe(0);
    kitId = (JSON.parse(mandala(['info', '--json', '--data', KIT]).stdout) as { node: string }).node;
    node = await serve(['--data', HQ, '--port', '0']);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it('an_admin_admits_and_revokes_a_node_from_the_peers_page', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${node.url}#peers`);
    const panel = page.locator('[data-testid="fleet-panel"]');
    await panel.waitFor({ timeout: 30_000 });
    expect(await panel.innerText()).toMatch(/Relief North[\s\S]*this node:\s*admin/i);

    await page.fill('[data-testid="fleet-admit-form"] input[name="node"]', kitId);
    await page.click('[data-testid="fleet-admit-form"] button[type="submit"]');
    const row = page.locator(`[data-testid="fleet-member"][data-node="${kitId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toMatch(/member/);
    expect(mandala(['info', '--data', HQ]).stdout, 'the admission is an event the CLI sees').toMatch(new RegExp(`${kitId.slice(0, 8)}.*member`));

    await row.getByRole('button', { name: 'Revoke…' }).click();
    expect(await row.innerText(), 'a revoke asks first').toMatch(/Revoke .*\? Its feed is kept/);
    await row.getByRole('button', { name: 'Revoke', exact: true }).click();
    await row.locator('.badge-bad', { hasText: 'revoked' }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(artifacts, 'console-fleet.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('a_node_that_is_not_an_admin_sees_its_fleet_but_no_admit_form', async () => {
    const kit = await serve(['--data', KIT, '--port', '0']);
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      await page.goto(`${kit.url}#peers`);
      const panel = page.locator('[data-testid="fleet-panel"]');
      await panel.waitFor({ timeout: 30_000 });
      expect(await panel.innerText()).toMatch(/this node:\s*not admitted yet[\s\S]*have not reached this node yet/i);
      expect(await page.locator('[data-testid="fleet-admit-form"]').count()).toBe(0);
      await page.close();
    } finally {
      await kit.stop();
    }
  });
});
