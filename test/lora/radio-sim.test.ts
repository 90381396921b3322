// PROVES: the radio simulator speaks RNode firmware 1.86's side of the serial protocol on real
//         pseudo-terminals opened with the real serialport package: detect/version/platform/MCU
//         replies, config echoes (TX power clamped to 17 dBm, SF clamped into 5..12), the radio
//         lock until frequency/bandwidth/power/SF are set, packets delivered as RSSI+SNR+DATA with
//         KISS escaping, reach (chain, reach.json edited at run time, partition/heal), CHTM once a
//         second, READY and QUEUE_FULL, RESET, freeze, unplug/replug, reopening, resync after
//         garbage and the 100 ms partial-frame timeout; and that no socat outlives a simulator.
// CATCHES: a simulator an app driver could tell from a device (wrong bytes, missing echoes,
//          unescaped payloads, answers to bare queries), ports that vanish when the app closes
//          them, a reach file that is ignored or half-applied, orphan socat processes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kissEncode } from '../../src/core/lora/kiss';
import { ASK, CMD, detectSequence, DETECT_RESPONSE, parseChannelStats, RADIO_OFF, RADIO_ON, RESET_BYTE, rssiFromByte, snrFromByte, u32be } from '../../src/core/lora/rnode';
import { startStopwatch } from '../../src/node/clock/system-clock';
import { parseReach } from '../../src/lab/radio-sim/reach-spec';
import { RadioSimulator, type RadioSimulatorOptions } from '../../src/lab/radio-sim/simulator';
import { waitFor } from '../support/wait';
import { FAST, Host, sleep } from './radio-host';

const sims: RadioSimulator[] = [];
const hosts: Host[] = [];
const dirs: string[] = [];

function socatChildren(): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => /socat/.test(l));
  } catch {
    return []; // ps exits 1 when there are no children at all
  }
}

async function simulator(nodes: number, extra: Partial<RadioSimulatorOptions> = {}, setup?: (dir: string) => void): Promise<RadioSimulator> {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-radio-sim-'));
  dirs.push(dir);
  setup?.(dir);
  const sim = new RadioSimulator({ nodes, dir, reachPollMs: 50, ...extra });
  sims.push(sim);
  await sim.start();
  return sim;
}

async function boot(sim: RadioSimulator, i: number): Promise<Host> {
  const host = await Host.boot(sim.path(i));
  hosts.push(host);
  return host;
}

async function quietFor(host: Host, cmd: number, ms: number): Promise<void> {
  const before = host.all(cmd).length;
  await sleep(ms);
  expect(host.all(cmd).length, `no 0x${cmd.toString(16)} frame expected on ${host.path}`).toBe(before);
}

afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const s of sims.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  await waitFor(() => socatChildren().length === 0, 'every socat to be gone after stop()', 3000);
});

