// Making an evidence report for one projection run, on this node:
//   - Consistent: fold to everything held now (the live fold, itself started from a checkpoint
//     or the first event; on a running node hashed in slices, so the event loop stays free); the
//     cache is bypassed for reading, and the result is cached.
//   - MaybeStale{max}: the newest cached output no older than `max` is a hit (no fold, no hash);
//     otherwise a miss, computed as for Consistent. A cache that cannot be read is "unavailable"
//     with the reason, and the run goes on without it.
//   - A run that fails still yields a signed report: observed freshness "unavailable" with the
//     reason, no output hash, and a run_failed finding.
// The report is signed by the node's key. Storing it as a report.created event is the caller's.
import type { Clock } from '../../core/clock/clock';
import type { CryptoPort, Signer } from '../../core/crypto/ports';
import type { CachedOutputRow } from '../../core/store/output-cache';
import type { FeedAppender, FeedLog } from '../../core/store/feed-log';
import type { OutputCache } from '../../core/store/output-cache';
import type { QuarantineLog } from '../../core/store/quarantine-log';

/** What making a report reads and writes of the store. */
export type ReportStore = OutputCache & Pick<FeedLog, 'readKinds'> & Pick<FeedAppender, 'pendingCount'> & Pick<QuarantineLog, 'quarantined'>;
import { decodeCachedOutput, encodeCachedOutput, type CachedOutput } from '../../core/evidence/cache-entry';
import { makeInputFrontier, type InputFrontier } from '../../core/evidence/input-frontier';
import {
  REPORT_SCHEMA_VERSION,
  sortFindings,
  type CacheStatus,
  type ObservedFreshness,
  type ReportBody,
  type ReportFinding,
  type RequestedFreshness,
} from '../../core/evidence/report-body';
import { sealReport, type SignedReport } from '../../core/evidence/report';
import type { Projection } from '../../core/projections/projection';
import { createProjections, projectionById, type ProjectionId } from '../../core/projections/set';
import { isMandalaError, MandalaError } from '../errors';
import type { FleetSettings } from '../../core/projections/fleet-settings';
import { reportSettings } from '../../core/evidence/report-settings';
import { encodeCanonical, type ValueMap } from '../../core/encoding/canonical';
import { bytesEqual } from '../../core/encoding/bytes';

function sameValue(a: ValueMap | undefined, b: ValueMap | undefined): boolean {
  return a === undefined || b === undefined ? a === b : bytesEqual(encodeCanonical(a), encodeCanonical(b));
}
import type { LiveState } from '../../core/live/live-state';
import { liveFold, type FoldedRun, type FoldSource } from './report-fold';

/** Cached outputs kept per projection. */
const CACHE_KEEP = 4;

export interface ReportMakerOptions {
  /** Null when the store could not even be opened: every run then fails, with a report that says so. */
  readonly store: ReportStore | null;
  readonly crypto: CryptoPort;
  readonly identity: Signer;
  readonly clock: Clock;
  readonly appVersion: string;
  readonly nodeName: () => string | null;
  readonly nameOf?: (author: string) => string;
  /** The fleet settings the node's fold runs under (a report names them). */
  readonly fleetSettings: () => FleetSettings;
}

interface Run {
  input: InputFrontier;
  outputHash: string | null;
  replayMode: ReportBody['replayMode'];
  checkpoint: ReportBody['checkpoint'];
  observed: ObservedFreshness;
  cache: CacheStatus;
  findings: ReportFinding[];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export class ReportMaker {
  constructor(private readonly opts: ReportMakerOptions) {}

  /** Makes a report on the live fold, here and now (`live` is called inside the run). */
  make(projection: ProjectionId, requested: RequestedFreshness, live: () => LiveState): SignedReport {
    const started = this.opts.clock.nowMs();
    const diagnostics: Record<string, number | string> = {};
    let run: Run;
    try {
      const begun = this.begin(projection, requested, diagnostics);
      run = 'run' in begun ? begun.run : this.finish(projection, begun.cache, liveFold(live, this.opts.crypto, this.opts.clock)(projection), diagnostics);
    } catch (e) {
      run = this.failed(requested, e);
    }
    return this.seal(projection, requested, run, started, diagnostics);
  }

  /** Makes a report whose fold comes from `fold` (a worker thread), awaited off the event loop. */
  async makeAsync(projection: ProjectionId, requested: RequestedFreshness, fold: FoldSource): Promise<SignedReport> {
    const started = this.opts.clock.nowMs();
    const diagnostics: Record<string, number | string> = {};
    let run: Run;
    try {
      const begun = this.begin(projection, requested, diagnostics);
      run = 'run' in begun ? begun.run : this.finish(projection, begun.cache, await fold(projection), diagnostics);
    } catch (e) {
      run = this.failed(requested, e);
    }
    return this.seal(projection, requested, run, started, diagnostics);
  }

  /** A run that fails still yields a report: freshness unavailable, with the reason. */
  private failed(requested: RequestedFreshness, e: unknown): Run {
    const reason = isMandalaError(e) && e.code.startsWith('store_') ? 'store_unreadable' : 'projection_failed';
    return {
      input: makeInputFrontier([], this.opts.crypto),
      outputHash: null,
      replayMode: 'full',
      checkpoint: null,
      observed: { kind: 'unavailable', reason },
      cache: requested.kind === 'consistent' ? { kind: 'bypassed' } : { kind: 'unavailable', reason: 'run_failed' },
      findings: [{ code: 'run_failed', message: `the run failed: ${(e as Error).message}` }],
    };
  }

  private seal(projection: ProjectionId, requested: RequestedFreshness, run: Run, started: number, diagnostics: Record<string, number | string>): SignedReport {
    const { clock, crypto } = this.opts;
    const reference = projectionById(createProjections(), projection);
    diagnostics['run_ms'] = Math.round(clock.nowMs() - started);
    const body: ReportBody = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      projection,
      projectionVersion: reference.version,
      sourceRefs: reference.sources,
      replayMode: run.replayMode,
      requested,
      observed: run.observed,
      input: run.input,
      outputHash: run.outputHash,
      cache: run.cache,
      checkpoint: run.checkpoint,
      findings: sortFindings(run.findings),
      settings: reportSettings(projection, this.opts.fleetSettings()),
    };
    return sealReport(body, this.opts.identity, crypto, {
      generatedAtMs: Math.floor(clock.nowMs()),
      appVersion: this.opts.appVersion,
      nodeName: this.opts.nodeName(),
      diagnostics,
    });
  }

