// The fleet as it is pushed to consoles: only the trucks whose trails changed since the last push
// (a fleet of 5,000 trucks where 50 reported sends 50), numbered so a console that missed one asks
// for a full snapshot. After a rebuild (a new fold: flags may have changed anywhere) the push is
// whole again.
import type { FleetProjection } from '../../core/projections/fleet';
import type { FleetSnapshotDto } from '../../shared/api';
import { truckDto } from './dto';

export class FleetPushes {
  private seq = 0;
  private fold: FleetProjection | null = null;
  /** Per truck, its trail version at the last push. */
  private readonly sent = new Map<string, number>();

  constructor(private readonly trailLimit: number) {}

  /** The next push: the changed trucks (all of them the first time and after a rebuild). */
  next(fleet: FleetProjection, nowMs: number): FleetSnapshotDto {
    const whole = fleet !== this.fold;
    if (whole) {
      this.fold = fleet;
      this.sent.clear();
    }
    const trucks = [];
    for (const id of fleet.unorderedTruckIds()) {
      const version = fleet.trailVersion(id);
      if (!whole && this.sent.get(id) === version) continue;
      this.sent.set(id, version);
      trucks.push(truckDto(fleet, id, this.trailLimit));
    }
    trucks.sort((a, b) => (a.truck < b.truck ? -1 : a.truck > b.truck ? 1 : 0));
    return { atMs: nowMs, trucks, partial: !whole, pushSeq: ++this.seq };
  }
}
