// PROVES: a phone reporting by the OsmAnd protocol (as Traccar Client and OsmAnd send it) produces
//         its truck's track: parameters by GET, a form body by POST and the JSON body of Traccar
//         Client 9+ each answer 200 with an empty body and land once (a repeated report of the same
//         fix is applied once), with `osmand:DEVICE` as source and speeds converted (knots, m/s);
//         an unknown device gets 403 and is listed as asking to report; `mandala device add`,
//         `list` and `remove` change what a running node accepts within a second.
// CATCHES: a phone that writes as any truck, a unit mix-up, a retry applied twice, a registry
//          change that a running node never sees.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../src/node/runtime';
import { mandala } from '../support/cli';
import { waitFor } from '../support/wait';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

it('phones_report_by_the_osmand_protocol_in_all_three_forms_once_registered', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-osmand-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const runtime: Runtime = await startRuntime({ dir, version: 'test', create: true, name: 'camp', intake: { keys: [], osmand: { host: '127.0.0.1', port: 0 } } });
  cleanup.push(() => runtime.stop());
  const base = `http://127.0.0.1:${runtime.osmandPort}`;
  const track = () =>
    runtime.folder.store
      .readKinds(['truck.position'], 0, 10_000)
      .events.map((e) => e.payload as Record<string, number | string>);
  const query = (t: number) => `${base}/?id=phone-1&lat=-1.2921&lon=36.8219&timestamp=${t}&speed=10&bearing=90&altitude=1650&accuracy=8&batt=80`;

  const unknown = await fetch(query(1764576000));
  expect(unknown.status, 'an unknown device').toBe(403);
  expect(((await unknown.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'unknown_device', message: expect.stringMatching(/mandala device add phone-1 --truck TRUCK_ID/) });
  expect(runtime.devices.askingList().map((d) => ({ device: d.device, reports: d.reports, at: d.lastPosition }))).toEqual([{ device: 'phone-1', reports: 1, at: { lat: -1.2921, lon: 36.8219 } }]);
  expect(track(), 'nothing written for an unknown device').toEqual([]);

  const added = mandala(['device', 'add', 'phone-1', '--truck', 'T-PH', '--data', dir]);
  expect(added.code, added.stderr).toBe(0);
  expect(JSON.parse(mandala(['device', 'list', '--json', '--data', dir]).stdout)).toMatchObject([{ device: 'phone-1', truck: 'T-PH' }]);
  await waitFor(async () => (await fetch(query(1764576000))).status === 200, 'the running node to take the new device', 5000);

  const form = await fetch(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'deviceid=phone-1&lat=-1.2950&lon=36.8250&timestamp=2025-12-01T08:01:00Z&speed=20' });
  expect([form.status, await form.text()]).toEqual([200, '']);
  const traccar9 = { location: { timestamp: '2025-12-01T08:02:00.000Z', coords: { latitude: -1.3, longitude: 36.83, speed: 5, heading: 180, accuracy: 12, altitude: 1650 }, is_moving: true, battery: { level: 0.8, is_charging: false } }, device_id: 'phone-1' };
  for (let i = 0; i < 2; i++) {
    const r = await fetch(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(traccar9) });
    expect([r.status, await r.text()], `JSON report, send ${i + 1}`).toEqual([200, '']);
  }
  const bad = await fetch(`${base}/?id=phone-1&lat=91&lon=36&timestamp=1764576300`);
  expect(bad.status).toBe(400);

  await waitFor(() => track().length === 3, 'three fixes (the repeated JSON report once)', 5000);
  // Each report is a lifecycle trace the inspector finds by the device's id.
  await waitFor(() => runtime.node.api.inspect('phone-1').some((t) => t.steps.some((s) => s.name === 'feed.append')), 'a phone report to be traced to the feed', 5000);
  expect(runtime.node.api.inspect('phone-1')[0]!.steps.map((s) => s.words)[0]).toBe('received a report from phone phone-1');
  expect(track().map((p) => [p['truck'], p['source'], p['speed_kmh'], p['heading_deg'] ?? null, p['accuracy_m'] ?? null])).toEqual([
    ['T-PH', 'osmand:phone-1', 19, 90, 8],
    ['T-PH', 'osmand:phone-1', 37, null, null],
    ['T-PH', 'osmand:phone-1', 18, 180, 12],
  ]);
  expect(track()[0]!['fix_ms']).toBe(1764576000 * 1000);

  expect(mandala(['device', 'remove', 'phone-1', '--data', dir]).code).toBe(0);
  await waitFor(async () => (await fetch(query(1764576900))).status === 403, 'a removed device to be refused', 5000);
  expect(mandala(['device', 'remove', 'phone-1', '--data', dir]).stderr).toMatch(/no device phone-1 is registered here .*\[unknown_device\]/);
});