describe('radio simulator: the firmware side of the serial protocol', () => {
  it('detect_version_platform_and_mcu_are_answered_and_bare_queries_are_not', async () => {
    const sim = await simulator(1);
    const host = await boot(sim, 0);
    await host.write(detectSequence());
    expect([...(await host.next(CMD.DETECT, 'detect reply')).payload], 'detect answers 0x46').toEqual([DETECT_RESPONSE]);
    expect([...(await host.next(CMD.FW_VERSION, 'version reply')).payload], 'firmware 1.86').toEqual([0x01, 0x56]);
    expect([...(await host.next(CMD.PLATFORM, 'platform reply')).payload], 'ESP32 platform').toEqual([0x80]);
    expect([...(await host.next(CMD.MCU, 'MCU reply')).payload], 'ESP32 MCU').toEqual([0x81]);
    await host.write([0xc0, CMD.FW_VERSION, 0xc0]);
    await host.send(CMD.DETECT, [0x73]); // a marker: once it is answered, the bare query was seen
    await host.next(CMD.DETECT, 'second detect reply');
    expect(host.all(CMD.FW_VERSION).length, 'a query without a payload byte gets no answer').toBe(1);
  });

  it('config_is_echoed_as_applied_tx_power_clamps_to_17_and_sf_clamps_into_range', async () => {
    const sim = await simulator(1);
    const host = await boot(sim, 0);
    await host.send(CMD.TXPOWER, [ASK]);
    expect((await host.next(CMD.TXPOWER, 'tx power ask')).payload[0], 'unset TX power reads 0xFF').toBe(0xff);
    await host.send(CMD.FREQUENCY, u32be(868_100_000));
    expect([...(await host.next(CMD.FREQUENCY, 'frequency echo')).payload]).toEqual([...u32be(868_100_000)]);
    await host.send(CMD.BANDWIDTH, u32be(125_000));
    expect([...(await host.next(CMD.BANDWIDTH, 'bandwidth echo')).payload]).toEqual([...u32be(125_000)]);
    await host.send(CMD.TXPOWER, [22]);
    expect((await host.next(CMD.TXPOWER, 'tx power echo')).payload[0], 'SX1276 clamps 22 dBm to 17').toBe(17);
    await host.send(CMD.SF, [9]);
    expect((await host.next(CMD.SF, 'sf echo')).payload[0]).toBe(9);
    await host.send(CMD.SF, [13]);
    expect((await host.next(CMD.SF, 'sf 13 echo')).payload[0], 'firmware 1.86 clamps SF 13 to 12; a driver sees 12 != 13').toBe(12);
    await host.send(CMD.CR, [ASK]);
    expect((await host.next(CMD.CR, 'cr ask')).payload[0], 'CR defaults to 5').toBe(5);
    await host.send(CMD.FREQUENCY, [0, 0, 0, 0]);
    expect([...(await host.next(CMD.FREQUENCY, 'frequency ask')).payload], 'four zero bytes ask').toEqual([...u32be(868_100_000)]);
    await host.send(CMD.RADIO_STATE, [RADIO_ON]);
    expect((await host.next(CMD.RADIO_STATE, 'state echo')).payload[0]).toBe(RADIO_ON);
    expect((await host.next(CMD.RADIO_STATE, 'second state echo')).payload[0], 'startRadio() and the handler each echo the state').toBe(RADIO_ON);
    expect(host.all(CMD.STAT_PHYPRM).length, 'PHYPRM reports accompany the start').toBeGreaterThan(0);
    await host.send(CMD.FREQUENCY, [0, 0, 0, 0]);
    const applied = (await host.next(CMD.FREQUENCY, 'frequency ask while on')).payload;
    expect(Math.abs(((applied[0]! << 24) | (applied[1]! << 16) | (applied[2]! << 8) | applied[3]!) - 868_100_000), 'the PLL lands within 100 Hz').toBeLessThan(100);
  });

  it('the_radio_refuses_to_transmit_until_configured_and_on', async () => {
    const sim = await simulator(2);
    const [a, b] = [await boot(sim, 0), await boot(sim, 1)];
    await b.configure();
    await a.send(CMD.DATA, [1, 2, 3]); // unconfigured and off: dropped
    await a.send(CMD.RADIO_STATE, [RADIO_ON]);
    expect((await a.next(CMD.RADIO_STATE, 'state echo')).payload[0], 'an unconfigured radio stays off').toBe(RADIO_OFF);
    await a.next(CMD.RADIO_STATE, 'the second state echo');
    await a.send(CMD.FREQUENCY, u32be(FAST.frequencyHz));
    await a.send(CMD.BANDWIDTH, u32be(FAST.bandwidthHz));
    await a.send(CMD.SF, [FAST.sf]);
    await a.send(CMD.RADIO_STATE, [RADIO_ON]);
    await a.next(CMD.SF, 'sf echo');
    expect((await a.next(CMD.RADIO_STATE, 'state echo')).payload[0], 'without TX power the radio stays off').toBe(RADIO_OFF);
    await a.next(CMD.RADIO_STATE, 'the second state echo');
    await a.send(CMD.DATA, [4, 5, 6]);
    await a.configure();
    await a.send(CMD.DATA, [7, 8, 9]);
    await b.next(CMD.DATA, 'the packet sent once configured');
    await sleep(100);
    expect(b.all(CMD.DATA).map((f) => [...f.payload]), 'only the packet sent while on went out').toEqual([[7, 8, 9]]);
    expect(sim.stats().radios[0]!.dropped, 'both early packets counted as dropped').toBe(2);
  });

  it('a_packet_arrives_as_rssi_then_snr_then_data_with_fend_and_fesc_escaped', async () => {
    const sim = await simulator(2);
    const [a, b] = [await boot(sim, 0), await boot(sim, 1)];
    await a.configure();
    await b.configure();
    b.skipAll();
    const payload = [0x01, 0xc0, 0x02, 0xdb, 0xc0, 0xdb, 0x03];
    await a.send(CMD.DATA, payload);
    const data = await b.next(CMD.DATA, 'the packet');
    expect([...data.payload], 'payload intact').toEqual(payload);
    const order = b.frames.filter((f) => [CMD.STAT_RSSI, CMD.STAT_SNR, CMD.DATA].includes(f.cmd as 0)).map((f) => f.cmd);
    expect(order.slice(-3), 'RSSI, then SNR, then DATA').toEqual([CMD.STAT_RSSI, CMD.STAT_SNR, CMD.DATA]);
    expect(rssiFromByte(b.all(CMD.STAT_RSSI).at(-1)!.payload[0]!), 'default reach RSSI').toBe(-90);
    expect(snrFromByte(b.all(CMD.STAT_SNR).at(-1)!.payload[0]!), 'default reach SNR').toBe(8);
    const wire = Buffer.from(b.raw).toString('hex');
    expect(wire, 'the DATA frame is escaped on the wire').toContain('c00001dbdc02dbdddbdcdbdd03c0');
    await a.send(CMD.DATA, new Uint8Array(509).fill(0x55)); // over the 508-byte MTU: dropped silently
    const big = Uint8Array.from({ length: 400 }, (_, i) => i & 0xff); // two LoRa frames on air
    await a.send(CMD.DATA, big);
    expect([...(await b.next(CMD.DATA, 'the 400-byte packet')).payload], 'a split packet arrives whole').toEqual([...big]);
    expect(b.all(CMD.DATA).length, 'the 509-byte packet never went out').toBe(2);
    const stats = sim.stats().radios[0]!;
    expect([stats.sent, stats.dropped], 'two transmissions, one drop').toEqual([2, 1]);
    expect(stats.txAirtimeMs, 'airtime counted').toBeGreaterThan(0);
    expect(stats.dutyCyclePct, 'duty cycle is airtime over elapsed time').toBeGreaterThan(0);
    const file = join(sim.dir, 'stats.json');
    await waitFor(() => existsSync(file), 'stats.json', 3000);
    expect(JSON.parse(readFileSync(file, 'utf8')).radios.length, 'stats.json lists every radio').toBe(2);
  });

  it('in_a_chain_a_b_c_the_ends_do_not_hear_each_other', async () => {
    const sim = await simulator(3, {}, (dir) => writeFileSync(join(dir, 'reach.json'), JSON.stringify({ links: [[0, 1], [1, 2]], rssiDbm: -95, snrDb: 6 })));
    expect([sim.canHear(0, 1), sim.canHear(1, 2), sim.canHear(0, 2)], 'reach.json present at start applies').toEqual([true, true, false]);
    const [a, b, c] = [await boot(sim, 0), await boot(sim, 1), await boot(sim, 2)];
    for (const h of [a, b, c]) await h.configure();
    await a.send(CMD.DATA, [0xaa]);
    await b.next(CMD.DATA, 'A to B');
    expect(rssiFromByte(b.all(CMD.STAT_RSSI).at(-1)!.payload[0]!), 'the file RSSI').toBe(-95);
    await c.send(CMD.DATA, [0xcc]);
    await b.next(CMD.DATA, 'C to B');
    await sleep(150);
    expect(c.all(CMD.DATA).length, 'C never hears A').toBe(0);
    expect(a.all(CMD.DATA).length, 'A never hears C').toBe(0);
  });

  it('editing_reach_json_at_run_time_partitions_and_heals_and_survives_a_half_written_file', async () => {
    const sim = await simulator(2);
    const reach = join(sim.dir, 'reach.json');
    const [a, b] = [await boot(sim, 0), await boot(sim, 1)];
    await a.configure();
    await b.configure();
    writeFileSync(reach, '{ "links": [');
    await sleep(200);
    expect(sim.canHear(0, 1), 'a half-written file changes nothing').toBe(true);
    writeFileSync(reach, '{ "links": [] }');
    await waitFor(() => !sim.canHear(0, 1), 'the partition from reach.json');
    await a.send(CMD.DATA, [1]);
    await sleep(150);
    expect(b.all(CMD.DATA).length, 'partitioned: nothing arrives').toBe(0);
    writeFileSync(reach, JSON.stringify({ all: true }));
    await waitFor(() => sim.canHear(0, 1) && sim.canHear(1, 0), 'the heal from reach.json');
    await a.send(CMD.DATA, [2]);
    expect([...(await b.next(CMD.DATA, 'the packet after healing')).payload]).toEqual([2]);
    sim.partition([0]);
    expect(sim.canHear(0, 1) || sim.canHear(1, 0), 'partition() cuts both ways').toBe(false);
    sim.heal();
    expect(sim.canHear(0, 1) && sim.canHear(1, 0), 'heal() restores the base reach').toBe(true);
    sim.setReach({ links: [{ from: 0, to: 1, oneWay: true }] });
    expect([sim.canHear(0, 1), sim.canHear(1, 0)], 'setReach() with a one-way link').toEqual([true, false]);
  });

  it('chtm_reports_arrive_about_once_a_second_while_on_and_stop_when_off', async () => {
    const sim = await simulator(1);
    const host = await boot(sim, 0);
    await host.configure();
    const first = await host.next(CMD.STAT_CHTM, 'a first channel report', 2000);
    const watch = startStopwatch();
    const second = await host.next(CMD.STAT_CHTM, 'a second channel report', 2000);
    expect(watch.elapsedMs(), 'about a second apart').toBeGreaterThan(700);
    for (const f of [first, second]) {
      expect(f.payload.length, 'STAT_CHTM carries 11 bytes').toBe(11);
      expect(parseChannelStats(f.payload)?.interference, 'no interference reported').toBe(false);
    }
    await host.send(CMD.RADIO_STATE, [RADIO_OFF]);
    await host.next(CMD.RADIO_STATE, 'off echo');
    await quietFor(host, CMD.STAT_CHTM, 1300);
  });

  it('ready_answers_01_with_room_and_00_with_queue_full_errors_when_flooded', async () => {
    const sim = await simulator(1);
    const host = await boot(sim, 0);
    await host.configure();
    await host.send(CMD.READY, [0x00]);
    expect((await host.next(CMD.READY, 'ready reply')).payload[0], 'room in the queue').toBe(0x01);
    // 205 packets at once: one goes on air, 200 fill the firmware queue, the rest overflow. The
    // READY ask rides in the same write: a packet is ~10 ms on air, so an ask written afterwards
    // could find room again on a busy machine.
    const flood = Array.from({ length: 205 }, (_, i) => [...kissEncode(CMD.DATA, Uint8Array.from([i & 0x7f, 1, 2, 3]))]).flat();
    await host.write([...flood, ...kissEncode(CMD.READY, Uint8Array.of(0x00))]);
    expect((await host.next(CMD.READY, 'ready reply when full')).payload[0], 'queue full').toBe(0x00);
    expect(host.all(CMD.ERROR).map((f) => f.payload[0]), 'one QUEUE_FULL (0x04) per overflowing packet').toEqual([0x04, 0x04, 0x04, 0x04]);
  });

  it('reset_announces_itself_and_forgets_the_config', async () => {
    const sim = await simulator(1);
    const host = await boot(sim, 0);
    await host.configure();
    await host.send(CMD.RESET, [RESET_BYTE]);
    expect([...(await host.next(CMD.RESET, 'the reset banner')).payload]).toEqual([RESET_BYTE]);
    await host.send(CMD.RADIO_STATE, [ASK]);
    expect((await host.next(CMD.RADIO_STATE, 'state ask')).payload[0], 'off after reset').toBe(RADIO_OFF);
    await host.send(CMD.SF, [ASK]);
    expect((await host.next(CMD.SF, 'sf ask')).payload[0], 'SF forgotten').toBe(0);
    await host.configure();
    sim.resetDevice(0); // the fault-injection path: a reboot mid-session
    await host.next(CMD.RESET, 'the banner from resetDevice()');
    expect(sim.stats().radios[0]!.on, 'radio off after resetDevice').toBe(false);
  });

  it('a_frozen_radio_answers_nothing_until_thawed', async () => {
    const sim = await simulator(2);
    const [a, b] = [await boot(sim, 0), await boot(sim, 1)];
    await a.configure();
    await b.configure();
    sim.freeze(1);
    await b.send(CMD.DETECT, [0x73]);
    await a.send(CMD.DATA, [9]);
    await quietFor(b, CMD.DETECT, 300);
    expect(b.all(CMD.DATA).length, 'a frozen radio hands nothing up').toBe(0);
    sim.thaw(1);
    await b.send(CMD.DETECT, [0x73]);
    await b.next(CMD.DETECT, 'detect after thaw');
  });

  it('unplug_removes_the_path_and_replug_lets_the_app_reopen_it', async () => {
    const sim = await simulator(1);
    const host = await boot(sim, 0);
    await host.configure();
    await sim.unplug(0);
    expect(existsSync(sim.path(0)), 'the path is gone while unplugged').toBe(false);
    await waitFor(() => host.closed, 'the open port to report the unplug');
    await sim.replug(0);
    expect(existsSync(sim.path(0)), 'the path is back').toBe(true);
    const again = await boot(sim, 0);
    await again.send(CMD.RADIO_STATE, [ASK]);
    expect((await again.next(CMD.RADIO_STATE, 'state ask')).payload[0], 'the device lost power: radio off').toBe(RADIO_OFF);
  });

  it('closing_and_reopening_at_once_keeps_the_path_reboots_the_device_and_hangs_up_a_second_opener', async () => {
    const sim = await simulator(1);
    for (let round = 0; round < 3; round++) {
      const host = await Host.boot(sim.path(0)); // immediately after the previous close: no retry
      hosts.push(host);
      await host.send(CMD.RADIO_STATE, [ASK]);
      expect((await host.next(CMD.RADIO_STATE, 'state ask')).payload[0], `round ${round}: rebooted, radio off`).toBe(RADIO_OFF);
      await host.configure();
      if (round === 0) {
        const intruder = await Host.open(sim.path(0));
        await waitFor(() => intruder.closed, 'a second program on a port in use to be hung up', 5000);
        await host.send(CMD.DETECT, [0x73]);
        await host.next(CMD.DETECT, 'the first program still served');
      }
      await host.close();
    }
    await waitFor(() => sim.stats().radios[0]!.port === 'waiting', 'the port to wait for the next open after the last close');
  });

  it('garbage_from_the_host_is_survived_and_a_partial_frame_expires_after_100ms', async () => {
    const sim = await simulator(1);
    const host = await boot(sim, 0);
    await host.write([0x13, 0x37, 0xdb, 0x42, 0xff, 0x00, 0xdb, 0xc0, 0x08, 0xdb, 0x99, 0x73, 0xc0, 0x99]);
    await host.send(CMD.DETECT, [0x73]);
    await host.next(CMD.DETECT, 'detect right after garbage (resync on FEND)');
    await host.write([0xc0, CMD.DETECT]);
    await sleep(250);
    await host.write([0x73, 0xc0]);
    await quietFor(host, CMD.DETECT, 200);
    await host.write([0xc0, CMD.DETECT]);
    await sleep(20);
    await host.write([0x73, 0xc0]);
    await host.next(CMD.DETECT, 'a frame split by a short pause is still whole');
  });

  it('with_boot_banner_off_opening_neither_announces_nor_forgets', async () => {
    const sim = await simulator(1, { bootBanner: false });
    const first = await Host.open(sim.path(0));
    hosts.push(first);
    await first.configure();
    await first.close();
    const second = await Host.open(sim.path(0));
    hosts.push(second);
    await second.send(CMD.RADIO_STATE, [ASK]);
    expect((await second.next(CMD.RADIO_STATE, 'state ask')).payload[0], 'still on from the previous session').toBe(RADIO_ON);
    expect(second.all(CMD.RESET).length, 'no banner without a reset').toBe(0);
  });

  it('without_socat_on_the_path_the_error_says_how_to_install_it', () => {
    const saved = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      expect(() => new RadioSimulator({ nodes: 1, dir: tmpdir() })).toThrow(/apt-get install socat/);
    } finally {
      process.env['PATH'] = saved;
    }
  });
});

