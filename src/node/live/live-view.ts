// The live view: the core's LiveState folded up to what the store holds, whoever wrote it (this
// process, a CLI verb on the same data folder, a peer). After each fold it marks the console
// topics whose data changed (pushed, throttled), and saves a checkpoint when the policy says so.
import type { Hasher } from '../../core/crypto/ports';
import type { Scheduler } from '../../core/clock/scheduler';
import type { AuthorId } from '../../core/events/event';
import { LiveState, type CatchUp } from '../../core/live/live-state';
import type { FleetSettings } from '../../core/projections/fleet-settings';
import { createProjections } from '../../core/projections/set';
import type { Checkpoint, CheckpointStore } from '../../core/store/checkpoint-store';
import type { FeedLog } from '../../core/store/feed-log';
import type { ChangeSource } from '../../core/store/feed-store';
import type { Fold } from '../../core/projections/projection';
import { Emitter } from '../../core/util/emitter';
import type { PushTopic } from '../../shared/api';
import type { ProblemLog } from '../problems/problem-log';
import { Checkpointer, type CheckpointOffload, type CheckpointPolicy } from './checkpointer';
import { PushThrottle } from './push-throttle';

/** At most this often the fleet is pushed to the console (the other topics: pushThrottleMs, 250 ms). */
const FLEET_PUSH_MS = 100;

export interface LiveViewOptions {
  readonly store: Pick<FeedLog, 'readSince'> & CheckpointStore & ChangeSource;
  readonly hasher: Hasher;
  readonly scheduler: Scheduler;
  readonly problems: ProblemLog;
  /** Coalesce pushed updates to at most one per topic per interval. */
  readonly pushThrottleMs?: number;
  readonly checkpoints?: CheckpointPolicy;
  /** Folds of the node's own (fleet membership) that see every event of their kinds too. */
  readonly extraFolds?: readonly Fold[];
  /**
   * Makes checkpoints in a worker thread: the policy's (from the previous checkpoint on) and a
   * rebuild's (`fromScratch`: from the first event). None: both on this thread.
   */
  readonly checkpointWorker?: (fromScratch: boolean) => Promise<Omit<Checkpoint, 'id'>>;
  /** The fleet settings to judge fixes under (asked at every fold from scratch). Default: a new node's. */
  readonly fleetSettings?: () => FleetSettings;
}

export type LiveViewEvents = {
  /** A topic's data changed (throttled: at most once per topic per interval). */
  push: [topic: PushTopic];
  listenerError: [error: unknown];
};

export class LiveView {
  private current: LiveState;
  readonly events = new Emitter<LiveViewEvents>();
  private readonly checkpointer: Checkpointer;
  private readonly throttle: PushThrottle<PushTopic>;
  private changeToken = -1;
  private rebuilding: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(private readonly opts: LiveViewOptions) {
    // Start from the newest checkpoint when there is a usable one; the rest is folded by catchUp.
    this.current = LiveState.open(opts.store, opts.hasher, false, opts.extraFolds, opts.fleetSettings?.());
    const problem = this.current.checkpointProblem;
    if (problem) opts.problems.warn(problem.code, problem.message);
    const worker = opts.checkpointWorker;
    const offload: CheckpointOffload | undefined = worker
      ? { make: () => worker(false), yieldTurn: () => new Promise((resolve) => setImmediate(resolve)), onError: (e) => opts.problems.internalError('saving a checkpoint', e) }
      : undefined;
    this.checkpointer = new Checkpointer(opts.store, opts.hasher, opts.scheduler, this.state, opts.checkpoints, offload);
    // The fleet goes out more often than the rest: a fix on the map is what a dispatcher waits for,
    // and a fleet push carries only the trucks that changed (fleet-push.ts).
    const every = opts.pushThrottleMs ?? 250;
    const fleetEvery = Math.min(every, FLEET_PUSH_MS);
    this.throttle = new PushThrottle<PushTopic>(opts.scheduler, (topic) => (topic === 'fleet' ? fleetEvery : every), (t) => this.events.emit('push', t));
  }

  /** The fold as it stands. */
  get state(): LiveState {
    return this.current;
  }

  /**
   * Folds everything again from the first event, without a checkpoint, and saves one: after
   * damaged events were repaired, what was folded from their damaged copies must go. With a
   * worker the fold happens there and the node serves the old fold until the new one takes its
   * place (restored from the checkpoint the worker made); resolves once it has.
   */
  rebuild(): Promise<void> {
    const worker = this.opts.checkpointWorker;
    if (!worker) {
      this.rebuildHere();
      return Promise.resolve();
    }
    // A repair during a rebuild asks for another one after it: its events may be in neither.
    // The chain never rejects: a failure is told, and the next rebuild still runs.
    this.rebuilding = this.rebuilding.then(async () => {
      try {
        await this.checkpointer.replaceWith(() => worker(true));
        const fresh = LiveState.open(this.opts.store, this.opts.hasher, true, this.opts.extraFolds, this.opts.fleetSettings?.());
        if (fresh.checkpointProblem) this.opts.problems.warn(fresh.checkpointProblem.code, fresh.checkpointProblem.message);
        this.current = fresh;
        this.markAll();
      } catch (e) {
        this.opts.problems.internalError('folding again in a worker thread (folded here instead)', e);
        try {
          this.rebuildHere();
        } catch (again) {
          this.opts.problems.internalError('folding again after a repair', again);
        }
      }
    });
    return this.rebuilding;
  }

  private rebuildHere(): void {
    const fresh = new LiveState(createProjections(this.opts.fleetSettings?.()), this.opts.extraFolds);
    fresh.catchUp(this.opts.store);
    this.current = fresh;
    this.checkpointer.save(fresh);
    this.markAll();
  }

  private markAll(): void {
    for (const topic of ['node', 'fleet', 'records', 'conflicts', 'reports'] as const) this.mark(topic);
  }

  /** Folds what the store appended since the last call, and marks what changed. */
  catchUp(): CatchUp {
    const result = this.state.catchUp(this.opts.store);
    if (result.events === 0) return result;
    this.mark('node');
    this.mark('peers');
    for (const topic of result.topics) this.mark(topic);
    // A stopping node starts no save it could not finish.
    if (this.stopping) return result;
    try {
      this.checkpointer.maybeSave(this.state);
    } catch (e) {
      this.opts.problems.internalError('saving a checkpoint', e);
    }
    return result;
  }

  /** Whether another process committed to the store since the last look. */
  changedElsewhere(): boolean {
    const token = this.opts.store.changeToken();
    if (token === this.changeToken) return false;
    this.changeToken = token;
    return true;
  }

  /** Marks a topic changed so the console gets a (throttled) push. */
  mark(topic: PushTopic): void {
    this.throttle.mark(topic);
  }

  nameOf(author: AuthorId): string {
    return this.state.directory.nameOf(author);
  }

  /** The name an author's own profile gives, or null. */
  profileName(author: AuthorId): string | null {
    return this.state.names.get(author) ?? null;
  }

  /** Resolves once a checkpoint being saved off the loop (if any) is written. */
  checkpointSettled(): Promise<void> {
    return this.checkpointer.settled();
  }

  /** Waits for a checkpoint being saved off the loop, then saves one if enough is unsaved, and stops pushing. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.rebuilding;
    await this.checkpointer.settled();
    try {
      this.checkpointer.onStop(this.state);
    } catch (e) {
      this.opts.problems.internalError('checkpoint on stop', e);
    }
    this.throttle.cancelAll();
  }
}
