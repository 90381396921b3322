// PROVES: any FeedStore enforces the feed rules: authenticity, contiguity with a pending
//         buffer, idempotence, chain integrity, fork detection with quarantine, and reports
//         arrival order, denials and signature cut points.
// CATCHES: a store that applies unsigned or forged events, loses buffered events, double-applies
//          duplicates, silently merges a fork, or rolls half a batch.
// Run by each store's own test file (sqlite-store.test.ts, memory-store.test.ts).
import { describe, expect, it } from 'vitest';
import type { FeedStore } from '../../src/core/store/feed-store';
import type { LocalAppender } from '../../src/core/store/feed-log';
import { verifyForkEvidence } from '../../src/core/feed/fork-evidence';
import { signHead } from '../../src/core/feed/head';
import { crypto, FeedBuilder, forkOf, identity } from '../support/feeds';
import { sealEvent, type FeedEvent } from '../../src/core/events/event';
import { importedAuthorId } from '../../src/core/import/imported-author';
import { TRANSIENT_REJECTIONS } from '../../src/core/feed/ingest';
import { LiveState } from '../../src/core/live/live-state';
import { projectionHashes } from '../../src/core/projections/set';

export interface StoreHarness {
  store: FeedStore;
  /** Close and reopen the same store (SQLite); null for stores that cannot survive a restart. */
  reopen: (() => FeedStore) | null;
  cleanup: () => void;
}

const NOW = 1_700_000_500_000;

export function localAppender(label: string): LocalAppender {
  const id = identity(label);
  let wall = 1_700_000_000_000;
  return {
    author: id.author,
    stamp: ({ head }) => ({ wall: Math.max(++wall, head ? head.hlc.wall + 1 : 0), counter: 0 }),
    signHead: (seq, eventId) => signHead(id, id.author, seq, eventId),
  };
}

