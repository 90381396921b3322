// PROVES (issue 14, item 8): the radio port picker with a live port list, in a real headless
//         Chromium against `mandala serve`, with `mandala radio-sim`'s RNode firmware on real
//         pseudo-terminals: the picker says no port is found; the simulator's port appears
//         without a reload once it exists; attaching it with chosen settings brings the radio
//         online and a radio neighbour (a `serve --lora` truck kit) into the peers table, and its fix
//         onto this node; a bad setting is refused in words, with the radio left as it was;
//         Change… swaps one setting and keeps the rest; detaching closes the radio link.
// CATCHES: a picker that lists ports only at page load, a radio that can only be given at start,
//          an attach that silently ignores the settings, a detach that leaves the link up.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, mandala, serve, type Served } from '../support/cli';
import { CHROMIUM, hasChromium, launchChromium } from '../support/chromium';
import { openConsole } from '../support/console-page';
import { waitFor } from '../support/wait';

const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

describe.runIf(hasChromium() || process.env['CI'])('radio port picker (headless Chromium, radio-sim)', () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-radio-picker-'));
  const radios = join(root, 'radios');
  let base: Served;
  let kit: Served | null = null;
  let sim: ChildProcess | null = null;
  let browser: Browser;
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
    // The base camp's node starts with no radio; the picker may also list the simulator's first port.
    base = await serve(['--data', join(root, 'base'), '--name', 'base', '--port', '0', '--no-discover'], { MANDALA_RADIO_PORTS: join(radios, 'radio0') });
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await kit?.stop();
    await base?.stop();
    if (sim && sim.exitCode === null) {
      sim.kill('SIGTERM');
      await new Promise((r) => sim!.once('exit', r));
    }
  });

  async function startSim(): Promise<void> {
    mkdirSync(radios, { recursive: true });
    sim = spawn(process.execPath, [BIN, 'radio-sim', '--nodes', '2', '--dir', radios, '--sf', '7', '--bw', '500000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    sim.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    sim.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('radio1') || sim!.exitCode !== null, 'the radio simulator to create its ptys', 20_000);
    if (sim.exitCode !== null) throw new Error(`radio-sim exited: ${out}`);
  }

  it('lists_a_port_as_it_appears_attaches_it_with_settings_and_detaches', { timeout: 180_000 }, async () => {
    const c = await openConsole(browser, base.url);
    const { page } = c;
    await c.open('peers');
    const panel = page.locator('[data-testid="radio-panel"]');
    const select = page.locator('[data-testid="radio-port-select"]');
    await expect.poll(() => panel.getAttribute('data-attached')).toBe('');
    expect(await select.isDisabled()).toBe(true);
    expect(await panel.innerText()).toContain('no serial port found');

    // The radios come up after the page was opened: the picker lists the port by itself.
    await startSim();
    const port = join(radios, 'radio0');
    await expect.poll(() => select.locator('option').allInnerTexts(), { timeout: 15_000 }).toEqual([expect.stringContaining(port)]);
    // A truck kit on the other radio, with a fix to send.
    const kitDir = join(root, 'kit');
    expect(mandala(['position', 'KCE 675H', '0.52', '37.45', '--speed', '40', '--data', kitDir]).code).toBe(0);
    kit = await serve(['--data', kitDir, '--port', '0', '--no-discover', '--lora', join(radios, 'radio1'), '--sf', '7', '--bw', '500000', '--duty-cycle', '100', '--freshness', '0', '--boot-wait', '200']);

    // A bad setting is refused in words and nothing is attached.
    // (The browser's own checks keep SF, CR and power in range; the frequency is the node's to refuse.)
    await page.fill('input[name="radio-frequency"]', '100');
    await page.click('[data-testid="radio-attach"]');
    await expect.poll(() => panel.innerText()).toContain('frequency 100000000 Hz is outside 137 MHz..3 GHz');
    expect(await panel.getAttribute('data-attached')).toBe('');

    await page.fill('input[name="radio-frequency"]', '868.1');
    await page.fill('input[name="radio-sf"]', '7');
    await page.selectOption('select[name="radio-bandwidth"]', '500000');
    await page.fill('input[name="radio-duty"]', '100');
    await page.fill('input[name="radio-freshness"]', '0');
    await page.click('[data-testid="radio-attach"]');
    await expect.poll(() => panel.getAttribute('data-attached')).toBe(port);
    await expect.poll(() => panel.getAttribute('data-online'), { timeout: 20_000 }).toBe('true');
    expect(await panel.innerText()).toContain('500 kHz · SF7');
    expect(await panel.innerText()).toContain('100% duty cycle');

    // The kit is heard over LoRa, and its fix reaches the base camp.
    const heard = page.locator('[data-testid="peer-row"]', { hasText: 'LoRa' });
    await heard.waitFor({ timeout: 60_000 });
    const kitRow = page.locator(`[data-testid="peer-row"][data-peer="${await heard.getAttribute('data-peer')}"]`);
    await waitFor(() => mandala(['view', 'fleet', '--json', '--data', join(root, 'base')]).stdout.includes('KCE 675H'), 'the kit fix to reach the base over the radio', 60_000, 1000);
    await page.screenshot({ path: join(artifacts, 'console-radio-attached.png') });

    // Change… keeps the port and settings and swaps what is changed.
    await panel.getByRole('button', { name: 'Change…' }).click();
    await page.fill('input[name="radio-freshness"]', '5');
    await page.click('[data-testid="radio-attach"]');
    await expect.poll(() => panel.innerText()).toContain('positions held 5 s');
    expect(await panel.getAttribute('data-attached')).toBe(port);
    await expect.poll(() => panel.getAttribute('data-online'), { timeout: 20_000 }).toBe('true');
    expect(await panel.innerText()).toContain('100% duty cycle');

    // Detach: the radio link closes.
    await panel.getByRole('button', { name: 'Detach' }).click();
    await expect.poll(() => panel.getAttribute('data-attached')).toBe('');
    await expect.poll(() => kitRow.getAttribute('data-connected'), { timeout: 20_000 }).toBe('false');
    expect(await kitRow.innerText()).not.toContain('LoRa');
    expect(c.outsideRequests()).toEqual([]);
    expect(c.pageErrors()).toEqual([]);
  });
});
