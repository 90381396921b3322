// PROVES: the demo's staged conflict (two camps re-plan convoy CV-1 while partitioned) stays open
//         through many partitions and heals, as the README promises, until a person settles it;
//         only after that does a later partition stage a new one. Real demo peers (SQLite files),
//         the in-memory mesh, virtual time.
// CATCHES: a demo that settles its own conflict before a new user finds it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import type { Value } from '../../src/core/encoding/canonical';
import { CONVOY } from '../../src/node/demo/demo-incidents';
import { DemoMesh } from '../../src/node/demo/demo-mesh';

const scheduler = new VirtualScheduler();
const mesh = new DemoMesh({ baseDir: mkdtempSync(join(tmpdir(), 'mandala-demo-conflict-')), scheduler, version: 'test' });
afterAll(() => mesh.stop());

describe('the demo conflict', () => {
  it('stays_open_until_a_person_settles_it', async () => {
    await mesh.start();
    const hq = mesh.peer('hq-nairobi')!;
    const openConvoy = () => hq.api.projections.conflicts.entries().filter((e) => e.kind === 'concurrent_write' && e.record === CONVOY && e.status === 'open');
    scheduler.runUntil(() => openConvoy().length > 0, 10 * 60_000, 1000);
    expect(openConvoy(), 'a conflict was staged').toHaveLength(1);
    const staged = openConvoy()[0]!.id;
    scheduler.advance(15 * 60_000); // many partitions and heals later
    expect(openConvoy().map((e) => e.id), 'still the same one, still open').toEqual([staged]);

    // A coordinator settles it at headquarters: a write that saw both plans.
    hq.api.append([hq.api.projections.records.draftSet(CONVOY, 'eta', '08:00' as Value)]);
    expect(openConvoy()).toEqual([]);
    expect(hq.api.projections.conflicts.entries().filter((e) => e.record === CONVOY && e.status === 'settled')).toHaveLength(1);
    scheduler.runUntil(() => openConvoy().length > 0, 10 * 60_000, 1000);
    expect(openConvoy(), 'a later partition stages the next one').toHaveLength(1);
  }, 120_000);
});
