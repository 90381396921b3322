// PROVES: field writes that name what their author had seen tell a real concurrent conflict from
//         a plain overwrite; a write that saw another replaces it whatever the clocks say, and
//         among concurrent writes the displayed winner is the greatest in total order (imported
//         prototype data, without deps, keeps its winners); a clock running fast is flagged and
//         cannot freeze a field; losers stay visible until a write that saw them all settles the
//         field; and any delivery order or partition schedule gives the same winners, the same
//         open conflicts and the same output hash on every node.
// CATCHES: conflicts that depend on arrival order, overwrites shown as conflicts, settled fields
//          that stay open.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Value } from '../../src/core/encoding/canonical';
import { compareTotalOrder, type FeedEvent } from '../../src/core/events/event';
import { validatePayload } from '../../src/core/events/kinds';
import { outputHash } from '../../src/core/projections/projection';
import { RecordsProjection } from '../../src/core/projections/records';
import { ConflictsProjection } from '../../src/core/projections/conflicts';
import { FleetProjection } from '../../src/core/projections/fleet';
import { crypto, FeedBuilder } from '../support/feeds';

type View = Record<string, { fields: Record<string, Value>; conflicts?: Record<string, { winner: { value: Value }; losers: { value: Value }[] }> }>;

function fold(events: FeedEvent[]): RecordsProjection {
  const p = new RecordsProjection();
  for (const e of events) p.apply(e);
  return p;
}

/** A camp: its own feed, and a local view of what it has seen (for the deps of its writes). */
class Camp {
  readonly feed: FeedBuilder;
  readonly seen = new Map<string, FeedEvent>();
  local = new RecordsProjection();

  constructor(name: string, private wall: number) {
    this.feed = new FeedBuilder(name);
  }

  set(field: string, value: Value): FeedEvent {
    this.wall += 1000;
    const draft = this.local.draftSet('R-1', field, value);
    const ev = this.feed.add(draft.kind, draft.payload, { wall: this.wall, counter: 0 });
    this.receive([ev]);
    return ev;
  }

  receive(events: FeedEvent[]): void {
    for (const e of events) {
      if (this.seen.has(e.id)) continue;
      this.seen.set(e.id, e);
      this.local.apply(e);
      if (e.hlc.wall > this.wall) this.wall = e.hlc.wall; // HLC: later writes follow what was seen
    }
  }
}

