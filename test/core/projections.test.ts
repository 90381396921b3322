// PROVES: records is last-writer-wins by (HLC wall, counter, author, seq) with meshlogd's view
//         shape; fleet orders trails by fix time, takes the latest plausible fix as current, and
//         flags impossible fixes; and any delivery order, duplication or chunking of the same
//         event set through a real store gives identical projection hashes.
// CATCHES: arrival-order dependence, which would make nodes that hold the same events disagree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../src/core/events/event';
import type { IncomingRun } from '../../src/core/feed/ingest';
import { applyAll, createProjections, projectionHashes } from '../../src/core/projections/set';
import { outputHash, projectionOutputHash } from '../../src/core/projections/projection';
import { evaluateTrail } from '../../src/core/projections/fleet';
import { DEFAULT_SETTINGS, LEGACY_SETTINGS, type FleetSettings } from '../../src/core/projections/fleet-settings';
import { compareFix, DELAYED_FIX_MS, TruckTrail, type Fix } from '../../src/core/projections/fleet-trail';
import { ChunkCache } from '../../src/core/projections/fix-chunk';
import { AuthorTable } from '../../src/core/projections/snapshot-codec';
import { decodeFoldState, encodeFoldState } from '../../src/core/projections/checkpoint';
import { KindHeads } from '../../src/core/evidence/input-frontier';
import { fleetHashFromView } from '../../src/core/projections/fleet-digest';
import { conflictsHashFromView } from '../../src/core/projections/conflicts-digest';
import { recordsHashFromView } from '../../src/core/projections/records-digest';
import { toHex } from '../../src/core/encoding/bytes';
import { MemoryFeedStore } from '../../src/node/store/memory-store';
import { crypto, FeedBuilder } from '../support/feeds';

function fold(events: FeedEvent[]) {
  const p = createProjections();
  applyAll(p, events);
  return p;
}

describe('records projection', () => {
  it('the_greatest_write_in_total_order_wins_regardless_of_arrival', () => {
    const a = new FeedBuilder('camp-a');
    const b = new FeedBuilder('camp-b');
    a.add('record.create', { record_id: 'R-1', form: 'site' }, { wall: 100, counter: 0 });
    a.add('field.set', { record_id: 'R-1', field: 'status', value: 'open' }, { wall: 200, counter: 0 });
    b.add('field.set', { record_id: 'R-1', field: 'status', value: 'closed' }, { wall: 200, counter: 1 });
    a.add('note.add', { record_id: 'R-1', text: 'second' }, { wall: 300, counter: 0 });
    b.add('note.add', { record_id: 'R-1', text: 'first' }, { wall: 250, counter: 0 });
    const all = [...a.events, ...b.events];
    const v1 = fold(all).records.view() as Record<string, { fields: Record<string, unknown>; notes: string[]; form: string; created_by: string }>;
    const v2 = fold([...all].reverse()).records.view();
    expect(v1).toEqual(v2);
    expect(v1['R-1']!.fields['status']).toBe('closed');
    expect(v1['R-1']!.notes).toEqual(['first', 'second']);
    expect(v1['R-1']!.form).toBe('site');
    expect(v1['R-1']!.created_by).toBe(a.author);
  });

  it('ties_on_hlc_break_by_author_then_seq', () => {
    const [lo, hi] = [new FeedBuilder('x1'), new FeedBuilder('x2')].sort((p, q) => (p.author < q.author ? -1 : 1));
    lo!.add('field.set', { record_id: 'R', field: 'f', value: 'from-lower-author' }, { wall: 5, counter: 0 });
    hi!.add('field.set', { record_id: 'R', field: 'f', value: 'from-higher-author' }, { wall: 5, counter: 0 });
    const v = fold([...hi!.events, ...lo!.events]).records.view() as Record<string, { fields: Record<string, unknown> }>;
    expect(v['R']!.fields['f']).toBe('from-higher-author');
  });

  it('a_malformed_payload_from_a_peer_is_skipped_and_reported', () => {
    const a = new FeedBuilder('camp-a');
    a.add('field.set', { record_id: 'R', value: 1 });
    const p = fold(a.events);
    expect(p.records.view()).toEqual({});
    expect(p.records.findings()).toEqual([{ code: 'malformed_payload', message: '1 field.set events had payloads that could not be folded' }]);
  });
});

