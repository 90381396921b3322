// Evidence reports on a running node: make one (signed, stored as a report.created event so it
// replicates), list the ones this node holds (its own and replicated), fetch one, and verify one
// against this node's events with the same check the CLI runs.
import type { FleetSettings } from '../../core/projections/fleet-settings';
import type { Clock } from '../../core/clock/clock';
import type { CryptoPort, Signer } from '../../core/crypto/ports';
import { EventFormatError } from '../../core/events/event';
import { KINDS } from '../../core/events/kinds';
import type { ReplayStore } from '../../core/evidence/replay';
import type { LocalDraft } from '../../core/store/feed-log';
import type { RequestedFreshness } from '../../core/evidence/report-body';
import { reportFromValue, reportToValue, type SignedReport } from '../../core/evidence/report';
import { ReportFormatError } from '../../core/evidence/report-body';
import { verifyReport, type VerifyResult } from '../../core/evidence/verify';
import { isProjectionId } from '../../core/evidence/replay';
import type { AppendResultDto, ReportSummaryDto } from '../../shared/api';
import { MandalaError } from '../errors';
import type { LiveState } from '../../core/live/live-state';
import type { WorkerPool } from '../workers/worker-pool';
import { ReportMaker, type ReportStore } from './report-maker';
import { slicedLiveFold } from './report-fold';
import { every, type Scheduler, type TimerHandle } from '../../core/clock/scheduler';

export interface StoredReport {
  readonly author: string;
  readonly seq: number;
  readonly eventId: string;
  readonly report: SignedReport;
}

export interface EvidenceServiceOptions {
  readonly store: ReportStore & ReplayStore;
  readonly crypto: CryptoPort;
  readonly identity: Signer & { readonly author: string };
  readonly clock: Clock;
  readonly appVersion: string;
  readonly nodeName: () => string | null;
  readonly live: () => LiveState;
  /** Appends to the feed reports are kept in. */
  readonly append: (drafts: readonly LocalDraft[]) => AppendResultDto[];
  /** How that feed is named in messages ("this node's report feed"). */
  readonly feedLabel: string;
  readonly nameOf: (author: string) => string;
  /** The fleet settings the live fold judges fixes under (a report names them). */
  readonly fleetSettings: () => FleetSettings;
  /**
   * Worker threads for a verification's replay, which reads the store there, so the node's event
   * loop stays free. With them (a running node over a store file) a Consistent run is hashed on
   * the live fold in slices; without them (a store with no file) runs and replays are done here.
   */
  readonly workers?: { readonly pool: WorkerPool; readonly dbPath: string; readonly nativeBinding?: string };
}

export interface MadeReport {
  readonly report: SignedReport;
  readonly stored: StoredReport | null;
  readonly message: string;
}

const PAGE = 500;
/** The warm-up stops with this few trucks left: live traffic keeps some changing. */
const WARM_ENOUGH = 64;

function describeFreshness(f: { kind: string; maxStaleMs?: number; reason?: string }): string {
  if (f.kind === 'maybe_stale') return `maybe_stale(${f.maxStaleMs} ms)`;
  return f.reason ? `${f.kind}(${f.reason})` : f.kind;
}

export function reportSummary(s: StoredReport, self: string): ReportSummaryDto {
  const b = s.report.body;
  return {
    ref: { author: s.author, seq: s.seq },
    eventId: s.eventId,
    signer: s.report.signer,
    projection: b.projection,
    generatedAtMs: s.report.metadata.generatedAtMs,
    bodyHash: s.report.bodyHash,
    outputHash: b.outputHash,
    requested: describeFreshness(b.requested),
    observed: describeFreshness(b.observed),
    cache: describeFreshness(b.cache),
    replayMode: b.replayMode,
    feeds: b.input.vector.length,
    hlcHighMs: b.input.hlcHigh?.wall ?? null,
    findings: b.findings.length,
    local: s.report.signer === self,
  };
}

export function parseRequested(maxStaleMs: number | undefined): RequestedFreshness {
  if (maxStaleMs === undefined) return { kind: 'consistent' };
  if (!Number.isSafeInteger(maxStaleMs) || maxStaleMs < 0) throw new MandalaError('bad_max_stale', 'max stale must be a whole number of milliseconds, 0 or more');
  return { kind: 'maybe_stale', maxStaleMs };
}

