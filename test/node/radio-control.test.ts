// PROVES: a radio attached to a running node (what the console's picker does), over a real
//         pseudo-terminal with the radio simulator's RNode firmware on the other end: it comes
//         online with its firmware, its setup is reported for the desktop app to remember, a
//         second attach swaps it, detaching reports none, and a node that stops reports nothing
//         (the radio stays the one chosen for the next start); the ports listed include a
//         simulator's path named for the picker.
// CATCHES: a desktop app that forgets its radio at every quit, an attach that leaves the old
//          radio's port open, a picker that cannot see the simulator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RadioSimulator } from '../../src/lab/radio-sim/simulator';
import { startRuntime } from '../../src/node/runtime';
import type { RadioSetupDto } from '../../src/shared/api';
import { waitFor } from '../support/wait';

const dir = mkdtempSync(join(tmpdir(), 'mandala-radio-control-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('attaches_swaps_and_detaches_a_radio_and_a_stop_reports_nothing', { timeout: 60_000 }, async () => {
  const sim = new RadioSimulator({ nodes: 2, dir: join(dir, 'radios'), sf: 7, bwHz: 500_000 });
  await sim.start();
  const reported: (RadioSetupDto | null)[] = [];
  const runtime = await startRuntime({ dir: join(dir, 'node'), version: 'test', create: true, radioPorts: [sim.path(0), join(dir, 'radios', 'absent')], onRadioChanged: (s) => reported.push(s) });
  try {
    const before = await runtime.radio.status();
    expect(before.attached).toBeNull();
    expect(before.ports.map((p) => p.path)).toContain(sim.path(0));
    expect(before.ports.map((p) => p.path)).not.toContain(join(dir, 'radios', 'absent'));

    const config = { frequencyHz: 868_100_000, bandwidthHz: 500_000, sf: 7, cr: 5, txPowerDbm: 14 };
    await runtime.radio.attach({ path: sim.path(0), config, dutyCyclePct: 10, freshnessMs: 0, bootWaitMs: 150 });
    await waitFor(async () => (await runtime.radio.status()).attached?.online === true, 'the radio to come online', 20_000);
    const online = (await runtime.radio.status()).attached!;
    expect(online).toMatchObject({ path: sim.path(0), sf: 7, bandwidthHz: 500_000, dutyCyclePct: 10, freshnessS: 0, problem: null });
    expect(online.firmware).toMatch(/^\d+\.\d+$/);
    expect(reported.at(-1)).toEqual({ path: sim.path(0), frequencyHz: 868_100_000, bandwidthHz: 500_000, sf: 7, cr: 5, txPowerDbm: 14, dutyCyclePct: 10, freshnessS: 0 });

    // Swapped for the other radio: the first port is let go (the simulator would refuse a second opener).
    await runtime.radio.attach({ path: sim.path(1), config, dutyCyclePct: 1, bootWaitMs: 150 });
    await waitFor(async () => (await runtime.radio.status()).attached?.online === true, 'the second radio to come online', 20_000);
    expect(reported.at(-1)?.path).toBe(sim.path(1));
    await runtime.radio.attach({ path: sim.path(0), config, dutyCyclePct: 1, bootWaitMs: 150 });
    await waitFor(async () => (await runtime.radio.status()).attached?.online === true, 'the first radio to come online again', 20_000);

    await runtime.radio.detach();
    expect((await runtime.radio.status()).attached).toBeNull();
    expect(reported.at(-1)).toBeNull();

    await runtime.radio.attach({ path: sim.path(0), config, dutyCyclePct: 1, bootWaitMs: 150 });
    const count = reported.length;
    await runtime.stop();
    expect(reported.slice(count).filter((s) => s === null)).toEqual([]);
  } finally {
    await sim.stop();
  }
});
