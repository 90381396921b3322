// The projections a node keeps live, folded together from one event stream.
import type { Hasher } from '../crypto/ports';
import type { FeedEvent } from '../events/event';
import { FleetProjection, type PlausibilityLimits } from './fleet';
import { outputHash, type Projection } from './projection';
import { RecordsProjection } from './records';
import { ConflictsProjection } from './conflicts';

export interface ProjectionSet {
  readonly records: RecordsProjection;
  readonly fleet: FleetProjection;
  /** Reads records' and fleet's state as well as its own kinds. */
  readonly conflicts: ConflictsProjection;
}

export const PROJECTION_IDS = ['records', 'fleet', 'conflicts'] as const;
export type ProjectionId = (typeof PROJECTION_IDS)[number];

export function createProjections(limits?: PlausibilityLimits): ProjectionSet {
  const records = new RecordsProjection();
  const fleet = new FleetProjection(limits);
  return { records, fleet, conflicts: new ConflictsProjection(records, fleet) };
}

export function projectionById(set: ProjectionSet, id: ProjectionId): Projection {
  return set[id];
}

export function applyAll(set: ProjectionSet, events: Iterable<FeedEvent>): void {
  for (const ev of events) {
    set.records.apply(ev);
    set.fleet.apply(ev);
    set.conflicts.apply(ev);
  }
}

export function projectionHashes(set: ProjectionSet, hasher: Hasher): Record<ProjectionId, string> {
  return {
    records: outputHash(set.records.view(), hasher),
    fleet: outputHash(set.fleet.view(), hasher),
    conflicts: outputHash(set.conflicts.view(), hasher),
  };
}
