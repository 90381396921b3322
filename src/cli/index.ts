// The `mandala` command. Its verbs are a contract that tests and scripts rely on; see README.
import { Command } from 'commander';
import { registerBench } from './bench/run-bench';
import { registerEvidenceCommands } from './commands/evidence';
import { registerImport } from './commands/import';
import { registerPorts } from './commands/ports';
import { registerRadioSim } from './commands/radio-sim';
import { registerReadCommands } from './commands/read';
import { registerServe } from './commands/serve';
import { registerSync } from './commands/sync';
import { registerWriteCommands } from './commands/write';
import { VERSION } from './context';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('mandala')
    .description('Mandala: an offline-first operations console for truck fleets (node, sync, console)')
    .version(VERSION)
    .showHelpAfterError('(run `mandala --help` for the list of verbs)');
  registerWriteCommands(program);
  registerReadCommands(program);
  registerEvidenceCommands(program);
  registerImport(program);
  registerServe(program);
  registerSync(program);
  registerBench(program);
  registerPorts(program);
  registerRadioSim(program);
  await program.parseAsync(argv);
}

void main(process.argv);