describe('radio simulator: the reach format', () => {
  it('links_matrix_and_all_describe_the_same_reach_and_mistakes_are_named', () => {
    const chain = parseReach(JSON.stringify({ links: [[0, 1], [1, 2]], rssiDbm: -95, snrDb: 6 }), 3);
    const matrix = parseReach(JSON.stringify({ matrix: [[null, -95, null], [-95, null, true], [null, { rssiDbm: -95 }, null]], rssiDbm: -95, snrDb: 6 }), 3);
    expect(matrix, 'a matrix can say what links say').toEqual(chain);
    expect(parseReach('{"all": true}', 2), 'all = everyone at -90 dBm / 8 dB').toEqual([[null, { rssiDbm: -90, snrDb: 8 }], [{ rssiDbm: -90, snrDb: 8 }, null]]);
    expect(() => parseReach('{"links": [[0, 3]]}', 3), 'an index out of range is named').toThrow(/links\[0\]: 3 is not a radio index \(0\.\.2\)/);
    expect(() => parseReach('{"links": [], "all": true}', 3), 'two kinds at once').toThrow(/exactly one of/);
    expect(() => parseReach('{"matrix": [[null]]}', 2), 'a matrix of the wrong size').toThrow(/2 rows/);
    expect(() => parseReach('{"links": [[0,', 2), 'half-written JSON').toThrow(/not valid JSON/);
  });
});