describe('fleet projection', () => {
  const pos = (fix_ms: number, lat: number, lon: number) => ({ truck: 'T-1', fix_ms, lat_e6: Math.round(lat * 1e6), lon_e6: Math.round(lon * 1e6), speed_kmh: 50 });

  it('the_trail_is_ordered_by_fix_time_and_current_is_the_latest_plausible_fix', () => {
    const k = new FeedBuilder('kit');
    k.add('truck.position', pos(3_000_000, 1.003, 36.0), { wall: 3_000_100, counter: 0 });
    k.add('truck.position', pos(1_000_000, 1.0, 36.0), { wall: 3_000_200, counter: 0 }); // late arrival of an old fix
    k.add('truck.position', pos(2_000_000, 1.0015, 36.0), { wall: 3_000_300, counter: 0 });
    const s = fold(k.events).fleet.summary('T-1', 10)!;
    expect(s.trail.map((f) => f.fixMs)).toEqual([1_000_000, 2_000_000, 3_000_000]);
    expect(s.current?.fixMs).toBe(3_000_000);
    expect(s.flaggedCount).toBe(0);
  });

  it('impossible_fixes_are_kept_flagged_and_excluded_from_current', () => {
    const k = new FeedBuilder('kit');
    k.add('truck.position', pos(1_000_000, 1.0, 36.0), { wall: 1_000_100, counter: 0 });
    k.add('truck.position', pos(1_060_000, 1.5, 36.0), { wall: 1_060_100, counter: 0 }); // 55 km in a minute
    k.add('truck.position', pos(1_070_000, 0, 0), { wall: 1_070_100, counter: 0 });
    k.add('truck.position', pos(1_080_000, 95, 36), { wall: 1_080_100, counter: 0 });
    k.add('truck.position', pos(99_000_000, 1.0001, 36.0), { wall: 1_090_000, counter: 0 }); // recorded before its fix time
    const s = fold(k.events).fleet.summary('T-1', 10)!;
    expect(s.trail.map((f) => f.flag)).toEqual([null, 'implied_speed_over_limit', 'null_island', 'coordinates_out_of_range', 'fix_in_future']);
    expect(s.current?.fixMs).toBe(1_000_000);
  });
});

