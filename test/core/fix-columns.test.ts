// A truck's fix columns with their older fixes sealed in packed chunks read exactly as plain
// arrays would: every field, judgement and order, whatever lands where, with values at the edges
// of what packs (large, negative) too.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FixColumns } from '../../src/core/projections/fix-columns';
import { ChunkCache } from '../../src/core/projections/fix-chunk';
import { AuthorTable } from '../../src/core/projections/snapshot-codec';
import type { Fix } from '../../src/core/projections/fleet-trail';

const AUTHORS = ['a', 'b', 'c'].map((x) => x.repeat(64));

function fixOf(fixMs: number, seq: number, wall: number, lat: number, author: number, speed: number | null, acc: number | null, counter = 0): Fix {
  return {
    truck: 'T',
    fixMs,
    latE6: lat,
    lonE6: lat === 0 ? 0 : -lat * 3,
    speedKmh: speed,
    headingDeg: speed === null ? null : ((seq % 360) + 360) % 360,
    accuracyM: acc,
    recordedMs: wall,
    at: { author: AUTHORS[author]!, seq, prev: null, hlc: { wall, counter }, kind: 'truck.position', payload: null },
  };
}

const big = fc.oneof(fc.integer({ min: -5_000_000, max: 5_000_000 }), fc.constantFrom(1_700_000_000_000, 2 ** 50 - 1, 2 ** 50, Number.MAX_SAFE_INTEGER, 2 ** 40, -1, -(2 ** 31), -(2 ** 50) + 1, -(2 ** 50), Number.MIN_SAFE_INTEGER));
const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), where: fc.nat(), fixMs: big, seq: big, wall: big, lat: fc.integer({ min: -90_000_000, max: 90_000_000 }), author: fc.nat({ max: 2 }), speed: fc.option(fc.nat({ max: 300 }), { nil: null }), acc: fc.option(fc.nat({ max: 900 }), { nil: null }), counter: fc.nat({ max: 3 }) }),
  fc.record({ kind: fc.constant('flag' as const), where: fc.nat(), code: fc.nat({ max: 10 }) }),
  fc.record({ kind: fc.constant('historical' as const), where: fc.nat(), on: fc.boolean() }),
);

interface Model {
  fix: Fix;
  flag: number;
  historical: boolean;
}

function expectSame(cols: FixColumns, model: readonly Model[]): void {
  expect(cols.length).toBe(model.length);
  for (let i = 0; i < model.length; i++) {
    const m = model[i]!;
    expect(cols.fixAt(i)).toEqual(m.fix);
    expect(cols.flagAt(i)).toBe(m.flag);
    expect(cols.historicalAt(i)).toBe(m.historical);
    expect(cols.fixMsAt(i)).toBe(m.fix.fixMs);
    expect(cols.seqAt(i)).toBe(m.fix.at.seq);
    expect(cols.wallAt(i)).toBe(m.fix.at.hlc.wall);
  }
  expect(cols.historicalCount).toBe(model.filter((m) => m.historical).length);
}

describe('fix columns with sealed chunks', () => {
  it('reads_back_every_fix_judgement_and_mark_as_plain_arrays_would_after_any_inserts_and_judgements', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 80 }), fc.constantFrom(1, 2, 5), (ops, chunk) => {
        const cols = new FixColumns('T', new AuthorTable(), new ChunkCache(chunk));
        const model: Model[] = [];
        for (const o of ops) {
          if (o.kind === 'insert') {
            const at = o.where % (model.length + 1);
            const fix = fixOf(o.fixMs, o.seq, o.wall, o.lat, o.author, o.speed, o.acc, o.counter);
            cols.insertAt(at, fix);
            model.splice(at, 0, { fix, flag: 0, historical: false });
          } else if (model.length > 0) {
            const i = o.where % model.length;
            if (o.kind === 'flag') {
              cols.setFlag(i, o.code);
              model[i]!.flag = o.code;
            } else {
              cols.setHistorical(i, o.on);
              model[i]!.historical = o.on;
            }
          }
        }
        expectSame(cols, model);
        // Log order between any two fixes, across chunks as within one.
        for (let i = 0; i < model.length; i++) {
          const j = (i * 7 + 3) % model.length;
          const a = model[i]!.fix.at;
          const b = model[j]!.fix.at;
          const want = a.hlc.wall - b.hlc.wall || a.hlc.counter - b.hlc.counter || (a.author === b.author ? a.seq - b.seq : a.author < b.author ? -1 : 1);
          expect(Math.sign(cols.compareRecorded(i, j))).toBe(Math.sign(want));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a_checkpoint_export_loads_back_into_sealed_columns_unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(big, big, fc.integer({ min: -1000, max: 1000 })), { minLength: 1, maxLength: 60 }), fc.constantFrom(1, 4), (rows, chunk) => {
        const authors = new AuthorTable();
        const cols = new FixColumns('T', authors, new ChunkCache(chunk));
        rows.forEach(([fixMs, wall, lat], k) => cols.insertAt(k, fixOf(fixMs, k + 1, wall, lat, k % 3, k % 2 ? 40 : null, k % 3 ? 12 : null)));
        const n = cols.length;
        const out = { fixMs: new Float64Array(n), seq: new Float64Array(n), wall: new Float64Array(n), lat: new Int32Array(n), lon: new Int32Array(n), speed: new Int32Array(n), heading: new Int32Array(n), author: new Int32Array(n), counter: new Int32Array(n), accuracy: new Int32Array(n) };
        cols.exportInto(out, 0, (a) => authors.idx(a));
        const back = new FixColumns('T', authors, new ChunkCache(chunk));
        back.loadFrom(out, 0, n, (k) => k);
        for (let i = 0; i < n; i++) expect(back.fixAt(i)).toEqual(cols.fixAt(i));
      }),
      { numRuns: 200 },
    );
  });

  it('search_bounds_from_the_chunks_never_cut_off_a_fix_of_the_time_asked_for', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 120 }), fc.integer({ min: -5, max: 205 }), (times, probe) => {
        const cols = new FixColumns('T', new AuthorTable(), new ChunkCache(2));
        const sorted = [...times].sort((x, y) => x - y);
        sorted.forEach((t, k) => cols.insertAt(k, fixOf(t, k + 1, t, 0, 0, null, null)));
        const [lo, hi] = cols.searchBounds(probe);
        expect(lo).toBeLessThanOrEqual(hi);
        for (let i = 0; i < lo; i++) expect(sorted[i]!).toBeLessThan(probe);
        for (let i = hi; i < sorted.length; i++) expect(sorted[i]!).toBeGreaterThan(probe);
      }),
      { numRuns: 300 },
    );
  });

  it('a_moving_trucks_season_packs_to_under_a_third_of_its_unpacked_size', () => {
    const cols = new FixColumns('T', new AuthorTable());
    const n = 20_000;
    for (let k = 0; k < n; k++) {
      const t = 1_790_000_000_000 + k * 5_000;
      cols.insertAt(k, fixOf(t, k + 1, t + 800 + (k % 7) * 30, 45_000_000 + k * 60 + (k % 5), 0, 50 + (k % 20), 8));
    }
    const unpacked = n * 14 * 4;
    expect(cols.bytes()).toBeLessThan(unpacked / 3);
    // Still read right, old and new.
    expect(cols.fixAt(17).latE6).toBe(45_000_000 + 17 * 60 + 2);
    expect(cols.fixAt(n - 1).at.seq).toBe(n);
  });
});