export class EvidenceService {
  readonly maker: ReportMaker;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly opts: EvidenceServiceOptions) {
    this.maker = new ReportMaker({ store: opts.store, crypto: opts.crypto, identity: opts.identity, clock: opts.clock, appVersion: opts.appVersion, nodeName: opts.nodeName, nameOf: opts.nameOf, fleetSettings: opts.fleetSettings });
  }

  /** Makes a report and stores it as this node's next event. */
  create(projection: string, requested: RequestedFreshness): Promise<MadeReport> {
    if (!isProjectionId(projection)) return Promise.reject(new MandalaError('unknown_projection', `no projection "${projection}"; choose records, fleet or conflicts`));
    if (!this.opts.workers) return Promise.resolve(this.store(this.maker.make(projection, requested, this.opts.live)));
    // On a running node the projections' hashes are incremental: a report re-hashes what changed
    // since the last one, on the live fold, in slices between the loop's other work.
    const fold = slicedLiveFold(this.opts.live, this.opts.crypto, this.opts.clock, () => new Promise((r) => setImmediate(r)));
    return this.track(this.maker.makeAsync(projection, requested, fold).then((r) => this.store(r)));
  }

  /**
   * Makes the fleet's truck digests a first report needs in the background, `sliceMs` of every
   * `everyMs`, until few are left (after a start without a checkpoint, every truck lacks one):
   * the first Consistent fleet report is then as quick as the next. Only the fleet's: its
   * digests are written straight from the trails' columns, while the conflict timeline's are
   * made from entry objects, and making a season of them in the background costs the loop
   * long garbage collections (a conflicts report makes them in its own slices).
   */
  warmUp(scheduler: Scheduler, onError: (e: unknown) => void, everyMs = 50, sliceMs = 4): TimerHandle {
    const handle = every(
      scheduler,
      everyMs,
      () => {
        const until = scheduler.nowMs() + sliceMs;
        const more = () => scheduler.nowMs() < until;
        const { fleet, alerts } = this.opts.live().projections;
        // The fleet's digests first, then the alerts (which the console asks for as it opens).
        const left = fleet.prepareHash(this.opts.crypto, more);
        if (left <= WARM_ENOUGH && alerts.prepareHash(this.opts.crypto, more) <= WARM_ENOUGH) handle.cancel();
      },
      onError,
    );
    return handle;
  }

  /** Resolves once every report being made or verified is done (before the node stops). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  /** Appends a report as a report.created event; a report too large for one event is still returned. */
  store(report: SignedReport): MadeReport {
    let result: AppendResultDto;
    try {
      result = this.opts.append([{ kind: KINDS.reportCreated, payload: reportToValue(report) }])[0]!;
    } catch (e) {
      if (e instanceof EventFormatError && e.code === 'event_too_large') {
        return { report, stored: null, message: `the report was made but is too large to store as an event (${e.message}); export it as a file instead` };
      }
      throw e;
    }
    if (!result.ok) return { report, stored: null, message: `the report was made but not stored: ${result.message}` };
    return { report, stored: { author: result.author, seq: result.seq, eventId: result.id, report }, message: `stored as ${result.author.slice(0, 8)}#${result.seq} (${this.opts.feedLabel})` };
  }

  /** Every report this node holds, newest first; malformed ones are skipped and counted. */
  list(): { reports: StoredReport[]; malformed: number } {
    const reports: StoredReport[] = [];
    let malformed = 0;
    for (let cursor = 0; ; ) {
      const page = this.opts.store.readKinds([KINDS.reportCreated], cursor, PAGE);
      if (page.events.length === 0) break;
      cursor = page.cursor;
      for (const ev of page.events) {
        try {
          reports.push({ author: ev.author, seq: ev.seq, eventId: ev.id, report: reportFromValue(ev.payload) });
        } catch (e) {
          if (!(e instanceof ReportFormatError)) throw e;
          malformed++;
        }
      }
    }
    reports.sort((a, b) => b.report.metadata.generatedAtMs - a.report.metadata.generatedAtMs || (a.eventId < b.eventId ? -1 : 1));
    return { reports, malformed };
  }

  get(author: string, seq: number): StoredReport {
    const ev = this.opts.store.readRange(author, seq, seq)[0];
    if (!ev || ev.kind !== KINDS.reportCreated) throw new MandalaError('report_not_found', `this node holds no report at ${author.slice(0, 8)}#${seq}`);
    try {
      return { author, seq, eventId: ev.id, report: reportFromValue(ev.payload) };
    } catch (e) {
      if (e instanceof ReportFormatError) throw new MandalaError('malformed_report', `the event at ${author.slice(0, 8)}#${seq} is not a well-formed report: ${e.message}`);
      throw e;
    }
  }

  async verify(report: SignedReport): Promise<VerifyResult> {
    const w = this.opts.workers;
    if (!w) return verifyReport(report, this.opts.crypto, { store: this.opts.store, nameOf: this.opts.nameOf });
    const names = report.body.input.vector.map((e) => [e.author, this.opts.nameOf(e.author)] as const);
    return this.track(w.pool.run('verifyReport', { dbPath: w.dbPath, nativeBinding: w.nativeBinding, report: reportToValue(report), names }));
  }
}
