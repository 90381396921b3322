// PROVES: the conflicts projection lists concurrent writes (open and settled, with winner and
//         losers), late, delayed and implausible fixes, reported forks and gate denials; and it
//         is the same bytes whatever order the events arrived in.
// CATCHES: a timeline that misses a kind of disagreement, or differs between nodes.
import { describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../src/core/events/event';
import { outputHash } from '../../src/core/projections/projection';
import { applyAll, createProjections } from '../../src/core/projections/set';
import { crypto, FeedBuilder } from '../support/feeds';

type Entry = { id: string; kind: string; status: string | null; detail: Record<string, unknown>; at_ms: number };

function entries(events: FeedEvent[]): Entry[] {
  const p = createProjections();
  applyAll(p, events);
  return (p.conflicts.view() as { entries: Entry[] }).entries;
}

describe('conflicts projection', () => {
  const north = new FeedBuilder('north');
  const south = new FeedBuilder('south');
  const kit = new FeedBuilder('kit');
  const base = north.add('field.set', { record_id: 'R', field: 'status', value: 'open', deps: [] }, { wall: 1000, counter: 0 });
  const n = north.add('field.set', { record_id: 'R', field: 'status', value: 'closed', deps: [[north.author, 1]] }, { wall: 2000, counter: 0 });
  const s = south.add('field.set', { record_id: 'R', field: 'status', value: 'delayed', deps: [[north.author, 1]] }, { wall: 2500, counter: 0 });
  const deps = [[north.author, 2], [south.author, 1]].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
  const settle = north.add('field.set', { record_id: 'T', field: 'eta', value: 1, deps: [] }, { wall: 2600, counter: 0 });
  void settle;
  const truck = (fix: number, wall: number, lat: number) => kit.add('truck.position', { truck: 'T-1', fix_ms: fix, lat_e6: lat, lon_e6: 36_000_000 }, { wall, counter: 0 });
  truck(1_000_000, 1_000_100, 1_000_000);
  truck(1_060_000, 1_060_100, 1_001_000);
  truck(1_030_000, 1_070_000, 1_000_500); // older than the previous fix from the same kit: late
  truck(1_080_000, 1_400_000, 1_001_500); // recorded 5+ minutes after it was taken: delayed
  truck(1_090_000, 1_090_100, 0); // latitude 0: a 111 km jump in ten seconds
  south.add('fork.report', { author: 'ab'.repeat(32), seq: 7, evidence: null }, { wall: 3000, counter: 0 });
  south.add('gate.denial', { gate: 'schema', code: 'schema_invalid', message: 'bad', kind: 'field.set', count: 2 }, { wall: 3100, counter: 0 });

  it('lists_every_kind_of_disagreement', () => {
    const list = entries([...north.events, ...south.events, ...kit.events]);
    expect(list.map((e) => e.kind).sort()).toEqual(['concurrent_write', 'delayed_fix', 'fork', 'gate_denial', 'implausible_fix', 'late_fix']);
    const open = list.find((e) => e.kind === 'concurrent_write')!;
    expect(open.status).toBe('open');
    expect((open.detail['winner'] as { value: string }).value).toBe('delayed');
    expect((open.detail['losers'] as { value: string }[]).map((l) => l.value)).toEqual(['closed']);
    expect(list.find((e) => e.kind === 'late_fix')!.detail).toEqual({ fix_ms: 1_030_000, late_by_ms: 30_000 });
    expect(list.find((e) => e.kind === 'implausible_fix')!.detail['reason']).toBe('implied_speed_over_limit');
    expect(list.find((e) => e.kind === 'gate_denial')!.detail['count']).toBe(2);
    void base;
  });

  it('a_fork_entry_says_whether_this_node_quarantined_the_feed_or_only_heard_of_it', async () => {
    const { conflictSummary } = await import('../../src/node/api/conflict-dto');
    const p = createProjections();
    applyAll(p, south.events);
    const fork = p.conflicts.entries().find((e) => e.kind === 'fork')!;
    const nameOf = (a: string) => (a === south.author ? 'camp-south' : a.slice(0, 4));
    expect(conflictSummary(fork, nameOf, () => true)).toBe('feed abab signed two histories at seq 7; quarantined here (reported by camp-south)');
    expect(conflictSummary(fork, nameOf, () => false)).toContain('reported, not yet checked here');
  });

  it('a_write_that_saw_both_turns_the_open_conflict_into_a_settled_one', () => {
    const settler = north.add('field.set', { record_id: 'R', field: 'status', value: 'closed', deps }, { wall: 4000, counter: 0 });
    const list = entries([...north.events, ...south.events]);
    const writes = list.filter((e) => e.kind === 'concurrent_write');
    expect(writes.map((e) => e.status)).toEqual(['settled']);
    expect((writes[0]!.detail['settled_by'] as { seq: number }).seq).toBe(settler.seq);
    expect((writes[0]!.detail['losers'] as { value: string }[]).map((l) => l.value)).toEqual(['closed']);
    void n;
    void s;
  });

  it('is_the_same_bytes_in_any_arrival_order', () => {
    const all = [...north.events, ...south.events, ...kit.events];
    const hash = (evs: FeedEvent[]) => {
      const p = createProjections();
      applyAll(p, evs);
      return outputHash(p.conflicts.view(), crypto);
    };
    expect(hash([...all].reverse())).toBe(hash(all));
    expect(hash([...all.filter((_, i) => i % 2), ...all.filter((_, i) => !(i % 2))])).toBe(hash(all));
  });

  it('entries_whose_names_look_alike_keep_distinct_ids_and_one_order', () => {
    // Record "a/b" field "c" and record "a" field "b/c", each in conflict at the same instant.
    const x = new FeedBuilder('lookalike-x');
    const y = new FeedBuilder('lookalike-y');
    for (const [rid, field] of [['a/b', 'c'], ['a', 'b/c']] as const) {
      x.add('field.set', { record_id: rid, field, value: 'x', deps: [] }, { wall: 5000, counter: 0 });
      y.add('field.set', { record_id: rid, field, value: 'y', deps: [] }, { wall: 5000, counter: 0 });
    }
    const one = entries([...x.events, ...y.events]);
    const other = entries([...y.events].reverse().concat([...x.events].reverse()));
    expect(new Set(one.map((e) => e.id)).size).toBe(2);
    expect(other).toEqual(one);
  });
});
