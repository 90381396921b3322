// Console API for the phones that report by the OsmAnd protocol: the registered ones, those that
// asked to report and were refused, and registering or removing one (as `mandala device` does).
import type { ApiHandlers, DevicesDto } from '../../shared/api';
import { isMandalaError } from '../errors';
import type { DeviceRegistry } from '../intake/device-registry';

type DeviceHandlers = Pick<ApiHandlers, 'devices.list' | 'devices.add' | 'devices.remove'>;

export interface DeviceHandlerOptions {
  readonly devices: DeviceRegistry | null;
  readonly osmandPort: () => number | null;
}

function arg(args: unknown, key: string, max: number, fail: (code: string, m: string) => never): string {
  const v = (args as Record<string, unknown> | null)?.[key];
  if (typeof v !== 'string' || v.trim().length === 0 || v.length > max) fail('bad_request', `${key} must be a string of 1 to ${max} characters`);
  return (v as string).trim();
}

export function createDeviceHandlers(opts: DeviceHandlerOptions, fail: (code: string, m: string) => never): DeviceHandlers {
  const list = (): DevicesDto => ({ osmandPort: opts.osmandPort(), registered: opts.devices?.list() ?? [], asking: opts.devices?.askingList() ?? [] });
  const registry = (): DeviceRegistry => opts.devices ?? fail('osmand_off', 'this node takes no phone reports: start it with --osmand-port PORT');
  const guarded = (fn: () => void): DevicesDto => {
    try {
      fn();
    } catch (e) {
      if (isMandalaError(e)) fail(e.code, e.message);
      throw e;
    }
    return list();
  };
  return {
    'devices.list': () => list(),
    'devices.add': (args) => guarded(() => registry().add(arg(args, 'device', 48, fail), arg(args, 'truck', 64, fail))),
    'devices.remove': (args) =>
      guarded(() => {
        const device = arg(args, 'device', 48, fail);
        if (!registry().remove(device)) fail('unknown_device', `no device ${device} is registered here`);
      }),
  };
}
