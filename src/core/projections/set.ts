// The projections a node keeps live, folded together from one event stream.
import type { Hasher } from '../crypto/ports';
import type { FeedEvent } from '../events/event';
import { FleetProjection } from './fleet';
import type { FleetSettings } from './fleet-settings';
import { projectionOutputHash, type Projection } from './projection';
import { RecordsProjection } from './records';
import { ConflictsProjection } from './conflicts';
import { FoldTable } from './fold-table';
import { AlertsProjection } from './alerts';

export interface ProjectionSet {
  readonly records: RecordsProjection;
  readonly fleet: FleetProjection;
  /** Reads records' and fleet's state as well as its own kinds. */
  readonly conflicts: ConflictsProjection;
  /** Reads the fleet's trails and the geofence records, and folds acknowledgements. */
  readonly alerts: AlertsProjection;
}

export const PROJECTION_IDS = ['records', 'fleet', 'conflicts', 'alerts'] as const;
export type ProjectionId = (typeof PROJECTION_IDS)[number];

/** The projections, the fleet judged under `settings` (the node's; a report's when re-deriving one). */
export function createProjections(settings?: FleetSettings): ProjectionSet {
  const records = new RecordsProjection();
  const fleet = new FleetProjection(settings);
  return { records, fleet, conflicts: new ConflictsProjection(records, fleet), alerts: new AlertsProjection(records, fleet) };
}

export function projectionById(set: ProjectionSet, id: ProjectionId): Projection {
  return set[id];
}

/** The projections in fold order (conflicts reads what records and fleet folded). */
export function projectionList(set: ProjectionSet): readonly Projection[] {
  return [set.records, set.fleet, set.conflicts, set.alerts];
}

/** Folds events into the projections, each payload decoded once. */
export function applyAll(set: ProjectionSet, events: Iterable<FeedEvent>): void {
  const table = new FoldTable(projectionList(set));
  for (const ev of events) table.apply(ev);
}

export function projectionHashes(set: ProjectionSet, hasher: Hasher): Record<ProjectionId, string> {
  return {
    records: projectionOutputHash(set.records, hasher),
    fleet: projectionOutputHash(set.fleet, hasher),
    conflicts: projectionOutputHash(set.conflicts, hasher),
    alerts: projectionOutputHash(set.alerts, hasher),
  };
}
