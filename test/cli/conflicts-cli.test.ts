// PROVES: two camps edit the same field while partitioned; after `mandala sync` both show the
//         same winner and the same open conflict (view records and view conflicts are
//         byte-identical), and a later write that saw both settles it on both.
// CATCHES: conflicts that only one side sees, or a settle that does not travel.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { mandala, mandalaAsync, serve, type Served } from '../support/cli';

const root = mkdtempSync(join(tmpdir(), 'mandala-conflicts-'));
const running: Served[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

async function syncBoth(a: string, b: string): Promise<void> {
  const server = await serve(['--data', a, '--port', '0']);
  running.push(server);
  const r = await mandalaAsync(['sync', '--peer', `127.0.0.1:${server.port}`, '--data', b]);
  expect(r.code, r.stderr).toBe(0);
  await server.stop();
}

it('a_partitioned_edit_conflicts_identically_on_both_camps_and_a_later_write_settles_it', async () => {
  const [north, south] = [join(root, 'north'), join(root, 'south')];
  mandala(['init', '--data', north, '--name', 'camp-north']);
  mandala(['init', '--data', south, '--name', 'camp-south']);
  mandala(['record', 'create', 'DL-7', 'delivery', '--data', north]);
  mandala(['record', 'set', 'DL-7', 'status', 'loading', '--data', north]);
  await syncBoth(north, south);
  // Partitioned: both edit the status they both saw.
  mandala(['record', 'set', 'DL-7', 'status', 'en_route', '--data', north]);
  mandala(['record', 'set', 'DL-7', 'status', 'delayed', '--data', south]);
  await syncBoth(north, south);
  for (const view of ['records', 'conflicts']) {
    expect(mandala(['view', view, '--json', '--data', north]).stdout, view).toBe(mandala(['view', view, '--json', '--data', south]).stdout);
  }
  const records = JSON.parse(mandala(['view', 'records', '--json', '--data', north]).stdout);
  const conflict = records['DL-7'].conflicts.status;
  expect([conflict.winner.value, conflict.losers[0].value].sort()).toEqual(['delayed', 'en_route']);
  expect(records['DL-7'].fields.status).toBe(conflict.winner.value);
  const open = JSON.parse(mandala(['view', 'conflicts', '--json', '--data', south]).stdout).entries.filter((e: { kind: string }) => e.kind === 'concurrent_write');
  expect(open.map((e: { status: string }) => e.status)).toEqual(['open']);

  // South saw both: its write settles the field, on both sides once synced.
  mandala(['record', 'set', 'DL-7', 'status', 'delivered', '--data', south]);
  await syncBoth(north, south);
  for (const dir of [north, south]) {
    const r = JSON.parse(mandala(['view', 'records', '--json', '--data', dir]).stdout)['DL-7'];
    expect(r.fields.status).toBe('delivered');
    expect(r.conflicts).toBeUndefined();
    const entries = JSON.parse(mandala(['view', 'conflicts', '--json', '--data', dir]).stdout).entries.filter((e: { kind: string }) => e.kind === 'concurrent_write');
    expect(entries.map((e: { status: string }) => e.status)).toEqual(['settled']);
  }
  expect(mandala(['view', 'conflicts', '--json', '--data', north]).stdout).toBe(mandala(['view', 'conflicts', '--json', '--data', south]).stdout);
  // In words: the value the settle chose, never the pre-settle winner presented as the value.
  const text = mandala(['view', 'conflicts', '--data', north]).stdout;
  expect(text).toMatch(/DL-7\.status\s+settled: "delivered" \(the concurrent writes were "(en_route|delayed)" and "(en_route|delayed)"\)/);
  expect(text).not.toContain('won over');
});
