// The one way events enter this node's store while it runs: its own writes (gates first, a
// denial recorded and returned, never thrown; then a signed append) and runs from peers or an
// import (the feed rules decide; forks are caught and told to the mesh). Whatever lands is
// handed on (`landed`) to be folded and relayed; this class neither folds nor talks to peers.
import type { Clock } from '../../core/clock/clock';
import type { Hlc, HlcStamp } from '../../core/clock/hlc';
import type { CryptoPort, Signer } from '../../core/crypto/ports';
import type { AuthorId } from '../../core/events/event';
import { bytesEqual } from '../../core/encoding/bytes';
import { encodeCanonical, type ValueMap } from '../../core/encoding/canonical';
import { KINDS } from '../../core/events/kinds';
import type { IncomingRun } from '../../core/feed/ingest';
import type { AdmissionPolicy } from '../../core/feed/admission';
import type { Gate } from '../../core/gates/gate';
import type { NodeDirectory } from '../../core/live/directory';
import type { ForkReportSeen } from '../../core/live/live-state';
import type { DenialLog } from '../../core/store/denial-log';
import type { BatchOutcome, FeedAppender, LocalDraft } from '../../core/store/feed-log';
import type { QuarantineLog } from '../../core/store/quarantine-log';
import type { AppendResultDto } from '../../shared/api';
import type { ProblemLog } from '../problems/problem-log';
import { ForkWatch } from './fork-watch';
import { LocalWriter, OWN_FEED_REFUSALS } from './local-writer';
import { MandalaError } from '../errors';
import type { OwnHeads } from './own-heads';
import type { DamageRegister } from '../repair/damage-register';

const onlyPositions = (drafts: readonly LocalDraft[]): boolean => drafts.length > 0 && drafts.every((d) => d.kind === KINDS.truckPosition);

export interface NodeIdentityPort extends Signer {
  readonly author: AuthorId;
}

/** Where events came from: a peer's connection, or null for this node itself. */
export type Origin = object | null;

export interface NodeWriterOptions {
  readonly store: Pick<FeedAppender, 'ingest' | 'appendLocal' | 'repairEvent'> & Pick<DenialLog, 'recordDenial'> & Pick<QuarantineLog, 'recordFork' | 'quarantined'>;
  readonly crypto: CryptoPort;
  readonly identity: NodeIdentityPort;
  /** The key of this node's report feed; reports go to the node's own feed when absent. */
  readonly reportIdentity?: NodeIdentityPort;
  readonly clock: Clock;
  readonly hlc: Hlc;
  readonly gates?: readonly Gate[];
  /** The heads this node signed, kept outside the database (writing/own-heads.ts). */
  readonly ownHeads?: OwnHeads;
  /** Who may write into this store (a fleet's admissions); every authentic feed when absent. */
  readonly admission?: AdmissionPolicy;
  /** Stored events known damaged (bit rot): a sound copy from a peer puts them back. */
  readonly damage?: DamageRegister;
  /** Damaged events were put back (the fold read their damaged copies before). */
  readonly repaired?: (count: number) => void;
  readonly problems: ProblemLog;
  readonly nameOf: (author: AuthorId) => string;
  /**
   * Events landed in the store: fold them, and tell every peer but `from`. `batchable` when they
   * are only this node's own truck positions: a radio may hold them a moment to send them together.
   */
  readonly landed: (from: Origin, batchable?: boolean) => void;
}

export class NodeWriter {
  private readonly own: LocalWriter;
  private readonly reports: LocalWriter;
  private readonly forks: ForkWatch;

  constructor(private readonly opts: NodeWriterOptions) {
    const { store, clock, hlc, gates, ownHeads } = opts;
    this.own = new LocalWriter({ store, identity: opts.identity, clock, hlc, gates, ownHeads });
    this.reports = opts.reportIdentity ? new LocalWriter({ store, identity: opts.reportIdentity, clock, hlc, gates, ownHeads }) : this.own;
    this.forks = new ForkWatch({ self: opts.identity.author, quarantine: store, crypto: opts.crypto, clock, problems: opts.problems, nameOf: opts.nameOf });
  }

  /** The feed this node's reports go to (its own, unless it keeps a report feed). */
  get reportAuthor(): AuthorId {
    return this.reports.author;
  }

  /** True when reports are kept in a feed of their own. */
  get separateReportFeed(): boolean {
    return this.reports !== this.own;
  }

  /** Appends this node's own events after the gates; a denial is recorded and returned, never thrown. */
  append(drafts: readonly LocalDraft[]): AppendResultDto[] {
    const misplaced = this.misplaced(drafts);
    if (misplaced) return drafts.map(() => ({ ok: false, ...misplaced }));
    return this.appendWith(this.own, drafts);
  }

  /** The first refusal the gates would give these drafts of this node's own (intake checks before it acknowledges). */
  check(drafts: readonly LocalDraft[]): { code: string; message: string } | null {
    return this.misplaced(drafts) ?? this.own.check(drafts);
  }

  /** Attachments' bytes never go in the node's own feed: the radio carries that one. */
  private misplaced(drafts: readonly LocalDraft[]): { code: string; message: string } | null {
    return this.separateReportFeed && drafts.some((d) => d.kind === KINDS.blobChunk) ? { code: 'wrong_feed', message: "an attachment's bytes (blob.chunk) go in the side feed, which stays off the radio" } : null;
  }

