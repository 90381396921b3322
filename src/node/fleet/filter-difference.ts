// Two nodes judging fixes under different fleet filters flag different fixes from the same
// events. Each node's profile names its filters; a peer whose filters differ from this node's
// gets a problem on its row that says which, so the difference is seen, not silent.
import type { ValueMap } from '../../core/encoding/canonical';
import { FleetSettingsError, LEGACY_SETTINGS, settingsDifferences, settingsFromValue, type FleetSettings } from '../../core/projections/fleet-settings';
import type { PeerRowDto } from '../../shared/api';

export const FILTERS_DIFFER = 'fleet_filters_differ';

/** The peer's row, with a problem when its declared filters differ from `ours` (a peer that declared none says nothing). */
export function withFilterDifference(row: PeerRowDto, ours: FleetSettings, theirs: ValueMap | null, nowMs: number): PeerRowDto {
  if (theirs === null) return row;
  let message: string;
  try {
    const differences = settingsDifferences(ours, settingsFromValue(theirs, LEGACY_SETTINGS));
    if (differences.length === 0) return row;
    message = `${row.name} judges truck fixes under other fleet filters (${differences.join('; ')}): the two nodes flag different fixes from the same events. Set the same filters on both (Peers > Fleet filters, or mandala fleet-config).`;
  } catch (e) {
    if (!(e instanceof FleetSettingsError)) throw e;
    message = `${row.name} judges truck fixes under fleet filters this build does not know (${e.message}); upgrade this node to compare them`;
  }
  return { ...row, problems: [...row.problems, { code: FILTERS_DIFFER, message, atMs: nowMs, count: 1 }] };
}
