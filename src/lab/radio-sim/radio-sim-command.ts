// `mandala radio-sim`: run N simulated RNode radios on pseudo-terminals so nodes can sync "over
// LoRa" without hardware. Prints the port paths, then logs each radio's airtime and duty cycle
// until SIGINT/SIGTERM. All the simulation lives beside it in src/lab/radio-sim; this is only the verb.
import type { Command } from 'commander';
import { join } from 'node:path';
import { MandalaError } from '../../node/errors';
import { RadioSimulator } from './simulator';
import { action, note, say } from '../../cli/context';

interface RadioSimOptions {
  nodes: string;
  dir: string;
  sf: string;
  bw: string;
  cr: string;
  freq: string;
  loss: string;
  seed: string;
  statsEvery: string;
  bootBanner: boolean;
}

function number(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new MandalaError('bad_option', `${flag} ${value} is not a number`);
  return n;
}

export function registerRadioSim(program: Command): void {
  program
    .command('radio-sim')
    .description('simulate LoRa radios running RNode firmware, each on a pseudo-terminal (needs socat)')
    .requiredOption('--nodes <n>', 'how many radios')
    .requiredOption('--dir <dir>', 'folder for the ports radio0..radioN-1, reach.json and stats.json')
    .option('--sf <sf>', 'spreading factor the simulation assumes (5-12)', '9')
    .option('--bw <hz>', 'bandwidth in Hz the simulation assumes', '125000')
    .option('--cr <cr>', 'coding rate 5-8 (4/5..4/8) the simulation assumes', '5')
    .option('--freq <hz>', 'frequency in Hz the simulation assumes (as `serve --freq`)', '868100000')
    .option('--loss <p>', 'probability that a reception is lost at random (0..1)', '0')
    .option('--seed <n>', 'seed for loss, CSMA backoff and the RANDOM command', '1')
    .option('--stats-every <seconds>', 'log one line per radio this often (0 = never)', '10')
    .option('--no-boot-banner', 'opening a port does not reboot the device (boards without auto-reset)')
    .action(
      action(async (opts: RadioSimOptions) => {
        const sim = new RadioSimulator({
          nodes: number('--nodes', opts.nodes),
          dir: opts.dir,
          sf: number('--sf', opts.sf),
          bwHz: number('--bw', opts.bw),
          cr: number('--cr', opts.cr),
          frequencyHz: number('--freq', opts.freq),
          loss: number('--loss', opts.loss),
          seed: number('--seed', opts.seed),
          statsEveryMs: number('--stats-every', opts.statsEvery) * 1000,
          bootBanner: opts.bootBanner,
          onLog: (line) => note(line),
        });
        await sim.start();
        const n = sim.stats().nominal;
        say(`radio-sim: ${sim.nodes} RNode radios (firmware 1.86, ESP32/SX1276), all in reach of each other unless ${join(sim.dir, 'reach.json')} says otherwise`);
        sim.paths.forEach((p, i) => say(`radio${i}: ${p}`));
        say(`configure every host alike: ${n.frequencyHz} Hz, ${n.bwHz} Hz bandwidth, SF${n.sf}, CR 4/${n.cr}; stats in ${join(sim.dir, 'stats.json')}`);
        const signal = await new Promise<NodeJS.Signals>((resolve) => {
          process.once('SIGINT', () => resolve('SIGINT'));
          process.once('SIGTERM', () => resolve('SIGTERM'));
        });
        note(`${signal}: stopping the radio simulator`);
        const final = sim.stats();
        await sim.stop();
        for (const r of final.radios) {
          note(`radio${r.index}: ${r.sent} sent, ${(r.txAirtimeMs / 1000).toFixed(2)} s on air, duty cycle ${r.dutyCyclePct.toFixed(3)}% over ${(final.elapsedMs / 1000).toFixed(0)} s`);
        }
      }),
    );
}
