// The settings a report's fold ran under, as the report states them. The fleet's plausibility
// settings decide the fleet's flags, and the conflict timeline shows those flags, so both name
// them; records has none. A report without settings was made before they existed, under the
// legacy settings, and is re-derived under those.
import type { ValueMap } from '../encoding/canonical';
import { LEGACY_SETTINGS, settingsFromValue, settingsToValue, type FleetSettings } from '../projections/fleet-settings';

const JUDGED_BY_FLEET_SETTINGS: readonly string[] = ['fleet', 'conflicts', 'alerts'];

/** The settings a report of `projection` names, folded under `fleet` (undefined: none). */
export function reportSettings(projection: string, fleet: FleetSettings): ValueMap | undefined {
  return JUDGED_BY_FLEET_SETTINGS.includes(projection) ? { fleet: settingsToValue(fleet) } : undefined;
}

/** The fleet settings to re-derive a report under. Throws FleetSettingsError when they are not ones this build knows. */
export function fleetSettingsOf(body: { readonly settings?: ValueMap }): FleetSettings {
  const v = body.settings?.['fleet'];
  return v === undefined ? LEGACY_SETTINGS : settingsFromValue(v, LEGACY_SETTINGS);
}
