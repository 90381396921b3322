// PROVES: any store's quarantine log keeps a fork (an author signing two histories) as verifiable
//         evidence and quarantines the feed, whether ingest caught it or a peer's report proved it,
//         and refuses an unauthenticated contradiction without quarantining anyone.
// CATCHES: a silently merged fork; a forger who gets an honest feed quarantined; quarantine lost
//          on restart.
import { describe, expect, it } from 'vitest';
import { verifyForkEvidence } from '../../../src/core/feed/fork-evidence';
import { crypto, FeedBuilder, forkOf } from '../../support/feeds';
import { NOW, withStore, type MakeHarness } from './harness';

export function runQuarantineLogSuite(name: string, persistent: boolean, make: MakeHarness): void {
  describe(`QuarantineLog acceptance: ${name}`, () => {
    it('a_fork_is_kept_as_evidence_and_quarantines_the_feed', withStore(make, ({ store }) => {
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

    it('a_fork_that_shows_as_a_different_prev_at_head_plus_one_is_detected', withStore(make, ({ store }) => {
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

    it('an_unauthenticated_conflict_is_refused_without_quarantine', withStore(make, ({ store }) => {
      const a = new FeedBuilder('peer-a');
      a.addMany(3);
      store.ingest([a.run(1, 3)], NOW);
      const f = forkOf(a, 2);
      const out = store.ingest([f.run(2, 2, false)], NOW);
      expect(out.rejections[0]!.code).toBe('conflicts_with_stored');
      expect(store.quarantined()).toEqual([]);
    }));

    it('a_fork_learned_from_a_peer_quarantines_the_feed_once', withStore(make, ({ store }) => {
      const a = new FeedBuilder('peer-a');
      a.addMany(3);
      store.ingest([a.run(1, 3)], NOW);
      // Evidence as another store caught it.
      const [evidence] = (() => {
        const h = make();
        try {
          h.store.ingest([a.run(1, 3)], NOW);
          return h.store.ingest([forkOf(a, 2).run(2, 2)], NOW).forks;
        } finally {
          h.cleanup();
        }
      })();
      expect(evidence, 'the other store caught the fork').toBeDefined();
      expect(store.recordFork(evidence!, NOW), 'first report quarantines').toBe(true);
      expect(store.recordFork(evidence!, NOW + 1), 'a repeat changes nothing').toBe(false);
      expect(store.quarantined()).toEqual([a.author]);
      expect(store.forks()).toHaveLength(1);
      expect(store.forks()[0]!.detectedAtMs).toBe(NOW);
    }));

    if (!persistent) return; // about surviving a restart
    it('quarantine_survives_a_restart', withStore(make, (h) => {
      const q = new FeedBuilder('peer-q');
      q.addMany(2);
      h.store.ingest([q.run(1, 2)], NOW);
      h.store.ingest([forkOf(q, 2).run(2, 2)], NOW);
      const reopened = h.reopen!();
      expect(reopened.quarantined()).toEqual([q.author]);
      expect(verifyForkEvidence(reopened.forks()[0]!, crypto)).toBe(true);
    }));
  });
}