export function runFeedStoreSuite(name: string, persistent: boolean, make: () => StoreHarness): void {
  describe(`FeedStore acceptance: ${name}`, () => {
    function withStore(fn: (h: StoreHarness) => void): () => void {
      return () => {
        const h = make();
        try {
          fn(h);
        } finally {
          h.cleanup();
        }
      };
    }

    it('empty_store_has_empty_frontier', withStore(({ store }) => {
      expect(store.frontier().size).toBe(0);
      expect(store.eventCount()).toBe(0);
      expect(store.readSince(0, 10).events).toEqual([]);
      expect(store.lastPosition()).toBe(0);
    }));

    it('local_appends_form_a_signed_contiguous_chain', withStore(({ store }) => {
      const app = localAppender('local');
      const evs = store.appendLocal(app, [
        { kind: 'record.create', payload: { record_id: 'R-1', form: 'site' } },
        { kind: 'field.set', payload: { record_id: 'R-1', field: 'status', value: 'open' } },
      ]);
      const more = store.appendLocal(app, [{ kind: 'note.add', payload: { record_id: 'R-1', text: 'hi' } }]);
      expect(evs.map((e) => e.seq)).toEqual([1, 2]);
      expect(more[0]!.seq).toBe(3);
      expect(more[0]!.prev).toBe(evs[1]!.id);
      expect(evs[1]!.prev).toBe(evs[0]!.id);
      expect(store.frontier().get(app.author)).toEqual({ seq: 3, id: more[0]!.id });
      expect(store.signedSeqs(app.author, 1, 3)).toEqual([1, 2, 3]);
      expect(more[0]!.hlc.wall).toBeGreaterThan(evs[1]!.hlc.wall);
    }));

    it('a_signed_run_is_appended_and_read_back_byte_identical', withStore(({ store }) => {
      const b = new FeedBuilder('peer-a');
      b.addMany(5);
      const out = store.ingest([b.run(1, 5)], NOW);
      expect(out.appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(out.rejections).toEqual([]);
      const back = store.readRange(b.author, 1, 5);
      expect(back.map((e) => Buffer.from(e.bytes).toString('hex'))).toEqual(b.events.map((e) => Buffer.from(e.bytes).toString('hex')));
      expect(back[4]!.sig).not.toBeNull();
      expect(back[0]!.sig).toBeNull();
      expect(store.frontier().get(b.author)?.seq).toBe(5);
    }));

    it('ingesting_the_same_run_twice_is_idempotent', withStore(({ store }) => {
      const b = new FeedBuilder('peer-a');
      b.addMany(3);
      store.ingest([b.run(1, 3)], NOW);
      const again = store.ingest([b.run(1, 3), b.run(2, 3)], NOW);
      expect(again.appended).toEqual([]);
      expect(again.duplicates).toBe(5);
      expect(store.eventCount()).toBe(3);
    }));

    it('out_of_order_runs_wait_in_the_pending_buffer_until_the_gap_fills', withStore(({ store }) => {
      const b = new FeedBuilder('peer-a');
      b.addMany(10);
      const first = store.ingest([b.run(6, 10)], NOW);
      expect(first.appended).toEqual([]);
      expect(first.buffered).toBe(5);
      expect(store.frontier().has(b.author)).toBe(false);
      expect(store.pendingCount()).toBe(5);
      const second = store.ingest([b.run(1, 5)], NOW);
      expect(second.appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(store.pendingCount()).toBe(0);
    }));

    it('an_unsigned_run_is_never_applied_until_a_signature_above_reaches_it', withStore(({ store }) => {
      const b = new FeedBuilder('peer-a');
      b.addMany(8);
      const unsigned = store.ingest([b.run(1, 4, false)], NOW);
      expect(unsigned.appended).toEqual([]);
      expect(unsigned.buffered).toBe(4);
      const signedAbove = store.ingest([b.run(5, 8)], NOW);
      expect(signedAbove.appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }));

    it('a_signed_top_run_authenticates_unsigned_runs_that_arrive_below_it_later', withStore(({ store }) => {
      const b = new FeedBuilder('peer-a');
      b.addMany(9);
      store.ingest([b.run(7, 9)], NOW); // newest first, signed
      store.ingest([b.run(4, 6, false)], NOW); // links up to the signed run
      const out = store.ingest([b.run(1, 3, false)], NOW);
      expect(out.appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }));

    it('a_forged_signature_is_rejected_and_other_runs_in_the_batch_still_land', withStore(({ store }) => {
      const good = new FeedBuilder('peer-a');
      good.addMany(2);
      const victim = new FeedBuilder('peer-b');
      victim.addMany(2);
      const forged = { ...victim.run(1, 2), sig: signHead(identity('mallory'), victim.author, 2, victim.events[1]!.id) };
      const out = store.ingest([forged, good.run(1, 2)], NOW);
      expect(out.rejections.map((r) => r.code)).toEqual(['bad_signature']);
      expect(store.frontier().has(victim.author)).toBe(false);
      expect(store.frontier().get(good.author)?.seq).toBe(2);
    }));

    it('a_run_with_a_broken_chain_is_rejected_with_a_reason', withStore(({ store }) => {
      const a = new FeedBuilder('peer-a');
      a.addMany(3);
      const broken = { author: a.author, events: [a.events[0]!, a.events[2]!], sig: a.sig(3) };
      expect(store.ingest([broken], NOW).rejections[0]!.code).toBe('seq_gap_in_run');
    }));

    it('a_fork_is_kept_as_evidence_and_quarantines_the_feed', withStore(({ store }) => {
      const a = new FeedBuilder('peer-a');
      a.addMany(4);
      store.ingest([a.run(1, 4)], NOW);
      const f = forkOf(a, 3);
      const out = store.ingest([f.run(3, 3)], NOW);
      expect(out.forks).toHaveLength(1);
      expect(store.quarantined()).toEqual([a.author]);
      const [rec] = store.forks();
      expect(rec!.seq).toBe(3);
      expect(verifyForkEvidence(rec!, crypto)).toBe(true);
      a.addMany(1);
      const later = store.ingest([a.run(5, 5)], NOW);
      expect(later.rejections[0]!.code).toBe('feed_quarantined');
      expect(store.frontier().get(a.author)?.seq).toBe(4);
      expect(store.ingest([a.run(1, 4)], NOW).duplicates).toBe(4);
    }));

    it('a_fork_that_shows_as_a_different_prev_at_head_plus_one_is_detected', withStore(({ store }) => {
      const a = new FeedBuilder('peer-a');
      a.addMany(3);
      store.ingest([a.run(1, 3)], NOW);
      const f = forkOf(a, 3);
      f.addMany(1); // seq 4 on the other history names the other seq 3
      const out = store.ingest([f.run(4, 4)], NOW);
      expect(out.forks).toHaveLength(1);
      expect(verifyForkEvidence(out.forks[0]!, crypto)).toBe(true);
      expect(store.quarantined()).toEqual([a.author]);
    }));

    it('an_unauthenticated_conflict_is_refused_without_quarantine', withStore(({ store }) => {
      const a = new FeedBuilder('peer-a');
      a.addMany(3);
      store.ingest([a.run(1, 3)], NOW);
      const f = forkOf(a, 2);
      const out = store.ingest([f.run(2, 2, false)], NOW);
      expect(out.rejections[0]!.code).toBe('conflicts_with_stored');
      expect(store.quarantined()).toEqual([]);
    }));

    it('a_signed_duplicate_adds_a_new_signature_cut_point', withStore(({ store }) => {
      const a = new FeedBuilder('peer-a');
      a.addMany(6);
      store.ingest([a.run(1, 6)], NOW);
      expect(store.signedSeqs(a.author, 1, 6)).toEqual([6]);
      store.ingest([a.run(1, 3)], NOW);
      expect(store.signedSeqs(a.author, 1, 6)).toEqual([3, 6]);
    }));

    it('read_since_returns_events_in_arrival_order_with_a_cursor', withStore(({ store }) => {
      const a = new FeedBuilder('peer-a');
      const b = new FeedBuilder('peer-b');
      a.addMany(2);
      b.addMany(2);
      store.ingest([b.run(1, 2)], NOW);
      store.ingest([a.run(1, 2)], NOW);
      const p1 = store.readSince(0, 3);
      expect(p1.events.map((e) => `${e.author === a.author ? 'a' : 'b'}${e.seq}`)).toEqual(['b1', 'b2', 'a1']);
      const p2 = store.readSince(p1.cursor, 10);
      expect(p2.events.map((e) => e.seq)).toEqual([2]);
      expect(store.readSince(p2.cursor, 10).events).toEqual([]);
      // The last position is where reading from leaves nothing more to read.
      expect(store.lastPosition()).toBe(p2.cursor);
      expect(store.readSince(store.lastPosition() - 1, 10).events).toHaveLength(1);
    }));

    it('denials_are_recorded_newest_first', withStore(({ store }) => {
      store.recordDenial({ atMs: 1, gate: 'schema', code: 'schema_invalid', message: 'first', kind: 'x' });
      store.recordDenial({ atMs: 2, gate: 'schema', code: 'schema_invalid', message: 'second', kind: 'x' });
      expect(store.denials(10).map((d) => d.message)).toEqual(['second', 'first']);
    }));

    it('highest_hlc_is_the_greatest_stamp_held', withStore(({ store }) => {
      const a = new FeedBuilder('peer-a');
      a.add('note.add', { record_id: 'R', text: 'x' }, { wall: 50, counter: 2 });
      a.add('note.add', { record_id: 'R', text: 'y' }, { wall: 50, counter: 9 });
      a.add('note.add', { record_id: 'R', text: 'z' }, { wall: 40, counter: 0 });
      store.ingest([a.run(1, 3)], NOW);
      expect(store.highestHlc()).toEqual({ wall: 50, counter: 9 });
    }));

    it('an_imported_feed_is_accepted_only_as_far_as_its_attesters_vouched_and_only_for_imported_authors', withStore(({ store }) => {
      const importer = new FeedBuilder('importer');
      const imported = importedAuthorId('base', crypto);
      // An imported feed's events, with heads signed by the importer's key.
      const feed: FeedEvent[] = [];
      for (let seq = 1; seq <= 5; seq++) {
        feed.push(sealEvent({ author: imported, seq, prev: feed[seq - 2]?.id ?? null, hlc: { wall: 1_700_000_000_000 + seq, counter: 0 }, kind: 'note.add', payload: { record_id: 'R', text: `n${seq}` } }, crypto));
      }
      const runTo = (to: number, by: { author: string; sign: (m: Uint8Array) => Uint8Array; publicKey: Uint8Array }, from = 1) => ({ author: imported, events: feed.slice(from - 1, to), sig: signHead(by, imported, to, feed[to - 1]!.id) });
      const codes = (r: { rejections: { code: string }[] }) => r.rejections.map((x) => x.code);
      expect(codes(store.ingest([runTo(3, importer.id)], NOW))).toEqual(['import_not_attested']);
      expect(TRANSIENT_REJECTIONS.has('import_not_attested')).toBe(true);
      // The importer's own (signed) feed vouches for the feed up to seq 3; now that run is accepted.
      importer.add('import.attest', { source: { format: 'meshlogd-jsonl' }, feeds: [{ author: imported, name: 'base', seq: 3, head: feed[2]!.id }] });
      expect(store.ingest([importer.run(1, 1)], NOW).appended).toHaveLength(1);
      expect(store.attestationsOf(imported)).toEqual([{ attester: importer.author, seq: 3, head: feed[2]!.id }]);
      expect(store.ingest([runTo(3, importer.id)], NOW).appended).toHaveLength(3);
      // Not beyond what it vouched for, even with its own key...
      expect(codes(store.ingest([runTo(4, importer.id, 4)], NOW))).toEqual(['beyond_attestation']);
      // ...nor by a node that never attested the feed...
      expect(codes(store.ingest([runTo(4, identity('stranger'), 4)], NOW))).toEqual(['bad_signature']);
      // ...and another attester reaches only as far as its own word, which is on record in its feed.
      const other = new FeedBuilder('other-importer');
      other.add('import.attest', { feeds: [{ author: imported, name: 'base', seq: 4, head: 'ab'.repeat(32) }] });
      store.ingest([other.run(1, 1)], NOW);
      expect(codes(store.ingest([runTo(4, other.id, 4)], NOW))).toEqual(['attested_head_mismatch']);
      importer.add('import.attest', { feeds: [{ author: imported, name: 'base', seq: 5, head: feed[4]!.id }] });
      store.ingest([importer.run(2, 2)], NOW);
      expect(store.ingest([runTo(5, importer.id, 4)], NOW).appended).toHaveLength(2);
      // An attestation cannot cover a real node's feed.
      const victim = new FeedBuilder('victim');
      importer.add('import.attest', { feeds: [{ author: victim.author, name: 'victim', seq: 1, head: 'cd'.repeat(32) }] });
      store.ingest([importer.run(3, 3)], NOW);
      expect(store.attestationsOf(victim.author)).toEqual([]);
      const forged = sealEvent({ author: victim.author, seq: 1, prev: null, hlc: { wall: 1, counter: 0 }, kind: 'note.add', payload: { record_id: 'R', text: 'forged' } }, crypto);
      expect(codes(store.ingest([{ author: victim.author, events: [forged], sig: signHead(importer.id, victim.author, 1, forged.id) }], NOW))).toEqual(['bad_signature']);
    }));

    it('a_saved_checkpoint_is_read_back_and_restores_the_same_fold', () => {
      const h = make();
      try {
        const a = new FeedBuilder('cp-a');
        for (let i = 0; i < 30; i++) a.add(i % 3 ? 'truck.position' : 'field.set', i % 3 ? { truck: 'T-1', fix_ms: 1_700_000_000_000 + i * 1000, lat_e6: 1_000_000 + i, lon_e6: 36_000_000 + i } : { record_id: 'R', field: 'f', value: i, deps: [] });
        h.store.ingest([a.run(1, 20)], NOW);
        const live = LiveState.open(h.store, crypto);
        h.store.saveCheckpoint(live.checkpoint(NOW, crypto), 2);
        h.store.ingest([a.run(21, 30)], NOW);
        const store = h.reopen ? h.reopen() : h.store;
        const restored = LiveState.open(store, crypto);
        expect(restored.checkpointProblem).toBeNull();
        expect(restored.startedFrom?.events).toBe(20);
        const scratch = new LiveState();
        scratch.catchUp(store);
        expect(projectionHashes(restored.projections, crypto)).toEqual(projectionHashes(scratch.projections, crypto));
        expect(restored.eventCount).toBe(30);
      } finally {
        h.cleanup();
      }
    });

    if (!persistent) return; // the checks below are about surviving a restart
    it('buffered_events_and_quarantine_survive_a_restart', () => {
      const h = make();
      try {
        const a = new FeedBuilder('peer-a');
        a.addMany(6);
        h.store.ingest([a.run(4, 6)], NOW);
        const q = new FeedBuilder('peer-q');
        q.addMany(2);
        h.store.ingest([q.run(1, 2)], NOW);
        h.store.ingest([forkOf(q, 2).run(2, 2)], NOW);
        const reopened = h.reopen!();
        expect(reopened.pendingCount()).toBe(3);
        expect(reopened.quarantined()).toEqual([q.author]);
        expect(reopened.ingest([a.run(1, 3)], NOW).appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      } finally {
        h.cleanup();
      }
    });
  });
}
