// The heavy half of a report's run: a projection folded up to everything held, and its output
// hash. Both run on the live fold: in one go for the CLI, which has nothing else to keep
// answering; in slices of a few ms on a running node, whose event loop every console, peer and
// webhook waits on (the hashes are incremental, so a run re-hashes what changed since the last
// one). Either way the result is plain data the report is made from.
import type { Clock } from '../../core/clock/clock';
import type { Hasher } from '../../core/crypto/ports';
import type { InputFrontier } from '../../core/evidence/input-frontier';
import type { CheckpointRef, ReportFinding } from '../../core/evidence/report-body';
import type { CheckpointProblem, LiveState } from '../../core/live/live-state';
import { projectionOutputHash } from '../../core/projections/projection';
import { projectionById, type ProjectionId } from '../../core/projections/set';

export interface FoldedRun {
  /** The projection's input: per feed, the newest folded event of its source kinds. */
  readonly input: InputFrontier;
  readonly outputHash: string;
  readonly eventsFolded: number;
  /** The store position the fold reached (what a cached output is keyed by). */
  readonly position: number;
  readonly startedFrom: CheckpointRef | null;
  /** The projection's own findings (events seen but not folded). */
  readonly findings: readonly ReportFinding[];
  readonly checkpointProblem: CheckpointProblem | null;
  readonly foldMs: number;
  readonly hashMs: number;
}

/** Where a run's fold comes from: done here and now, or awaited from a worker. */
export type FoldSource = (projection: ProjectionId) => FoldedRun | Promise<FoldedRun>;

/** Hashes `projection` of a fold that stands; `foldMs` is what it took to get the fold. */
export function hashFold(live: LiveState, projection: ProjectionId, hasher: Hasher, clock: Clock, foldMs: number): FoldedRun {
  const p = projectionById(live.projections, projection);
  const t = clock.nowMs();
  const hash = projectionOutputHash(p, hasher);
  return {
    input: live.heads.inputFor(p.sources, hasher),
    outputHash: hash,
    eventsFolded: live.eventCount,
    position: live.position,
    startedFrom: live.startedFrom,
    findings: p.findings().map((f) => ({ code: f.code, message: f.message })),
    checkpointProblem: live.checkpointProblem,
    foldMs,
    hashMs: Math.round(clock.nowMs() - t),
  };
}

/** A fold source over a live fold (`live` is called inside the run, so a failing store fails the run). */
export function liveFold(live: () => LiveState, hasher: Hasher, clock: Clock): (projection: ProjectionId) => FoldedRun {
  return (projection) => {
    const t = clock.nowMs();
    const state = live();
    return hashFold(state, projection, hasher, clock, Math.round(clock.nowMs() - t));
  };
}

/** How long one slice of a report's hashing may hold the event loop. */
const SLICE_MS = 8;
/** At most this many slices (about 10 minutes of work): a run under a burst that keeps changing the state still ends. */
const MAX_SLICES = 75_000;

/**
 * A fold source over the live fold for a projection that prepares its hash ahead (all three): the
 * work since the last report is done in slices of a few ms between the event loop's other work,
 * then the frontier is read and the hash finished in one turn, so the two agree.
 */
export function slicedLiveFold(live: () => LiveState, hasher: Hasher, clock: Clock, nextTurn: () => Promise<void>): FoldSource {
  return async (projection) => {
    const t = clock.nowMs();
    // The state is caught up once here and once at the end (where the frontier is read), not per slice.
    const p = projectionById(live().projections, projection);
    for (let slice = 0; slice < MAX_SLICES; slice++) {
      const until = clock.nowMs() + SLICE_MS;
      if (!p.prepareHash || p.prepareHash(hasher, () => clock.nowMs() < until) === 0) break;
      await nextTurn();
    }
    const run = hashFold(live(), projection, hasher, clock, 0);
    return { ...run, hashMs: Math.round(clock.nowMs() - t) };
  };
}
