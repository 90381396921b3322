// A fleet fold saved into a checkpoint with its trails' older fixes sealed, restored (under the
// same chunk size or another) and folded on gives exactly what one fold of every fix gives:
// the output hash, the view, the order notes and the findings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCanonical, encodeCanonical } from '../../src/core/encoding/canonical';
import { FleetProjection } from '../../src/core/projections/fleet';
import { DEFAULT_SETTINGS } from '../../src/core/projections/fleet-settings';
import { projectionOutputHash } from '../../src/core/projections/projection';
import { AuthorTable } from '../../src/core/projections/snapshot-codec';
import { crypto, FeedBuilder } from '../support/feeds';
import type { FeedEvent } from '../../src/core/events/event';

const feeds = () => [new FeedBuilder('kit-1'), new FeedBuilder('kit-2'), new FeedBuilder('kit-3')];

describe('fleet checkpoint with sealed trails (property)', () => {
  const fix = fc.record({
    feed: fc.nat({ max: 2 }),
    truck: fc.constantFrom('T-1', 'T-2'),
    /** Seconds: some fixes older than ones their author already sent (late), some recorded long after (delayed). */
    t: fc.integer({ min: 0, max: 400 }),
    lat: fc.integer({ min: -40, max: 40 }),
    delayS: fc.constantFrom(0, 0, 1, 300),
  });

  it('restored_and_folded_on_equals_one_fold_of_everything', () => {
    fc.assert(
      fc.property(fc.array(fix, { minLength: 1, maxLength: 90 }), fc.nat(), fc.constantFrom(1, 3, 256), fc.constantFrom(1, 2, 256), (fixes, cutAt, before, after) => {
        const fs = feeds();
        const events: FeedEvent[] = fixes.map((f) => {
          const fixMs = 1_700_000_000_000 + f.t * 10_000;
          return fs[f.feed]!.add('truck.position', { truck: f.truck, fix_ms: fixMs, lat_e6: 1_000_000 + f.lat * 1_500, lon_e6: 36_000_000, speed_kmh: 40 }, { wall: fixMs + 500 + f.delayS * 1000, counter: 0 });
        });
        const whole = new FleetProjection(DEFAULT_SETTINGS);
        for (const e of events) whole.apply(e);
        const cut = cutAt % (events.length + 1);
        const first = new FleetProjection(DEFAULT_SETTINGS, before);
        for (const e of events.slice(0, cut)) first.apply(e);
        // Judged and hashed part-way, as a node would before saving.
        projectionOutputHash(first, crypto);
        const authors = new AuthorTable();
        const saved = decodeCanonical(encodeCanonical(first.exportState(authors, crypto)));
        const restored = new FleetProjection(DEFAULT_SETTINGS, after);
        restored.importState(saved, authors.list);
        for (const e of events.slice(cut)) restored.apply(e);
        expect(projectionOutputHash(restored, crypto)).toBe(projectionOutputHash(whole, crypto));
        expect(restored.view()).toEqual(whole.view());
        for (const truck of whole.truckIds()) {
          const notes = (p: FleetProjection) => p.fixNotes(truck).map((n) => `${n.kind} ${n.fix.at.author.slice(0, 6)} ${n.fix.at.seq} ${n.byMs}`).sort();
          expect(notes(restored)).toEqual(notes(whole));
          expect(restored.summary(truck, 5)).toEqual(whole.summary(truck, 5));
        }
      }),
      { numRuns: 250 },
    );
  });

  it('a_checkpoint_sealed_at_the_nodes_size_restores_under_a_smaller_one_and_takes_late_fixes', () => {
    // Chunks of 256 adopted by a fold that seals 1 or 3 at a time are larger than its own: a
    // late fix into one repacks it whole. A fix recorded at a clock past 2^50 keeps its chunk unpacked.
    const [kit, other, third] = feeds();
    const events: FeedEvent[] = [];
    for (let i = 0; i < 900; i++) {
      events.push(kit!.add('truck.position', { truck: 'T-1', fix_ms: 1_700_000_000_000 + i * 5000, lat_e6: 1_000_000 + (i % 9) * 40, lon_e6: 36_000_000 + i }, { wall: 1_700_000_000_000 + i * 5000, counter: 0 }));
    }
    events.push(third!.add('truck.position', { truck: 'T-1', fix_ms: 1_700_000_000_000 + 20 * 5000 + 2, lat_e6: 1_000_000, lon_e6: 36_000_000 }, { wall: 2 ** 50 + 7, counter: 0 }));
    const late = [3, 300, 301, 555].map((i) => other!.add('truck.position', { truck: 'T-1', fix_ms: 1_700_000_000_000 + i * 5000 + 1, lat_e6: 1_000_000, lon_e6: 36_000_000 }, { wall: 1_700_004_000_000, counter: i }));
    const whole = new FleetProjection(DEFAULT_SETTINGS);
    for (const e of [...events, ...late]) whole.apply(e);
    for (const smaller of [1, 3]) {
      const first = new FleetProjection(DEFAULT_SETTINGS);
      for (const e of events) first.apply(e);
      const authors = new AuthorTable();
      const saved = first.exportState(authors, crypto) as Record<string, unknown>;
      const meta = new Float64Array((saved['chunks'] as Uint8Array).slice().buffer);
      expect(meta.length / 4, 'the trail was sealed, in two chunks').toBe(2);
      expect(meta[3], 'the first chunk kept unpacked').toBeLessThan(0);
      expect(meta[7], 'the second packed').toBeGreaterThan(0);
      const restored = new FleetProjection(DEFAULT_SETTINGS, smaller);
      restored.importState(decodeCanonical(encodeCanonical(saved as never)), authors.list);
      for (const e of late) restored.apply(e);
      expect(projectionOutputHash(restored, crypto), `restored under chunks of ${smaller}`).toBe(projectionOutputHash(whole, crypto));
      expect(restored.view()).toEqual(whole.view());
    }
  });

  it('what_the_fold_could_not_use_is_still_named_after_a_restore', () => {
    const [kit] = feeds();
    const p = new FleetProjection(DEFAULT_SETTINGS, 2);
    for (let i = 0; i < 9; i++) p.apply(kit!.add('truck.position', { truck: 'T-1', fix_ms: 1_700_000_000_000 + i * 5000, lat_e6: 1_000_000 + i, lon_e6: 36_000_000 }, { wall: 1_700_000_000_000 + i * 5000, counter: 0 }));
    p.apply(kit!.add('truck.position', { truck: 7, fix_ms: 'soon' }, { wall: 1_700_000_100_000, counter: 0 }));
    expect(p.findings()).toHaveLength(1);
    const authors = new AuthorTable();
    const restored = new FleetProjection(DEFAULT_SETTINGS, 2);
    restored.importState(decodeCanonical(encodeCanonical(p.exportState(authors, crypto))), authors.list);
    expect(restored.findings()).toEqual(p.findings());
    expect(restored.view()).toEqual(p.view());
  });

  it('a_checkpoint_whose_packed_fixes_are_cut_short_is_refused_in_words', () => {
    const [kit] = feeds();
    const p = new FleetProjection(DEFAULT_SETTINGS, 2);
    for (let i = 0; i < 20; i++) p.apply(kit!.add('truck.position', { truck: 'T-1', fix_ms: 1_700_000_000_000 + i * 5000, lat_e6: 1_000_000 + i, lon_e6: 36_000_000 }, { wall: 1_700_000_000_000 + i * 5000, counter: 0 }));
    const authors = new AuthorTable();
    const saved = p.exportState(authors, crypto) as Record<string, unknown>;
    const cutShort = { ...saved, packed: (saved['packed'] as Uint8Array).subarray(0, 10) };
    expect(() => new FleetProjection(DEFAULT_SETTINGS, 2).importState(cutShort as never, authors.list)).toThrow(/packed fixes are shorter/);
    // A chunk list that claims more fixes than its bytes could pack, or none at all.
    const meta = new Float64Array((saved['chunks'] as Uint8Array).slice().buffer);
    const claim = (k: number, v: number) => {
      const m = meta.slice();
      m[k] = v;
      return { ...saved, chunks: new Uint8Array(m.buffer) } as never;
    };
    expect(() => new FleetProjection(DEFAULT_SETTINGS, 2).importState(claim(0, 1000), authors.list)).toThrow(/packs 1000 fixes in/);
    expect(() => new FleetProjection(DEFAULT_SETTINGS, 2).importState(claim(0, -3), authors.list)).toThrow(/holds -3 fixes/);
    expect(() => new FleetProjection(DEFAULT_SETTINGS, 2).importState(claim(3, Number.NaN), authors.list)).toThrow(/shorter than their chunks/);
    expect(() => new FleetProjection(DEFAULT_SETTINGS, 2).importState(claim(1, 2e12), authors.list)).toThrow(/ends before it starts/);
  });
});
