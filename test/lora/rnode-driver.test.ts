// PROVES: the RNode driver, on real pseudo-terminals with the radio simulator on the other end,
//         detects the device, checks its firmware, configures it (warning on a clamped TX power,
//         stopping on a refused setting), carries packets with RSSI/SNR, and recovers by itself
//         from a device reset, an unplug/replug and a radio that stops answering; a missing
//         device and a busy port are reported in words a person can act on.
// CATCHES: a driver that trusts echoes blindly, hangs after a reset, or needs a restart after a
//          pulled cable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MonotonicClock } from '../../src/core/clock/clock';
import type { RadioConfig } from '../../src/core/lora/rnode';
import { RealScheduler } from '../../src/node/clock/real-scheduler';
import { SystemClock } from '../../src/node/clock/system-clock';
import { RadioSimulator } from '../../src/lab/radio-sim/simulator';
import { RNodeRadioPort } from '../../src/node/transports/lora/rnode-radio-port';
import { serialOpenError } from '../../src/node/transports/lora/serial-errors';
import { waitFor } from '../support/wait';

const FAST: RadioConfig = { frequencyHz: 868_100_000, bandwidthHz: 500_000, sf: 7, cr: 5, txPowerDbm: 14 };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function simulator(nodes: number): Promise<RadioSimulator> {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-driver-'));
  const sim = new RadioSimulator({ nodes, dir, sf: 7, bwHz: 500_000 });
  await sim.start();
  cleanup.push(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return sim;
}

function driver(path: string, config: RadioConfig = FAST) {
  const scheduler = new RealScheduler(new MonotonicClock(new SystemClock()));
  const port = new RNodeRadioPort({ path, config, scheduler, bootWaitMs: 150, detectTimeoutMs: 1000, silenceTimeoutMs: 2500, maxBackoffMs: 1000 });
  const problems: { code: string; message: string }[] = [];
  const packets: { payload: number[]; rssi: number; snr: number }[] = [];
  let offline = 0;
  port.events.on('problem', (code, message) => problems.push({ code, message }));
  port.events.on('packet', (p, rssi, snr) => packets.push({ payload: [...p], rssi, snr }));
  port.events.on('offline', () => offline++);
  cleanup.push(() => port.stop());
  return { port, problems, packets, offline: () => offline };
}

describe('RNode driver against the radio simulator', () => {
  it('comes_online_and_carries_packets_with_rssi_and_snr', async () => {
    const sim = await simulator(2);
    const a = driver(sim.path(0));
    const b = driver(sim.path(1));
    await a.port.start();
    await b.port.start();
    await waitFor(() => a.port.online && b.port.online, 'both radios online');
    expect(a.port.firmware).toBe('1.86');
    expect(a.port.send(new Uint8Array([0xc0, 1, 0xdb, 2]))).toBe(true);
    await waitFor(() => b.packets.length === 1, 'the packet at the other radio');
    expect(b.packets[0]).toEqual({ payload: [0xc0, 1, 0xdb, 2], rssi: -90, snr: 8 });
  });

  it('a_clamped_tx_power_is_reported_and_a_refused_setting_stops_with_a_sentence', async () => {
    const sim = await simulator(2);
    const loud = driver(sim.path(0), { ...FAST, txPowerDbm: 22 });
    await loud.port.start();
    await waitFor(() => loud.port.online, 'the radio online despite the clamp');
    expect(loud.problems.find((p) => p.code === 'txpower_clamped')?.message).toMatch(/limits TX power to 17 dBm \(asked for 22 dBm\)/);
    const wrong = driver(sim.path(1), { ...FAST, sf: 13 });
    await wrong.port.start();
    await waitFor(() => wrong.problems.some((p) => p.code === 'radio_refused_setting'), 'the refusal');
    expect(wrong.port.online).toBe(false);
    expect(wrong.problems.find((p) => p.code === 'radio_refused_setting')!.message).toMatch(/did not accept spreading factor SF13 \(it applied SF12\)/);
  });

  it('recovers_by_itself_from_a_reset_an_unplug_and_a_silent_radio', async () => {
    const sim = await simulator(2);
    const a = driver(sim.path(0));
    await a.port.start();
    await waitFor(() => a.port.online, 'online');

    sim.resetDevice(0);
    await waitFor(() => a.offline() >= 1 && a.port.online, 'back online after the device reset', 15_000);
    expect(a.problems.map((p) => p.code)).toContain('device_reset');

    await sim.unplug(0);
    await waitFor(() => !a.port.online, 'offline after the unplug', 10_000);
    expect(a.problems.some((p) => p.code === 'radio_lost' || p.code === 'serial_missing')).toBe(true);
    await sim.replug(0);
    await waitFor(() => a.port.online, 'online again after the replug', 20_000);

    sim.freeze(0);
    await waitFor(() => a.problems.some((p) => /stopped answering/.test(p.message)), 'the silence noticed', 15_000);
    sim.thaw(0);
    await waitFor(() => a.port.online, 'online again after the radio answers', 20_000);
  });

  it('a_missing_device_is_reported_and_found_when_it_appears', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mandala-late-'));
    const a = driver(join(dir, 'radio0'));
    await a.port.start();
    await waitFor(() => a.problems.some((p) => p.code === 'serial_missing'), 'the missing-device problem');
    expect(a.problems[0]!.message).toMatch(/no device at .*radio0: plug the radio in/);
    const sim = new RadioSimulator({ nodes: 1, dir, sf: 7, bwHz: 500_000 });
    await sim.start();
    cleanup.push(() => sim.stop());
    await waitFor(() => a.port.online, 'online once the device appears', 15_000);
  });

  it('serial_errors_people_hit_become_actionable_codes', () => {
    expect(serialOpenError('/dev/ttyUSB0', new Error('Error Resource temporarily unavailable Cannot lock port'))).toMatchObject({ code: 'serial_busy', message: expect.stringMatching(/\/dev\/ttyUSB0 is busy/) });
    expect(serialOpenError('/dev/ttyUSB0', Object.assign(new Error('Error: Permission denied, cannot open /dev/ttyUSB0'), { code: 'EACCES' }))).toMatchObject({ code: 'serial_permission', message: expect.stringMatching(/dialout/) });
    expect(serialOpenError('/dev/ttyUSB9', new Error('Error: No such file or directory, cannot open /dev/ttyUSB9'))).toMatchObject({ code: 'serial_missing' });
  });
});