  /**
   * Appends drafts inside `settle`, the transaction that removes them from the intake inbox. A
   * feed that may not be written yet (to recover first) throws, so nothing is removed. `stored`
   * hears the results after the commit and before the projections fold them.
   */
  appendSettled(drafts: readonly LocalDraft[], settle: <T>(fn: () => T) => T, stored?: (results: AppendResultDto[]) => void): AppendResultDto[] {
    const results = settle(() => {
      const r = this.own.append(drafts);
      const refused = r.find((x) => !x.ok && OWN_FEED_REFUSALS.has(x.code));
      if (refused && !refused.ok) throw new MandalaError(refused.code, refused.message);
      return r;
    });
    stored?.(results);
    this.opts.landed(null, onlyPositions(drafts));
    return results;
  }

  /** Appends to the feed evidence reports are kept in. */
  appendReport(drafts: readonly LocalDraft[]): AppendResultDto[] {
    return this.appendWith(this.reports, drafts);
  }

  private appendWith(writer: LocalWriter, drafts: readonly LocalDraft[]): AppendResultDto[] {
    const results = writer.append(drafts);
    this.opts.landed(null, onlyPositions(drafts)); // denials are written as events too
    return results;
  }

  /**
   * Stores runs from a peer (or an import); forks it reveals are reported to the mesh. `stored`
   * hears the outcome after the commit and before the projections fold it.
   */
  ingest(runs: IncomingRun[], from: Origin, stored?: (outcome: BatchOutcome) => void): BatchOutcome {
    this.repair(runs);
    const outcome = this.opts.store.ingest(runs, this.opts.clock.nowMs(), this.opts.admission);
    stored?.(outcome);
    for (const ev of outcome.appended) this.observe(ev.hlc, `an event from ${ev.author.slice(0, 8)}`);
    // Own events coming back from peers (a recovery): the record of what was signed follows them.
    for (const author of new Set(outcome.appended.map((e) => e.author))) {
      if (author !== this.opts.identity.author && author !== this.reports.author) continue;
      const last = outcome.appended.filter((e) => e.author === author).pop()!;
      this.opts.ownHeads?.record(author, { seq: last.seq, id: last.id });
    }
    for (const f of outcome.forks) {
      const report = this.forks.detected(f, [this.opts.identity.author, this.reports.author]);
      if (report) this.append([report]);
    }
    if (outcome.appended.length > 0) this.opts.landed(from);
    return outcome;
  }

  /** Puts back damaged stored events from sound copies in what a peer sent. */
  private repair(runs: readonly IncomingRun[]): void {
    const damage = this.opts.damage;
    if (!damage || damage.size === 0) return;
    let repaired = 0;
    for (const run of runs) {
      const from = damage.damagedFrom(run.author);
      if (from === null) continue;
      for (const ev of run.events) {
        if (ev.seq < from) continue;
        if (this.opts.store.repairEvent(ev)) {
          repaired++;
          damage.repaired(run.author, ev.seq);
          this.opts.problems.warn('event_repaired', `${ev.author.slice(0, 8)}#${ev.seq} was damaged on disk and has been put back from a peer's copy`);
        }
      }
    }
    if (repaired > 0) this.opts.repaired?.(repaired);
  }

  /** Fork reports peers made: verified, and where proven, the feed is quarantined here too. */
  absorbForkReports(reports: readonly ForkReportSeen[]): void {
    if (reports.length > 0) this.forks.absorb(reports);
  }

  /**
   * Lets this node's clock follow a stamp it holds, unless the stamp is beyond the drift bound:
   * then the clock stays put and the node says so.
   */
  observe(stamp: HlcStamp, what: string): void {
    const obs = this.opts.hlc.observe(stamp);
    if (!obs.adopted) {
      this.opts.problems.warn('remote_clock_ahead', `${what} is stamped ${Math.round(obs.aheadByMs / 1000)} s ahead of this clock; it was kept, but this node's clock did not follow it`);
    }
  }

  /**
   * Writes node.profile when the directory does not yet show this node's name, report feed and
   * fleet filters. Returns why it could not (its own feed must be recovered first), or null.
   */
  /**
   * Writes this node's profile when its name, report feed or filters changed. The filters go as
   * those that differ from the fleet defaults (`changed`): a profile crosses a radio too.
   */
  announceProfile(name: string, directory: NodeDirectory, filters: ValueMap, changed: ValueMap): { code: string; message: string } | null {
    const self = this.opts.identity.author;
    const reports = this.separateReportFeed ? this.reports.author : null;
    const known = directory.filtersOf(self);
    const sameFilters = known !== null && bytesEqual(encodeCanonical(known), encodeCanonical(filters));
    if (directory.names.get(self) === name && directory.reportFeedOf(self) === reports && sameFilters) return null;
    const [result] = this.append([{ kind: KINDS.nodeProfile, payload: reports ? { name, reports, filters_changed: changed } : { name, filters_changed: changed } }]);
    return result && !result.ok ? { code: result.code, message: result.message } : null;
  }
}
