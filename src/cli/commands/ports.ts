// `mandala ports`: serial ports a radio might be on (works without udevadm).
import type { Command } from 'commander';
import { listSerialPorts } from '../../node/transports/lora/serial-ports';
import { action, say } from '../context';

export function registerPorts(program: Command): void {
  program
    .command('ports')
    .description('list serial ports a LoRa radio might be on')
    .option('--json', 'JSON output')
    .action(
      action(async (opts: { json?: boolean }) => {
        const ports = await listSerialPorts();
        if (opts.json) say(JSON.stringify(ports, null, 2));
        else if (ports.length === 0) say('no serial ports found: plug the radio in (on Linux it appears as /dev/ttyUSB* or /dev/ttyACM*)');
        else for (const p of ports) say(`${p.path}  ${p.description}${p.stableName ? `  (${p.stableName})` : ''}`);
      }),
    );
}
