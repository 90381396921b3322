// `mandala device add|list|remove`: the phones (Traccar Client, OsmAnd) allowed to report to this
// node by the OsmAnd protocol, each mapped to the truck it rides in. A running node picks changes
// up within a second.
import type { Command } from 'commander';
import { SystemClock } from '../../node/clock/system-clock';
import { checkDeviceId, DeviceRegistry } from '../../node/intake/device-registry';
import { MandalaError } from '../../node/errors';
import { folderIdentity } from '../../node/open-node';
import { action, dataDir, say, withDataOption, type DataOption } from '../context';

function registry(opts: DataOption): DeviceRegistry {
  const dir = dataDir(opts);
  folderIdentity(dir); // a Mandala data folder, or a clear refusal
  const clock = new SystemClock();
  return new DeviceRegistry(dir, () => clock.nowMs());
}

export function registerDevice(program: Command): void {
  const device = program.command('device').description('phones and trackers that report positions by the OsmAnd protocol (serve --osmand-port)');
  withDataOption(device.command('add <device-id>').description('let a device report as a truck'))
    .requiredOption('--truck <truck-id>', 'the truck whose positions the device reports')
    .action(
      action((id: string, opts: DataOption & { truck: string }) => {
        if (opts.truck.length === 0 || opts.truck.length > 64) throw new MandalaError('bad_usage', '--truck must be 1 to 64 characters');
        const e = registry(opts).add(checkDeviceId(id), opts.truck);
        say(`device ${e.device} reports as truck ${e.truck}`);
      }),
    );
  withDataOption(device.command('list').description('the registered devices'))
    .option('--json', 'as JSON')
    .action(
      action((opts: DataOption & { json?: boolean }) => {
        const list = registry(opts).list();
        if (opts.json) return say(JSON.stringify(list.map((e) => ({ device: e.device, truck: e.truck, added_ms: e.addedMs })), null, 2));
        if (list.length === 0) return say('no devices registered: add one with `mandala device add DEVICE_ID --truck TRUCK_ID`');
        for (const e of list) say(`${e.device}\t${e.truck}\tadded ${new Date(e.addedMs).toISOString()}`);
      }),
    );
  withDataOption(device.command('remove <device-id>').description('stop taking reports from a device')).action(
    action((id: string, opts: DataOption) => {
      if (!registry(opts).remove(id)) throw new MandalaError('unknown_device', `no device ${id} is registered here (see \`mandala device list\`)`);
      say(`device ${id} removed: its reports are refused from now on (what it reported is kept)`);
    }),
  );
}
