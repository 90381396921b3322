// The event-time latch: a fix older than the newest fix this node already committed for its
// truck is historical. It joins the trail in its place but must never fire a live alert. It is
// decided against what was committed before the fix, so it folds ahead of the fleet projection.
import type { FeedEvent } from '../events/event';
import { KINDS } from '../events/kinds';
import { decodePayload, type DecodedPayload } from '../events/payloads';
import type { FleetProjection } from '../projections/fleet';
import type { Fold } from '../projections/projection';

export class EventTimeLatch implements Fold {
  readonly sources = [KINDS.truckPosition];
  readonly topic = 'fleet' as const;
  /** Per truck: how many fixes arrived historical on this node. */
  readonly historical = new Map<string, number>();
  /** Fixes found historical since the last take(). */
  private fresh = 0;

  constructor(private readonly fleet: () => FleetProjection) {}

  apply(ev: FeedEvent, payload: DecodedPayload = decodePayload(ev)): void {
    if (payload.kind !== KINDS.truckPosition) return;
    const latest = this.fleet().latestFixMs(payload.truck);
    if (latest !== null && payload.fixMs < latest) {
      this.historical.set(payload.truck, (this.historical.get(payload.truck) ?? 0) + 1);
      this.fresh++;
    }
  }

  /** How many fixes were found historical since the last call. */
  take(): number {
    const n = this.fresh;
    this.fresh = 0;
    return n;
  }
}
