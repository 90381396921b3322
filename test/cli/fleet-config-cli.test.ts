// PROVES: `mandala fleet-config` shows the fleet's filters, sets them (--set KEY=VALUE, null turns
//         one off), refuses an unknown key or a bad value with a sentence and changes nothing,
//         and resets them; the fleet's flags follow the filters in force; a running node takes
//         a change written beside it within seconds and judges every truck again, and the
//         console API's fleet.settings.set changes and saves them.
// CATCHES: filters that are saved but never used, a running node that keeps the old ones until
//          a restart, and a typo that silently becomes a setting.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, expect, it } from 'vitest';
import { WsBridge, type SocketLike } from '../../src/renderer/src/api/ws-bridge';
import { mandala, serve, type Served } from '../support/cli';
import { waitFor } from '../support/wait';

const root = mkdtempSync(join(tmpdir(), 'mandala-fleet-config-'));
const A = join(root, 'a');
const running: Served[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

const flags = (): (string | null)[] => {
  const fleet = JSON.parse(mandala(['view', 'fleet', '--json', '--data', A]).stdout) as { trucks: Record<string, { fixes: { flag?: string }[] }> };
  return fleet.trucks['T-1']!.fixes.map((f) => f.flag ?? null);
};

it('fleet_filters_are_shown_set_refused_when_wrong_and_followed_by_a_running_node', async () => {
  expect(mandala(['init', '--data', A, '--name', 'camp-a']).code).toBe(0);
  // 1.8 km in a minute (108 km/h): plausible at the default 180 km/h, not under 50.
  mandala(['position', 'T-1', '-1.2900', '36.8200', '--time', '2026-11-30T09:00:00Z', '--data', A]);
  mandala(['position', 'T-1', '-1.2738', '36.8200', '--time', '2026-11-30T09:01:00Z', '--data', A]);
  const shown = mandala(['fleet-config', '--data', A]);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(/max_speed_kmh\s+180\s+implied speed/);
  expect(flags()).toEqual([null, null]);

  const set = mandala(['fleet-config', '--set', 'max_speed_kmh=50', '--set', 'max_accuracy_m=100', '--json', '--data', A]);
  expect(set.code, set.stderr).toBe(0);
  expect(JSON.parse(set.stdout)).toMatchObject({ settings: { max_speed_kmh: 50, max_accuracy_m: 100 }, changed: ['max_speed_kmh', 'max_accuracy_m'] });
  expect(flags()).toEqual([null, 'implied_speed_over_limit']);

  const before = readFileSync(join(A, 'mandala.json'), 'utf8');
  const typo = mandala(['fleet-config', '--set', 'max_sped_kmh=60', '--data', A]);
  expect(typo.code).not.toBe(0);
  expect(typo.stderr).toMatch(/unknown fleet setting max_sped_kmh; the settings are max_speed_kmh/);
  const bad = mandala(['fleet-config', '--set', 'max_speed_kmh=fast', '--data', A]);
  expect(bad.stderr).toMatch(/"fast" is not a number/);
  expect(readFileSync(join(A, 'mandala.json'), 'utf8'), 'a refused change writes nothing').toBe(before);

  // A running node: a change written beside it is taken up, and the console API changes them too.
  const a = await serve(['--data', A, '--port', '0', '--no-discover']);
  running.push(a);
  const bridge = new WsBridge(`ws://127.0.0.1:${a.port}/api/ws`, (url) => new WebSocket(url) as unknown as SocketLike);
  try {
    const trail = async () => (await bridge.call('fleet.snapshot', {})).trucks.find((t) => t.truck === 'T-1')!.trail.map((f) => f.flag);
    expect(await trail()).toEqual([null, 'implied_speed_over_limit']);
    expect((await bridge.call('fleet.settings', {})).settings).toMatchObject({ max_speed_kmh: 50 });
    expect(mandala(['fleet-config', '--reset', '--data', A]).code).toBe(0);
    await waitFor(async () => (await trail())[1] === null, 'the running node to judge T-1 again under the reset filters', 15_000, 200);

    const changed = await bridge.call('fleet.settings.set', { settings: { max_speed_kmh: 60 } });
    expect(changed.settings).toMatchObject({ max_speed_kmh: 60, max_accuracy_m: null });
    expect(await trail()).toEqual([null, 'implied_speed_over_limit']);
    expect(JSON.parse(readFileSync(join(A, 'mandala.json'), 'utf8'))).toMatchObject({ name: 'camp-a', fleet: { filters: { max_speed_kmh: 60 } } });
    await expect(bridge.call('fleet.settings.set', { settings: { max_speed_kmh: 'fast' as unknown as number } })).rejects.toMatchObject({ code: 'bad_setting' });
  } finally {
    bridge.close();
    await a.stop();
  }
  expect(mandala(['fleet-config', '--data', A]).stdout).toMatch(/max_speed_kmh\s+60/);
});