  /** A MaybeStale hit ends the run here; otherwise it needs a fold, with this cache status. */
  private begin(projection: ProjectionId, requested: RequestedFreshness, diagnostics: Record<string, number | string>): { run: Run } | { cache: CacheStatus } {
    const store = this.opts.store;
    if (!store) throw new MandalaError('store_unreadable', 'the event store could not be opened');
    if (requested.kind !== 'maybe_stale') return { cache: { kind: 'bypassed' } };
    // Before any folding: a hit costs one cache read and one index probe.
    return this.fromCache(store, projectionById(createProjections(), projection), requested.maxStaleMs, diagnostics);
  }

  /** Completes a run from its fold: the node's own findings, and the output cached. */
  private finish(projection: ProjectionId, cache: CacheStatus, fold: FoldedRun, diagnostics: Record<string, number | string>): Run {
    const { clock } = this.opts;
    const store = this.opts.store!;
    const p = projectionById(createProjections(), projection);
    diagnostics['fold_ms'] = fold.foldMs;
    diagnostics['hash_ms'] = fold.hashMs;
    diagnostics['events_folded'] = fold.eventsFolded;
    const findings = [...fold.findings, ...this.nodeFindings(fold, store)];
    const replayMode = fold.startedFrom ? 'checkpoint' : 'full';
    try {
      const settings = reportSettings(projection, this.opts.fleetSettings());
      const output: CachedOutput = { projection, projectionVersion: p.version, sourceRefs: p.sources, input: fold.input, outputHash: fold.outputHash, replayMode, checkpoint: fold.startedFrom, findings, ...(settings ? { settings } : {}) };
      store.saveCachedOutput(projection, p.version, { createdAtMs: clock.nowMs(), position: fold.position, entry: encodeCachedOutput(output) }, CACHE_KEEP);
    } catch (e) {
      if (!isMandalaError(e)) throw e;
      diagnostics['cache_write'] = e.message;
    }
    return { input: fold.input, outputHash: fold.outputHash, replayMode, checkpoint: fold.startedFrom, observed: { kind: 'fresh' }, cache, findings };
  }

  /**
   * MaybeStale: the newest cached output no older than `maxStaleMs` is a hit. It is fresh when no
   * event of the projection's sources was appended after the position it was folded to (its
   * input frontier is then this node's too), and stale_allowed otherwise.
   */
  private fromCache(store: ReportStore, p: Projection, maxStaleMs: number, diagnostics: Record<string, number | string>): { run: Run } | { cache: CacheStatus } {
    let row: CachedOutputRow | null;
    let entry: CachedOutput | null = null;
    try {
      row = store.latestCachedOutput(p.id, p.version);
      if (row) entry = decodeCachedOutput(row.entry);
    } catch (e) {
      return { cache: { kind: 'unavailable', reason: isMandalaError(e) ? 'cache_unreadable' : 'cache_entry_damaged' } };
    }
    const age = row ? this.opts.clock.nowMs() - row.createdAtMs : Infinity;
    if (!row || !entry || age > maxStaleMs) return { cache: { kind: 'miss' } };
    // An output folded under other settings (changed since) is not this node's output now.
    const settings = reportSettings(p.id, this.opts.fleetSettings());
    if (!sameValue(entry.settings, settings)) return { cache: { kind: 'miss' } };
    diagnostics['cache_age_ms'] = Math.round(age);
    const changed = store.readKinds(p.sources, row.position, 1).events.length > 0;
    return {
      run: {
        input: entry.input,
        outputHash: entry.outputHash,
        replayMode: 'cache',
        checkpoint: entry.checkpoint,
        observed: changed ? { kind: 'stale_allowed' } : { kind: 'fresh' },
        cache: { kind: 'hit' },
        findings: [...entry.findings],
      },
    };
  }

  /** What a reviewer should know about this node's state that the projection cannot see. */
  private nodeFindings(fold: FoldedRun, store: ReportStore): ReportFinding[] {
    const nameOf = this.opts.nameOf ?? ((a: string) => a.slice(0, 8));
    const out: ReportFinding[] = [];
    const pending = store.pendingCount();
    if (pending > 0) out.push({ code: 'events_waiting_for_gap', message: `${plural(pending, 'event')} arrived ahead of earlier ones and are not folded until the gap fills` });
    const inInput = new Set(fold.input.vector.map((e) => e.author));
    for (const a of store.quarantined()) {
      if (inInput.has(a)) out.push({ code: 'feed_quarantined', message: `feed ${nameOf(a)} forked and is quarantined: nothing after the fork is in this output` });
    }
    if (fold.checkpointProblem) out.push({ code: fold.checkpointProblem.code, message: fold.checkpointProblem.message });
    return out;
  }
}