describe('incremental trail (property)', () => {
  // Fixes close enough in time and space that some are plausible and some are not.
  const step = {
    t: fc.integer({ min: 0, max: 600 }),
    lat: fc.integer({ min: -30, max: 30 }),
    author: fc.constantFrom('a', 'b', 'c'),
    lookAfter: fc.boolean(),
    /** Recorded this long after the fix (some past the delayed threshold). */
    delayS: fc.constantFrom(0, 1, 200),
    /** Where it arrives: out of its author's feed order too. */
    arrival: fc.nat({ max: 1000 }),
  };

  /** Every filter on, the drift and jump ones too, with the latch. */
  const ALL_ON: FleetSettings = { ...DEFAULT_SETTINGS, maxAccuracyM: 50, jump: { meters: 3_000, withinMs: 60_000 }, drift: { radiusMeters: 3_000, maxSpeedKmh: 2 } };
  const cases: [string, FleetSettings, number][] = [
    ['legacy settings', LEGACY_SETTINGS, 600],
    ['default settings', DEFAULT_SETTINGS, 600],
    // Few fix times, so that duplicates and equal fix times happen.
    ['every filter on', ALL_ON, 12],
  ];
  it.each(cases)('judging a trail as fixes arrive in any order equals judging the sorted trail at once (%s)', (_name, settings, maxT) => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ...step, t: fc.integer({ min: 0, max: maxT }), speed: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }), acc: fc.option(fc.constantFrom(5, 80), { nil: null }) }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom(0, 1, 3),
        (steps, chunk) => {
          // chunk 0: the trail as a node keeps it; 1 and 3: its older fixes sealed a few at a time,
          // so that late fixes land among sealed ones and re-judging walks across chunks.
          const trail = new TruckTrail('T', new AuthorTable(), settings, chunk ? new ChunkCache(chunk) : undefined);
          const seqs = new Map<string, number>();
          const fixes: Fix[] = steps.map((s) => {
            const seq = (seqs.get(s.author) ?? 0) + 1;
            seqs.set(s.author, seq);
            const author = s.author.repeat(64).slice(0, 64);
            const wall = s.t * 10_000 + 500 + s.delayS * 1000;
            return { truck: 'T', fixMs: s.t * 10_000, latE6: 1_000_000 + s.lat * 2_000, lonE6: 36_000_000, speedKmh: s.speed, headingDeg: null, accuracyM: s.acc, recordedMs: wall, at: { author, seq, prev: null, hlc: { wall, counter: 0 }, kind: 'truck.position', payload: null } };
          });
          const arrival = fixes.map((f, i) => ({ f, s: steps[i]! })).sort((x, y) => x.s.arrival - y.s.arrival);
          for (const { f, s } of arrival) {
            trail.add(f);
            if (s.lookAfter) trail.current(); // judged part-way, then more fixes land before and after
          }
          // Late: older than a fix of a lower seq by the same author; delayed: recorded long after.
          const notes: string[] = [];
          for (const a of new Set(fixes.map((f) => f.at.author))) {
            let newest = -Infinity;
            for (const f of fixes.filter((x) => x.at.author === a).sort((x, y) => x.at.seq - y.at.seq)) {
              if (f.fixMs < newest) notes.push(`late ${a[0]}${f.at.seq} ${newest - f.fixMs}`);
              newest = Math.max(newest, f.fixMs);
            }
          }
          for (const f of fixes) if (f.at.hlc.wall - f.fixMs > DELAYED_FIX_MS) notes.push(`delayed ${f.at.author[0]}${f.at.seq} ${f.at.hlc.wall - f.fixMs}`);
          expect(trail.notes().map((n) => `${n.kind === 'late_fix' ? 'late' : 'delayed'} ${n.fix.at.author[0]}${n.fix.at.seq} ${n.byMs}`).sort()).toEqual(notes.sort());
          const sorted = [...fixes].sort(compareFix);
          const whole = evaluateTrail(sorted, settings);
          expect(trail.evaluatedRange(0, trail.size).map((f) => [f.at.author, f.at.seq, f.flag, f.historical])).toEqual(whole.map((f) => [f.at.author, f.at.seq, f.flag, f.historical]));
          expect(trail.flagged().map((f) => f.at.seq + f.at.author)).toEqual(whole.filter((f) => f.flag).map((f) => f.at.seq + f.at.author));
          // The count kept as fixes land (judged part-way, re-judged from a late one) agrees.
          expect(trail.flaggedCount()).toBe(whole.filter((f) => f.flag).length);
          const lastGood = [...whole].reverse().find((f) => !f.flag) ?? null;
          expect(trail.current()?.at.seq ?? null).toBe(lastGood?.at.seq ?? null);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('streamed output hash (property)', () => {
  // Truck ids of mixed lengths and scripts, so the canonical key order (UTF-8 length first)
  // differs from JavaScript's string order.
  const truckId = fc.constantFrom('T-1', 'T-10', 'T-2', 'AB', 'Zebra-99', 'ß-7', 'Ω', '卡车-1', 'a');
  const fix = fc.record({ truck: truckId, t: fc.integer({ min: 1, max: 5_000 }), lat: fc.integer({ min: -2_000, max: 2_000 }), lon: fc.integer({ min: -2_000, max: 2_000 }), speed: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }) });

  it('the_fleet_hash_of_version_1_is_the_hash_of_its_whole_view_and_version_2_the_digest_root_of_it', () => {
    fc.assert(
      fc.property(fc.array(fix, { maxLength: 40 }), (fixes) => {
        const k = new FeedBuilder('stream-kit');
        for (const f of fixes) {
          k.add('truck.position', { truck: f.truck, fix_ms: f.t * 60_000, lat_e6: 1_000_000 + f.lat * 1000, lon_e6: 36_000_000 + f.lon * 1000, speed_kmh: f.speed }, { wall: f.t * 60_000 + 1000, counter: 0 });
        }
        const fleet = fold(k.events).fleet;
        expect(projectionOutputHash(fleet, crypto, 1)).toBe(outputHash(fleet.view(), crypto));
        expect(projectionOutputHash(fleet, crypto)).toBe(toHex(fleetHashFromView(fleet.view(), crypto)));
      }),
      { numRuns: 150 },
    );
  });

  // PROVES: the digests kept from report to report (blocks of a trail kept, the rest re-hashed)
  //         give the hash computed afresh from the view, whatever order the fixes come in and
  //         wherever they land in a trail (before, inside or after a complete block), also
  //         across a checkpoint that carries the digests, and when the work is cut short.
  // CATCHES: a block kept after a late fix landed inside it, or after a re-judged flag changed.
  it('digests_kept_between_reports_equal_the_hash_of_the_view_afresh', () => {
    // Two trucks and at least 160 fixes, so trails pass a complete block (64 fixes) or two.
    const few = fc.constantFrom('T-1', 'Ω');
    const at = fc.record({ truck: few, t: fc.integer({ min: 1, max: 400 }), lat: fc.integer({ min: -3, max: 3 }), hashAfter: fc.boolean(), budget: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(at, { minLength: 160, maxLength: 320 }), fc.integer({ min: 0, max: 320 }), (fixes, cutAt) => {
        const k = new FeedBuilder('digest-kit');
        for (const f of fixes) {
          // Some jumps are implausible (flags), so a late fix can re-judge what follows it.
          k.add('truck.position', { truck: f.truck, fix_ms: f.t * 60_000, lat_e6: 1_000_000 + f.lat * 200_000, lon_e6: 36_000_000 }, { wall: f.t * 60_000 + 1000, counter: 0 });
        }
        let set = createProjections();
        k.events.forEach((ev, i) => {
          if (i === cutAt) set = decodeFoldState(encodeFoldState({ set, heads: new KindHeads(), events: i, extras: null }, crypto)).set;
          applyAll(set, [ev]);
          const f = fixes[i]!;
          if (f.hashAfter) {
            let left = f.budget;
            set.fleet.prepareHash(crypto, () => left-- > 0);
            let alsoLeft = f.budget;
            set.conflicts.prepareHash(crypto, () => alsoLeft-- > 0);
          }
        });
        expect(projectionOutputHash(set.fleet, crypto)).toBe(toHex(fleetHashFromView(set.fleet.view(), crypto)));
        expect(projectionOutputHash(set.conflicts, crypto)).toBe(toHex(conflictsHashFromView(set.conflicts.view(), crypto)));
        expect(projectionOutputHash(set.records, crypto)).toBe(toHex(recordsHashFromView(set.records.view(), crypto)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('order independence (property)', () => {
  function world() {
    const feeds = [new FeedBuilder('kit-1'), new FeedBuilder('kit-2'), new FeedBuilder('camp'), new FeedBuilder('camp-2')];
    let t = 1_700_000_000_000;
    for (let i = 0; i < 12; i++) {
      for (const [n, f] of feeds.entries()) {
        t += 700;
        if (n < 2) {
          // Late (older than one already sent), delayed (recorded long after) and impossible fixes.
          const fixMs = i === 7 ? t - 600_000 : t - (i % 4) * 5000;
          f.add('truck.position', { truck: `T-${(i + n) % 3}`, fix_ms: fixMs, lat_e6: i === 5 ? 0 : 1_000_000 + i * 900, lon_e6: i === 5 ? 0 : 36_000_000 + n * 500, speed_kmh: 40 }, { wall: t, counter: 0 });
        } else if (i % 5 === 4) {
          f.add(n === 2 ? 'gate.denial' : 'fork.report', n === 2 ? { gate: 'schema', code: 'bad_payload', kind: 'field.set' } : { author: feeds[0]!.author, seq: 3 }, { wall: t, counter: 0 });
        } else {
          // Both camps write the same fields without seeing each other (deps name only their own
          // earlier writes), under record ids that differ only in where a slash falls.
          const [record, field] = i % 2 ? ['R/1', 'status'] : ['R', '1/status'];
          f.add('field.set', { record_id: record, field, value: `v${i}-${n}`, deps: [] }, { wall: t - (i % 2) * 3000, counter: i % 2 });
        }
      }
    }
    return feeds;
  }

  it('a_checkpoint_taken_at_any_point_and_folded_on_gives_the_same_hashes', () => {
    const feeds = world();
    // Round-robin over the feeds, each in its own order, as a store appends them.
    const events: FeedEvent[] = [];
    for (let i = 0; i < 12; i++) for (const f of feeds) events.push(f.events[i]!);
    const reference = projectionHashes(fold(events), crypto);
    for (let cut = 0; cut <= events.length; cut += 3) {
      const before = createProjections();
      applyAll(before, events.slice(0, cut));
      const restored = decodeFoldState(encodeFoldState({ set: before, heads: new KindHeads(), events: cut, extras: null }, crypto)).set;
      // Digests made before the rest arrives must be brought up to date by it.
      projectionHashes(restored, crypto);
      applyAll(restored, events.slice(cut));
      expect(projectionHashes(restored, crypto), `checkpoint after ${cut} events`).toEqual(reference);
      expect(projectionOutputHash(restored.records, crypto)).toBe(toHex(recordsHashFromView(restored.records.view(), crypto)));
      expect(projectionOutputHash(restored.conflicts, crypto)).toBe(toHex(conflictsHashFromView(restored.conflicts.view(), crypto)));
    }
  });

  it('any_order_duplication_or_chunking_gives_identical_projection_hashes', () => {
    const feeds = world();
    const all = fold(feeds.flatMap((f) => f.events));
    const reference = projectionHashes(all, crypto);
    // The world really has every kind of entry, including conflicts under look-alike ids.
    const kinds = new Set(all.conflicts.entries().map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['concurrent_write', 'delayed_fix', 'fork', 'gate_denial', 'implausible_fix', 'late_fix']);
    expect(all.conflicts.entries().filter((e) => e.status === 'open').map((e) => e.record).sort()).toEqual(['R', 'R/1']);
    const chunking = fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 11 }), fc.integer({ min: 1, max: 6 }), fc.boolean()), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(chunking, (plan) => {
        const store = new MemoryFeedStore(crypto);
        const p = createProjections();
        const deliver = (runs: IncomingRun[]) => applyAll(p, store.ingest(runs, 0).appended);
        for (const [feedIx, start, len, signed] of plan) {
          const f = feeds[feedIx]!;
          const from = start + 1;
          const to = Math.min(from + len - 1, f.events.length);
          deliver([f.run(from, to, signed)]);
        }
        // Finally everything (in reverse feed order, fully signed) so the sets are equal.
        deliver([...feeds].reverse().map((f) => f.run(1, f.events.length)));
        expect(projectionHashes(p, crypto)).toEqual(reference);
        expect(store.eventCount()).toBe(48);
      }),
      { numRuns: 200 },
    );
  });
});
