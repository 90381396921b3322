// When to save a checkpoint of the live fold: after enough new events (and not too often), and
// when the node stops. A checkpoint turns the next start, a report's replay or a verification
// from "fold every event" into "restore, then fold what came after".
// On a running node the policy's saves are made off the event loop: a worker thread folds the
// store from the previous checkpoint and encodes the state, and the state is written in parts of
// 1 MiB, one short write per turn of the loop, then committed. Encoding and writing a season's
// state in one go would stall the node for seconds.
import type { Clock } from '../../core/clock/clock';
import type { Hasher } from '../../core/crypto/ports';
import type { Checkpoint, CheckpointStore } from '../../core/store/checkpoint-store';
import type { LiveState } from '../../core/live/live-state';

export interface CheckpointPolicy {
  /** Save once this many events were folded since the last checkpoint... */
  readonly everyEvents: number;
  /** ...but no more often than this. */
  readonly minIntervalMs: number;
  /** On stop, save if at least this many events are not in a checkpoint. */
  readonly onStopEvents: number;
  /** Checkpoints kept. */
  readonly keep: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { everyEvents: 50_000, minIntervalMs: 5 * 60_000, onStopEvents: 1_000, keep: 2 };

/** A checkpoint's state is written in parts of this size, one per turn of the event loop. */
export const CHECKPOINT_PART_BYTES = 1024 * 1024;

/** Making checkpoints off the event loop. */
export interface CheckpointOffload {
  /** A checkpoint of everything the store holds, folded and encoded elsewhere (a worker). */
  readonly make: () => Promise<Omit<Checkpoint, 'id'>>;
  /** Lets the event loop run between two parts. */
  readonly yieldTurn: () => Promise<void>;
  readonly onError: (e: unknown) => void;
}

export class Checkpointer {
  private savedEvents: number;
  private savedAtMs = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: CheckpointStore,
    private readonly hasher: Hasher,
    private readonly clock: Clock,
    live: LiveState,
    private readonly policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
    private readonly offload?: CheckpointOffload,
  ) {
    this.savedEvents = live.startedFrom?.events ?? 0;
  }

  /** Saves (or starts saving, off the loop) when the policy says so; returns true when it did. */
  maybeSave(live: LiveState): boolean {
    const now = this.clock.nowMs();
    if (live.eventCount - this.savedEvents < this.policy.everyEvents) return false;
    if (now - this.savedAtMs < this.policy.minIntervalMs) return false;
    if (!this.offload) {
      this.save(live);
      return true;
    }
    if (this.running) return false;
    // Counted from the start, so a save that fails is retried after the interval, not at once.
    this.savedAtMs = now;
    const offload = this.offload;
    this.running = this.saveInParts(offload)
      .catch((e: unknown) => offload.onError(e))
      .finally(() => (this.running = null));
    return true;
  }

  /**
   * Saves the checkpoint `make` gives (a rebuild's, from the first event) after any save under
   * way, and before any other: it becomes the newest. Rejects when it could not be saved.
   */
  async replaceWith(make: () => Promise<Omit<Checkpoint, 'id'>>): Promise<void> {
    const offload = this.offload;
    if (!offload) throw new Error('no worker to make the checkpoint in');
    await this.settled();
    const saving = this.saveInParts({ ...offload, make });
    this.running = saving.catch(() => undefined).finally(() => (this.running = null));
    await saving;
    this.savedAtMs = this.clock.nowMs();
  }

  /** Resolves once a save under way (off the loop) has finished. */
  async settled(): Promise<void> {
    await this.running;
  }

  private async saveInParts(offload: CheckpointOffload): Promise<void> {
    const cp = await offload.make();
    const { state, ...meta } = cp;
    const stage = this.store.openCheckpointStage();
    let parts = 0;
    for (let at = 0; at < state.length; at += CHECKPOINT_PART_BYTES, parts++) {
      this.store.addCheckpointPart(stage, parts, state.subarray(at, at + CHECKPOINT_PART_BYTES));
      await offload.yieldTurn();
    }
    this.store.commitCheckpointStage(stage, meta, parts, this.policy.keep);
    this.savedEvents = Math.max(this.savedEvents, cp.eventCount);
  }

  onStop(live: LiveState): boolean {
    if (live.eventCount - this.savedEvents < this.policy.onStopEvents) return false;
    this.save(live);
    return true;
  }

  save(live: LiveState): void {
    this.store.saveCheckpoint(live.checkpoint(this.clock.nowMs(), this.hasher), this.policy.keep);
    this.savedEvents = live.eventCount;
    this.savedAtMs = this.clock.nowMs();
  }
}
