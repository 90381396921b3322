// Console API for the fleet: who is in it, and (on an admin node) admitting and revoking nodes.
// The same checks as `mandala admit` and `mandala revoke` (node/fleet/fleet-admin.ts).
import type { ApiHandlers, FleetInfoDto, FleetSettingsDto } from '../../shared/api';
import type { ValueMap } from '../../core/encoding/canonical';
import { DEFAULT_SETTINGS, FleetSettingsError, SETTING_HELP, settingsFromValue, settingsToValue, type FleetSettings } from '../../core/projections/fleet-settings';
import { admitDraft, revokeDraft } from '../fleet/fleet-admin';
import type { NodeApi } from './node-api';

type FleetHandlers = Pick<ApiHandlers, 'fleet.info' | 'fleet.admit' | 'fleet.revoke' | 'fleet.settings' | 'fleet.settings.set'>;

function settingsDto(s: FleetSettings): FleetSettingsDto {
  return { settings: settingsToValue(s) as FleetSettingsDto['settings'], defaults: settingsToValue(DEFAULT_SETTINGS) as FleetSettingsDto['defaults'], help: SETTING_HELP };
}

export function fleetInfo(node: NodeApi): FleetInfoDto {
  const m = node.membership;
  if (!m) return { fleetId: null, name: null, founded: false, selfRole: null, self: node.self, members: [] };
  const self = m.state(node.self);
  return {
    fleetId: m.fleetId,
    name: m.name,
    founded: m.founded,
    selfRole: self === null ? 'not_admitted' : self.revoked ? 'revoked' : self.role,
    self: node.self,
    members: m.list().map(([a, s]) => ({ node: a, name: node.names.get(a) ?? null, role: s.role, admittedBy: s.admittedBy, revoked: s.revoked })),
  };
}

function nodeArg(args: unknown, fail: (code: string, m: string) => never): string {
  const v = (args as { node?: unknown } | null)?.node;
  if (typeof v !== 'string') fail('bad_request', 'node must be the 64-hex-digit id of a node');
  return v as string;
}

export function createFleetHandlers(node: NodeApi, fail: (code: string, m: string) => never): FleetHandlers {
  return {
    'fleet.info': () => fleetInfo(node),
    'fleet.admit': (args) => {
      const admin = (args as { admin?: unknown } | null)?.admin === true;
      return node.append([admitDraft(node.membership, node.self, nodeArg(args, fail), admin ? 'admin' : 'member')])[0]!;
    },
    'fleet.revoke': (args) => {
      const id = nodeArg(args, fail).trim().toLowerCase();
      return node.append([revokeDraft(node.membership, node.self, id, node.heldSeq(id))])[0]!;
    },
    'fleet.settings': () => settingsDto(node.fleetSettings()),
    'fleet.settings.set': async (args) => {
      const given = (args as { settings?: unknown } | null)?.settings;
      if (typeof given !== 'object' || given === null || Array.isArray(given)) fail('bad_request', 'settings must be an object of filter settings');
      let next: FleetSettings;
      try {
        next = settingsFromValue(given as ValueMap, node.fleetSettings());
      } catch (e) {
        if (e instanceof FleetSettingsError) fail('bad_setting', e.message);
        throw e;
      }
      await node.setFleetSettings(next!);
      return settingsDto(node.fleetSettings());
    },
  };
}
