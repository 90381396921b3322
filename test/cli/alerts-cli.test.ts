// PROVES: `mandala geofence add` refuses a bad ring with a sentence and writes a geofence record;
//         `mandala alerts` lists what live fixes raised; `mandala alert ack` acknowledges one
//         (an event in the node's feed), and `view alerts --json` shows who; a signed report of
//         the alerts projection verifies against the folder.
// CATCHES: geofences that can only be made from a console, and alerts outside the evidence.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SystemClock } from '../../src/node/clock/system-clock';
import { mandala } from '../support/cli';

it('geofences_alerts_and_acknowledgements_from_the_command_line', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'mandala-alerts-cli-')), 'camp');
  expect(mandala(['init', '--data', dir, '--name', 'camp']).code).toBe(0);
  const bad = mandala(['geofence', 'add', 'G-1', '--ring', '-1.30,36.81 -1.30', '--data', dir]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/"-1.30" is not LAT,LON in decimal degrees/);
  expect(mandala(['geofence', 'add', 'G-1', '--name', 'Depot', '--ring', '-1.30,36.81 -1.30,36.83 -1.28,36.83 -1.28,36.81', '--max-speed', '20', '--data', dir]).code).toBe(0);
  const t0 = new SystemClock().nowMs() - 10 * 60_000;
  for (const [lat, dt, speed] of [['-1.3200', 0, '40'], ['-1.2900', 120_000, '35']] as const) {
    expect(mandala(['position', 'T-1', lat, '36.8200', '--speed', speed, '--time', new Date(t0 + dt).toISOString(), '--data', dir]).code).toBe(0);
  }
  const listed = mandala(['alerts', '--data', dir]).stdout;
  expect(listed).toMatch(/geofence_enter\s+T-1\s+open\s+(geofence_enter:G-1:\S+)/);
  expect(listed).toMatch(/overspeed\s+T-1\s+open/);
  const id = /geofence_enter\s+T-1\s+open\s+(\S+)/.exec(listed)![1]!;
  expect(mandala(['alert', 'ack', id, '--note', 'expected delivery', '--data', dir]).code).toBe(0);
  const view = JSON.parse(mandala(['view', 'alerts', '--json', '--data', dir]).stdout) as { alerts: { id: string; ack: { note: string } | null }[] };
  expect(view.alerts.find((a) => a.id === id)?.ack).toMatchObject({ note: 'expected delivery' });
  expect(mandala(['alerts', '--data', dir]).stdout).toMatch(/geofence_enter\s+T-1\s+acknowledged by camp/);
  const report = mandala(['report', 'alerts', '--out', join(dir, '..', 'alerts.json'), '--data', dir]);
  expect(report.code, report.stderr).toBe(0);
  const verified = mandala(['verify-report', join(dir, '..', 'alerts.json'), '--data', dir]);
  expect(verified.code, verified.stdout + verified.stderr).toBe(0);
});
