// PROVES: the projections' output hashes over a fixed world (late, delayed and impossible fixes,
//         fixes without speed or heading, concurrent record writes) and over the bench fixture
//         are the ones the fold gave before its trails were kept as packed columns and judged
//         incrementally (test/golden/projections.json, written by that earlier fold); the
//         fleet's version-1 hash (one stream over the view) is still what reports of version 1
//         were made with, and its version-2 hash (per-truck digests) is pinned beside it and
//         equals the reference computed from the view alone; the same for the conflict
//         timeline's version 2 (the whole view) and version 3 (per-truck digests), and the
//         records' version 2 (the whole view) and version 3 (per-record digests). All of these
//         under the legacy fleet settings (what every report before the settings existed was
//         folded with); the fleet's version 3 and the conflict timeline under the default
//         settings (the latch and the duplicate and age filters) are pinned beside them.
// CATCHES: any change to a view's bytes: a report made before it would no longer verify.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { FeedEvent } from '../../src/core/events/event';
import { toHex } from '../../src/core/encoding/bytes';
import { conflictsHashFromView } from '../../src/core/projections/conflicts-digest';
import { fleetHashFromView } from '../../src/core/projections/fleet-digest';
import { recordsHashFromView } from '../../src/core/projections/records-digest';
import { projectionOutputHash } from '../../src/core/projections/projection';
import { applyAll, createProjections, type ProjectionSet } from '../../src/core/projections/set';
import { signedRuns } from '../../src/lab/bench/fixtures';
import { LEGACY_SETTINGS } from '../../src/core/projections/fleet-settings';
import { crypto, FeedBuilder } from '../support/feeds';

const GOLDEN_FILE = join(import.meta.dirname, '..', 'golden', 'projections.json');
const GOLDEN = JSON.parse(readFileSync(GOLDEN_FILE, 'utf8')) as Record<string, unknown>;

function world(): FeedEvent[] {
  const feeds = [new FeedBuilder('golden-kit-1'), new FeedBuilder('golden-kit-2'), new FeedBuilder('golden-camp')];
  let t = 1_700_000_000_000;
  for (let i = 0; i < 40; i++) {
    for (const [n, f] of feeds.entries()) {
      t += 700;
      if (n < 2) {
        const fixMs = i % 9 === 7 ? t - 600_000 : t - (i % 4) * 5000;
        const glitch = i % 11 === 5;
        f.add('truck.position', { truck: `T-${(i + n) % 3}`, fix_ms: fixMs, lat_e6: glitch ? 3_000_000 : 1_000_000 + i * 900, lon_e6: 36_000_000 + n * 500, speed_kmh: i % 3 ? 40 : undefined, heading_deg: i % 5 ? (i * 37) % 360 : undefined }, { wall: t, counter: 0 });
      } else {
        f.add('field.set', { record_id: `R-${i % 4}`, field: 'status', value: `v${i}`, deps: [] }, { wall: t - (i % 2) * 3000, counter: i % 2 });
      }
    }
  }
  return feeds.flatMap((f) => f.events);
}

it('the_projection_hashes_of_a_fixed_world_are_the_ones_reports_were_made_with', () => {
  const p = createProjections(LEGACY_SETTINGS);
  applyAll(p, world());
  const kinds = new Set(p.conflicts.entries().map((e) => e.kind));
  expect([...kinds].sort(), 'the world has every kind of fix entry').toEqual(expect.arrayContaining(['delayed_fix', 'implausible_fix', 'late_fix']));
  const q = createProjections(LEGACY_SETTINGS);
  for (const run of signedRuns(crypto, 4, 250, 50)) applyAll(q, run.events);
  const pd = createProjections();
  applyAll(pd, world());
  const qd = createProjections();
  for (const run of signedRuns(crypto, 4, 250, 50)) applyAll(qd, run.events);
  const defaults = (s: ProjectionSet) => ({ fleet_v3: projectionOutputHash(s.fleet, crypto), conflicts_v3_default_settings: projectionOutputHash(s.conflicts, crypto) });
  const hashes = (s: ProjectionSet) => ({
    records: projectionOutputHash(s.records, crypto, 2),
    fleet: projectionOutputHash(s.fleet, crypto, 1),
    conflicts: projectionOutputHash(s.conflicts, crypto, 2),
    fleet_v2: projectionOutputHash(s.fleet, crypto, 2),
    conflicts_v3: projectionOutputHash(s.conflicts, crypto, 3),
    records_v3: projectionOutputHash(s.records, crypto, 3),
  });
  expect(pd.fleet.view(), 'the default settings judge the world differently').not.toEqual(p.fleet.view());
  const now = { world: { ...hashes(p), ...defaults(pd) }, bench: { ...hashes(q), ...defaults(qd) } };
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN_FILE, JSON.stringify(now, null, 2) + '\n');
  expect(now).toEqual(GOLDEN);
  for (const s of [p, q, pd, qd]) {
    expect(projectionOutputHash(s.fleet, crypto)).toBe(toHex(fleetHashFromView(s.fleet.view(), crypto)));
    expect(projectionOutputHash(s.fleet, crypto, 2)).toBe(toHex(fleetHashFromView(s.fleet.view(true), crypto, 2)));
    expect(projectionOutputHash(s.conflicts, crypto)).toBe(toHex(conflictsHashFromView(s.conflicts.view(), crypto)));
    expect(projectionOutputHash(s.records, crypto)).toBe(toHex(recordsHashFromView(s.records.view(), crypto)));
  }
});
