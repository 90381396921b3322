// The projections a node keeps live, folded together from one event stream.
import type { Hasher } from '../crypto/ports';
import type { FeedEvent } from '../events/event';
import { FleetProjection, type PlausibilityLimits } from './fleet';
import { outputHash, type Projection } from './projection';
import { RecordsProjection } from './records';

export interface ProjectionSet {
  readonly records: RecordsProjection;
  readonly fleet: FleetProjection;
}

export const PROJECTION_IDS = ['records', 'fleet'] as const;
export type ProjectionId = (typeof PROJECTION_IDS)[number];

export function createProjections(limits?: PlausibilityLimits): ProjectionSet {
  return { records: new RecordsProjection(), fleet: new FleetProjection(limits) };
}

export function projectionById(set: ProjectionSet, id: ProjectionId): Projection {
  return set[id];
}

export function applyAll(set: ProjectionSet, events: Iterable<FeedEvent>): void {
  for (const ev of events) {
    set.records.apply(ev);
    set.fleet.apply(ev);
  }
}

export function projectionHashes(set: ProjectionSet, hasher: Hasher): Record<ProjectionId, string> {
  return { records: outputHash(set.records.view(), hasher), fleet: outputHash(set.fleet.view(), hasher) };
}
