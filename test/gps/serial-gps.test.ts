// PROVES: `serve --gps` over a real pseudo-terminal (socat) records a truck's track from real NMEA
//         RMC/GGA sentences, one fix per interval of GPS time with the source "gps" and HDOP as
//         accuracy; garbled lines, checksum errors and no-fix sentences are named as problems and
//         never fatal; a pulled cable is reported, and when the device comes back the port is
//         reopened and fixes resume.
// CATCHES: a parser crash on a bad line, a fix recorded from a no-fix sentence, a GPS that is never
//          reopened after an unplug, a node that dies with its GPS.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../src/node/runtime';
import { waitFor } from '../support/wait';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function withChecksum(body: string): string {
  let x = 0;
  for (const ch of body) x ^= ch.charCodeAt(0);
  return `$${body}*${x.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** An RMC sentence at second `s` past 08:00:00 UTC on 1 Dec 2026, moving north-east. */
function rmc(s: number): string {
  const hh = '08', mm = String(Math.floor(s / 60)).padStart(2, '0'), ss = String(s % 60).padStart(2, '0');
  const latMin = (17.526 + s * 0.01).toFixed(4); // 1°17.5' S
  const lonMin = (49.314 + s * 0.01).toFixed(4); // 36°49.3' E
  return withChecksum(`GPRMC,${hh}${mm}${ss}.00,A,01${latMin},S,036${lonMin},E,021.6,045.0,011226,,,A`);
}
const gga = (s: number) => withChecksum(`GPGGA,0800${String(s).padStart(2, '0')}.00,0117.526,S,03649.314,E,1,08,1.2,1650.0,M,-13.0,M,,`);

function ptyPair(dir: string): Promise<ChildProcess> {
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${join(dir, 'gps')}`, `pty,raw,echo=0,link=${join(dir, 'feed')}`], { stdio: 'ignore' });
  return waitFor(() => existsSync(join(dir, 'gps')) && existsSync(join(dir, 'feed')), 'socat to make the pty pair', 5000).then(() => child);
}

function send(dir: string, lines: string[]): void {
  const fd = openSync(join(dir, 'feed'), 'w');
  writeSync(fd, lines.map((l) => l + '\r\n').join(''));
  closeSync(fd);
}

async function unplug(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

it('a_serial_gps_records_its_trucks_track_and_survives_bad_lines_and_a_pulled_cable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-gps-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  let socat = await ptyPair(dir);
  cleanup.push(() => unplug(socat));
  const runtime: Runtime = await startRuntime({ dir: join(dir, 'node'), version: 'test', create: true, name: 'kit-7', gps: { path: join(dir, 'gps'), truck: 'T-GPS', intervalS: 2 } });
  cleanup.push(() => runtime.stop());
  const codes = () => runtime.node.problems.list().map((p) => p.code);
  const track = () =>
    runtime.folder.store
      .readKinds(['truck.position'], 0, 10_000)
      .events.map((e) => e.payload as Record<string, number | string>)
      .filter((p) => p['truck'] === 'T-GPS');
  // Lines written before the port is open may be lost with the pty's buffer: wait for it.
  await waitFor(() => runtime.gps!.open, 'the GPS port to open', 5000);
  expect(runtime.node.problems.list().filter((p) => p.code.startsWith('gps_'))).toEqual([]);

  send(dir, ['$GPRMC,,V,,,,,,,,,,N*53', 'garbage \u0001\u0002 from a wrong baud rate', rmc(0).replace(/\*..$/, '*00')]);
  await waitFor(() => ['gps_no_fix', 'gps_garbled', 'gps_checksum'].every((c) => codes().includes(c)), 'each bad line named', 5000);
  expect(track(), 'no fix recorded from a no-fix or bad sentence').toEqual([]);

  send(dir, [gga(0), ...Array.from({ length: 9 }, (_, s) => rmc(s))]);
  await waitFor(() => track().length >= 5, 'fixes at 0, 2, 4, 6, 8 s of GPS time', 5000);
  const fixes = track();
  expect(fixes.map((p) => p['fix_ms'] as number - Date.UTC(2026, 11, 1, 8, 0, 0))).toEqual([0, 2000, 4000, 6000, 8000]);
  expect(fixes[0]).toMatchObject({ source: 'gps', speed_kmh: 40, heading_deg: 45, accuracy_m: 6 });
  expect(fixes[0]!['lat_e6']).toBe(-1_292_100);
  expect(codes(), 'a fix clears the no-fix problem').not.toContain('gps_no_fix');
  // Each recorded fix is a lifecycle trace the inspector finds by the truck.
  const traced = runtime.node.api.inspect('T-GPS');
  expect(traced.length).toBeGreaterThanOrEqual(5);
  expect(traced[0]!.steps.map((s) => s.words)).toEqual([expect.stringMatching(/^recorded from this kit's GPS/), expect.stringMatching(/^appended to this node's feed as kit-7#\d+$/), 'folded into the fleet projection (the map and the alerts)']);

  await unplug(socat);
  await waitFor(() => codes().includes('gps_lost') || codes().includes('gps_missing'), 'the pulled cable to be reported', 15_000);
  expect(runtime.node.problems.list().find((p) => p.code === 'gps_lost' || p.code === 'gps_missing')!.message).toMatch(/GPS of T-GPS/);
  socat = await ptyPair(dir);
  await waitFor(() => runtime.gps!.open, 'the GPS port reopened when the device came back', 20_000);
  expect(codes()).not.toContain('gps_lost');
  expect(codes()).not.toContain('gps_missing');
  send(dir, [rmc(20)]);
  await waitFor(() => track().length === 6, 'fixes resume after the replug', 5000);
});
