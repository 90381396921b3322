// When to save a checkpoint of the live fold: after enough new events (and not too often), and
// when the node stops. A checkpoint turns the next start, a report's replay or a verification
// from "fold every event" into "restore, then fold what came after".
import type { Clock } from '../../core/clock/clock';
import type { Hasher } from '../../core/crypto/ports';
import type { CheckpointStore } from '../../core/store/checkpoint-store';
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

export class Checkpointer {
  private savedEvents: number;
  private savedAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: CheckpointStore,
    private readonly hasher: Hasher,
    private readonly clock: Clock,
    live: LiveState,
    private readonly policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY,
  ) {
    this.savedEvents = live.startedFrom?.events ?? 0;
  }

  /** Saves when the policy says so; returns true when it did. */
  maybeSave(live: LiveState): boolean {
    const now = this.clock.nowMs();
    if (live.eventCount - this.savedEvents < this.policy.everyEvents) return false;
    if (now - this.savedAtMs < this.policy.minIntervalMs) return false;
    this.save(live);
    return true;
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
