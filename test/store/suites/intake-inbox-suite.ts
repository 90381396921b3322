// PROVES: any store's intake inbox admits a delivery once per key (in the same batch or later,
//         and across a restart where the store is durable), drains drafts in admission order,
//         and removes only what a drain applied: an apply that fails leaves everything waiting,
//         and a drain's append and its removal commit together.
// CATCHES: a replayed webhook applied twice, drafts reordered or lost, a failed drain that
//          drops positions, a drain that appends without settling (applied twice on restart).
import { describe, expect, it } from 'vitest';
import { localAppender, withStore, type MakeHarness } from './harness';

const fix = (truck: string, n: number) => ({ kind: 'truck.position', payload: { truck, fix_ms: 1_700_000_000_000 + n, lat_e6: n, lon_e6: -n } });
const delivery = (key: string, ...drafts: ReturnType<typeof fix>[]) => ({ key, atMs: 1_000, drafts });

export function runIntakeInboxSuite(name: string, persistent: boolean, make: MakeHarness): void {
  describe(`IntakeInbox acceptance: ${name}`, () => {
    it('a_key_is_admitted_once_in_a_batch_and_after_it', withStore(make, ({ store }) => {
      expect(store.inbox.admitDeliveries([delivery('a', fix('T1', 1), fix('T1', 2)), delivery('b', fix('T2', 1)), delivery('a', fix('T1', 9))])).toEqual(['stored', 'stored', 'duplicate']);
      expect(store.inbox.admitDeliveries([delivery('b', fix('T2', 7))])).toEqual(['duplicate']);
      expect(store.inbox.inboxDepth(), 'only the first a and b are waiting').toBe(3);
    }));

    it('drafts_drain_in_admission_order_with_their_payloads_intact', withStore(make, ({ store }) => {
      store.inbox.admitDeliveries([delivery('a', fix('T1', 1), fix('T1', 2))]);
      store.inbox.admitDeliveries([delivery('b', fix('T2', 3))]);
      const entries = store.inbox.inboxPeek(10);
      expect(entries.map((e) => e.draft)).toEqual([fix('T1', 1), fix('T1', 2), fix('T2', 3)]);
      expect(entries.map((e) => e.row)).toEqual([...entries.map((e) => e.row)].sort((x, y) => x - y));
      expect(store.inbox.inboxPeek(2).length, 'the limit holds').toBe(2);
    }));

    it('settle_removes_what_was_applied_and_a_failed_apply_removes_nothing', withStore(make, ({ store }) => {
      store.inbox.admitDeliveries([delivery('a', fix('T1', 1), fix('T1', 2), fix('T1', 3))]);
      const [first, second] = store.inbox.inboxPeek(2);
      expect(() => store.inbox.inboxSettle(second!.row, () => { throw new Error('disk full'); })).toThrow('disk full');
      expect(store.inbox.inboxDepth(), 'nothing removed by a failed drain').toBe(3);
      const appender = localAppender('intake');
      const stored = store.inbox.inboxSettle(second!.row, () => store.appendLocal(appender, [first!.draft, second!.draft]));
      expect(stored.map((e) => e.seq)).toEqual([1, 2]);
      expect(store.inbox.inboxPeek(10).map((e) => e.draft), 'the third waits').toEqual([fix('T1', 3)]);
      expect(store.head(appender.author)?.seq).toBe(2);
    }));

    it('old_keys_are_forgotten_and_can_be_admitted_again', withStore(make, ({ store }) => {
      store.inbox.admitDeliveries([{ key: 'old', atMs: 100, drafts: [] }, { key: 'new', atMs: 900, drafts: [] }]);
      expect(store.inbox.forgetDeliveriesBefore(500)).toBe(1);
      expect(store.inbox.admitDeliveries([{ key: 'old', atMs: 1000, drafts: [] }, { key: 'new', atMs: 1000, drafts: [] }])).toEqual(['stored', 'duplicate']);
    }));

    if (!persistent) return;
    it('waiting_drafts_and_seen_keys_survive_a_restart', withStore(make, (h) => {
      h.store.inbox.admitDeliveries([delivery('a', fix('T1', 1))]);
      const again = h.reopen!();
      expect(again.inbox.inboxPeek(10).map((e) => e.draft)).toEqual([fix('T1', 1)]);
      expect(again.inbox.admitDeliveries([delivery('a', fix('T1', 1))])).toEqual(['duplicate']);
    }));
  });
}
