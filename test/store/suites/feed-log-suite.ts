// PROVES: any store's feed log and appender enforce the feed rules: authenticity, contiguity with
//         a pending buffer, idempotence, chain integrity, attested imports, and report arrival
//         order and signature cut points.
// CATCHES: a store that applies unsigned or forged events, loses buffered events, double-applies
//          duplicates, or rolls half a batch.
import { describe, expect, it } from 'vitest';
import { signHead } from '../../../src/core/feed/head';
import { sealEvent, type FeedEvent } from '../../../src/core/events/event';
import { importedAuthorId } from '../../../src/core/import/imported-author';
import { TRANSIENT_REJECTIONS } from '../../../src/core/feed/ingest';
import { crypto, FeedBuilder, identity } from '../../support/feeds';
import { localAppender, NOW, withStore, type MakeHarness } from './harness';

export function runFeedLogSuite(name: string, persistent: boolean, make: MakeHarness): void {
  describe(`FeedLog acceptance: ${name}`, () => {
    it('empty_store_has_empty_frontier', withStore(make, ({ store }) => {
      expect(store.frontier().size).toBe(0);
      expect(store.eventCount()).toBe(0);
      expect(store.readSince(0, 10).events).toEqual([]);
      expect(store.lastPosition()).toBe(0);
    }));

    it('local_appends_form_a_signed_contiguous_chain', withStore(make, ({ store }) => {
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
      expect(store.signedSeqs(app.author, 1, 3), 'the last of each batch is signed').toEqual([2, 3]);
      expect(more[0]!.hlc.wall).toBeGreaterThan(evs[1]!.hlc.wall);
    }));

    it('a_long_local_batch_is_signed_every_8_seqs_and_at_its_end', withStore(make, ({ store }) => {
      const app = localAppender('long');
      store.appendLocal(app, [{ kind: 'note.add', payload: { record_id: 'R-1', text: 'first' } }]);
      store.appendLocal(app, Array.from({ length: 20 }, (_, i) => ({ kind: 'note.add', payload: { record_id: 'R-1', text: `n${i}` } })));
      expect(store.signedSeqs(app.author, 1, 21), 'seq 1 ended its batch; 8 and 16; 21 ends this one').toEqual([1, 8, 16, 21]);
    }));

    it('a_signed_run_is_appended_and_read_back_byte_identical', withStore(make, ({ store }) => {
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

    it('ingesting_the_same_run_twice_is_idempotent', withStore(make, ({ store }) => {
      const b = new FeedBuilder('peer-a');
      b.addMany(3);
      store.ingest([b.run(1, 3)], NOW);
      const again = store.ingest([b.run(1, 3), b.run(2, 3)], NOW);
      expect(again.appended).toEqual([]);
      expect(again.duplicates).toBe(5);
      expect(store.eventCount()).toBe(3);
    }));

    it('out_of_order_runs_wait_in_the_pending_buffer_until_the_gap_fills', withStore(make, ({ store }) => {
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

    it('an_unsigned_run_is_never_applied_until_a_signature_above_reaches_it', withStore(make, ({ store }) => {
      const b = new FeedBuilder('peer-a');
      b.addMany(8);
      const unsigned = store.ingest([b.run(1, 4, false)], NOW);
      expect(unsigned.appended).toEqual([]);
      expect(unsigned.buffered).toBe(4);
      const signedAbove = store.ingest([b.run(5, 8)], NOW);
      expect(signedAbove.appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }));

    it('a_signed_top_run_authenticates_unsigned_runs_that_arrive_below_it_later', withStore(make, ({ store }) => {
      const b = new FeedBuilder('peer-a');
      b.addMany(9);
      store.ingest([b.run(7, 9)], NOW); // newest first, signed
      store.ingest([b.run(4, 6, false)], NOW); // links up to the signed run
      const out = store.ingest([b.run(1, 3, false)], NOW);
      expect(out.appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }));

    it('a_forged_signature_is_rejected_and_other_runs_in_the_batch_still_land', withStore(make, ({ store }) => {
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

    it('a_run_with_a_broken_chain_is_rejected_with_a_reason', withStore(make, ({ store }) => {
      const a = new FeedBuilder('peer-a');
      a.addMany(3);
      const broken = { author: a.author, events: [a.events[0]!, a.events[2]!], sig: a.sig(3) };
      expect(store.ingest([broken], NOW).rejections[0]!.code).toBe('seq_gap_in_run');
    }));

    it('a_signed_duplicate_adds_a_new_signature_cut_point', withStore(make, ({ store }) => {
      const a = new FeedBuilder('peer-a');
      a.addMany(6);
      store.ingest([a.run(1, 6)], NOW);
      expect(store.signedSeqs(a.author, 1, 6)).toEqual([6]);
      store.ingest([a.run(1, 3)], NOW);
      expect(store.signedSeqs(a.author, 1, 6)).toEqual([3, 6]);
    }));

    it('read_since_returns_events_in_arrival_order_with_a_cursor', withStore(make, ({ store }) => {
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

    it('highest_hlc_is_the_greatest_stamp_held', withStore(make, ({ store }) => {
      const a = new FeedBuilder('peer-a');
      a.add('note.add', { record_id: 'R', text: 'x' }, { wall: 50, counter: 2 });
      a.add('note.add', { record_id: 'R', text: 'y' }, { wall: 50, counter: 9 });
      a.add('note.add', { record_id: 'R', text: 'z' }, { wall: 40, counter: 0 });
      store.ingest([a.run(1, 3)], NOW);
      expect(store.highestHlc()).toEqual({ wall: 50, counter: 9 });
    }));

    it('an_imported_feed_is_accepted_only_as_far_as_its_attesters_vouched_and_only_for_imported_authors', withStore(make, ({ store }) => {
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

    if (!persistent) return; // about surviving a restart
    it('buffered_events_survive_a_restart', withStore(make, (h) => {
      const a = new FeedBuilder('peer-a');
      a.addMany(6);
      h.store.ingest([a.run(4, 6)], NOW);
      const reopened = h.reopen!();
      expect(reopened.pendingCount()).toBe(3);
      expect(reopened.ingest([a.run(1, 3)], NOW).appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    }));
  });
}
