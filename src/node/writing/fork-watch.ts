// Forks, as the node handles them beyond its store. A fork this node detects is told to the mesh
// (a fork.report carrying the evidence, when small enough), so others can check it and
// quarantine the feed too; a fork another node reports is verified here before it quarantines
// anything, because a report is only a claim until its evidence checks out.
import type { Clock } from '../../core/clock/clock';
import type { CryptoPort } from '../../core/crypto/ports';
import type { AuthorId } from '../../core/events/event';
import { KINDS } from '../../core/events/kinds';
import { decodeForkEvidence, encodeForkEvidence, verifyForkEvidence } from '../../core/feed/fork-evidence';
import type { ForkEvidence } from '../../core/feed/ledger';
import type { ForkReportSeen } from '../../core/live/live-state';
import type { LocalDraft } from '../../core/store/feed-log';
import type { QuarantineLog } from '../../core/store/quarantine-log';
import type { ProblemLog } from '../problems/problem-log';

/** Fork evidence travels inside the report up to this size (longer proofs stay local). */
const MAX_FORK_EVIDENCE_BYTES = 8 * 1024;

export interface ForkWatchOptions {
  readonly self: AuthorId;
  readonly quarantine: Pick<QuarantineLog, 'recordFork'>;
  readonly crypto: CryptoPort;
  readonly clock: Clock;
  readonly problems: ProblemLog;
  readonly nameOf: (author: AuthorId) => string;
}

export class ForkWatch {
  constructor(private readonly opts: ForkWatchOptions) {}

  /**
   * The store caught a fork: warns, and returns the fork.report to append, or null when the feed
   * is this node's own (another machine signs with the same identity): its own feed is frozen
   * now, and the node that holds the other history reports it.
   */
  detected(f: ForkEvidence, ownFeeds: readonly AuthorId[]): LocalDraft | null {
    if (ownFeeds.includes(f.author)) {
      this.opts.problems.warn(
        'own_feed_forked',
        `another machine is signing as this node (the same identity.pem in two data folders?): it wrote a different event at seq ${f.seq} of this node's feed. The feed is quarantined everywhere and this node can no longer write to it; give one of the machines a new identity with \`mandala init\` in an empty folder.`,
      );
      return null;
    }
    this.opts.problems.warn('fork_detected', `feed ${f.author.slice(0, 8)} forked at seq ${f.seq}: its author signed two histories. The feed is quarantined and the evidence kept.`);
    const evidence = encodeForkEvidence(f);
    return { kind: KINDS.forkReport, payload: { author: f.author, seq: f.seq, evidence: evidence.length <= MAX_FORK_EVIDENCE_BYTES ? evidence : null } };
  }

  /** Peers reported forks: where the evidence proves it, quarantine that feed here too. */
  absorb(reports: readonly ForkReportSeen[]): void {
    const { problems, nameOf } = this.opts;
    for (const r of reports) {
      if (r.reporter === this.opts.self) continue;
      try {
        const f = decodeForkEvidence(r.evidence);
        if (verifyForkEvidence(f, this.opts.crypto) && this.opts.quarantine.recordFork(f, this.opts.clock.nowMs())) {
          problems.warn('fork_reported', `${nameOf(r.reporter)} proved that feed ${f.author.slice(0, 8)} forked at seq ${f.seq}; it is quarantined here too.`);
        }
      } catch {
        problems.warn('bad_fork_report', `${nameOf(r.reporter)} sent a fork report whose evidence could not be read; it was ignored`);
      }
    }
  }
}