describe('causal conflicts in records', () => {
  it('a_write_stamped_a_day_fast_is_replaced_by_a_later_write_that_saw_it_and_is_flagged', () => {
    const coordinator = new Camp('coordinator', 1_700_000_000_000);
    const fast = new Camp('fast-kit', 1_700_000_000_000 + 24 * 3600_000); // its clock is a day ahead
    const base = coordinator.set('status', 'planned');
    fast.receive([base]);
    const wrong = fast.set('status', 'stuck at the border');
    // The coordinator's HLC refuses to follow a stamp beyond the drift bound: its clock stays put.
    coordinator.local.apply(wrong);
    const fix = coordinator.set('status', 'delivered'); // saw the fast write (names it in its deps)
    expect(fix.hlc.wall, 'the later write carries the earlier stamp').toBeLessThan(wrong.hlc.wall);
    for (const order of [[base, wrong, fix], [fix, wrong, base], [wrong, fix, base]]) {
      const p = fold(order);
      const v = p.view() as View;
      expect(v['R-1']!.fields['status'], 'the write that saw the fast one shows').toBe('delivered');
      expect(v['R-1']!.conflicts, 'and nothing is left open').toBeUndefined();
    }
    const records = fold([base, wrong, fix]);
    const conflicts = new ConflictsProjection(records, new FleetProjection());
    const flagged = conflicts.entries().filter((e) => e.kind === 'clock_ahead');
    expect(flagged.map((e) => [e.authors[0], e.refs[0]![1]])).toEqual([[fast.feed.author, wrong.seq]]);
    expect((flagged[0]!.detail as { ahead_ms: number }).ahead_ms).toBeGreaterThan(23 * 3600_000);
  });

  it('partitioned_edits_conflict_and_a_write_that_saw_both_settles_them', () => {
    const north = new Camp('north', 1_000);
    const south = new Camp('south', 1_000);
    const base = north.set('status', 'open');
    south.receive([base]);
    const n = north.set('status', 'closed'); // both saw `open`, neither saw the other
    const s = south.set('status', 'delayed');
    north.receive([s]);
    south.receive([n]);
    const all = [base, n, s];
    for (const order of [all, [...all].reverse(), [s, base, n]]) {
      const v = fold(order).view() as View;
      const winner = compareTotalOrder(n, s) > 0 ? 'closed' : 'delayed';
      expect(v['R-1']!.fields['status']).toBe(winner);
      expect(v['R-1']!.conflicts!['status']!.losers.map((l) => l.value)).toEqual([winner === 'closed' ? 'delayed' : 'closed']);
    }
    expect(north.local.headsOf('R-1', 'status')).toHaveLength(2);
    const settle = north.set('status', 'closed'); // names both heads
    south.receive([settle]);
    const v = fold([...all, settle]).view() as View;
    expect(v['R-1']!.conflicts).toBeUndefined();
    expect(v['R-1']!.fields['status']).toBe('closed');
    expect(fold([settle, s, n, base]).view()).toEqual(v);
  });

  it('a_plain_overwrite_is_not_a_conflict_and_data_without_deps_is_last_writer_wins', () => {
    const camp = new Camp('camp', 1_000);
    const a = camp.set('status', 'open');
    const b = camp.set('status', 'closed');
    expect((fold([b, a]).view() as View)['R-1']!.conflicts).toBeUndefined();
    const legacy = new FeedBuilder('prototype');
    legacy.add('field.set', { record_id: 'R-1', field: 'status', value: 'one' }, { wall: 5, counter: 0 });
    legacy.add('field.set', { record_id: 'R-1', field: 'status', value: 'two' }, { wall: 9, counter: 0 });
    const other = new FeedBuilder('prototype-2');
    other.add('field.set', { record_id: 'R-1', field: 'status', value: 'three' }, { wall: 7, counter: 0 });
    const v = fold([...other.events, ...legacy.events]).view() as View;
    expect(v['R-1']!.fields['status']).toBe('two');
    expect(v['R-1']!.conflicts).toBeUndefined();
  });

  it('concurrent_writes_that_agree_on_the_value_are_not_a_conflict', () => {
    const north = new Camp('north-agree', 1_000);
    const south = new Camp('south-agree', 1_000);
    const n = north.set('eta', '09:00');
    const s = south.set('eta', { at: '09:00' });
    const t = south.set('eta', '09:00'); // south overwrote its own; now both heads say '09:00'
    const v = fold([n, s, t]).view() as View;
    expect(v['R-1']!.fields['eta']).toBe('09:00');
    expect(v['R-1']!.conflicts).toBeUndefined();
    const disagree = new Camp('west-agree', 1_000).set('eta', { at: '09:00' });
    expect((fold([n, t, disagree]).view() as View)['R-1']!.conflicts!['eta']!.losers.map((l) => l.value)).toHaveLength(1);
  });

  it('many_writes_that_claim_to_have_seen_nothing_cannot_block_the_field', () => {
    // One author (a buggy or hostile peer) writes the field 40 times, each naming no deps.
    const noisy = new FeedBuilder('noisy');
    for (let i = 0; i < 40; i++) noisy.add('field.set', { record_id: 'R-1', field: 'status', value: `v${i}`, deps: [] }, { wall: 100 + i, counter: 0 });
    const camp = new Camp('steady', 10_000);
    camp.receive(noisy.events);
    const draft = camp.local.draftSet('R-1', 'status', 'settled');
    // An author has always seen its own earlier writes: one dep per author is all a write needs.
    expect((draft.payload as { deps: unknown[] }).deps).toEqual([[noisy.author, 40]]);
    expect(validatePayload(draft.kind, draft.payload)).toBeNull();
    const settle = camp.set('status', 'settled');
    const v = fold([...noisy.events, settle]).view() as View;
    expect(v['R-1']!.fields['status']).toBe('settled');
    expect(v['R-1']!.conflicts).toBeUndefined();
  });

  it('any_partition_schedule_and_delivery_order_gives_the_same_winners_conflicts_and_hash', () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant('write' as const), camp: fc.nat({ max: 2 }), field: fc.constantFrom('status', 'truck', 'eta'), value: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ op: fc.constant('sync' as const), from: fc.nat({ max: 2 }), to: fc.nat({ max: 2 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 2, maxLength: 40 }), fc.infiniteStream(fc.nat()), (steps, shuffle) => {
        const camps = [new Camp('c0', 1_000), new Camp('c1', 1_000), new Camp('c2', 1_000)];
        for (const s of steps) {
          if (s.op === 'write') camps[s.camp]!.set(s.field, s.value);
          else camps[s.to]!.receive([...camps[s.from]!.seen.values()]);
        }
        const all = camps.flatMap((c) => c.feed.events);
        const reference = fold(all);
        const refView = reference.view() as View;
        // Winners are the plain last-writer-wins ones (the greatest write in total order).
        for (const field of ['status', 'truck', 'eta']) {
          const writes = all.filter((e) => (e.payload as { field: string }).field === field).sort(compareTotalOrder);
          if (writes.length) expect(refView['R-1']!.fields[field]).toBe((writes[writes.length - 1]!.payload as { value: Value }).value);
        }
        // Any delivery order folds to the same bytes.
        const it = shuffle[Symbol.iterator]();
        const shuffled = [...all].sort(() => (it.next().value % 3) - 1);
        expect(outputHash(fold(shuffled).view(), crypto)).toBe(outputHash(refView, crypto));
        // After everyone syncs, every camp's own view equals the reference.
        for (const c of camps) c.receive(all);
        for (const c of camps) expect(outputHash(c.local.view(), crypto)).toBe(outputHash(refView, crypto));
      }),
      { numRuns: 300 },
    );
  });
});
