// The `mandala` command's product verbs. Its verbs are a contract that tests and scripts rely on;
// see README. The executable (src/bin/mandala.ts) adds the lab's verbs (radio-sim, bench).
import { Command } from 'commander';
import { EXIT } from './context';
import { registerEvidenceCommands } from './commands/evidence';
import { registerFleetCommands } from './commands/fleet';
import { registerFleetConfig } from './commands/fleet-config';
import { registerAlertCommands } from './commands/alerts';
import { registerExport } from './commands/export';
import { registerImport } from './commands/import';
import { registerPorts } from './commands/ports';
import { registerReadCommands } from './commands/read';
import { registerServe } from './commands/serve';
import { registerIngest } from './commands/ingest';
import { registerDevice } from './commands/device';
import { registerSync } from './commands/sync';
import { registerWriteCommands } from './commands/write';
import { VERSION } from './context';

export function createProgram(): Command {
  const program = new Command('mandala')
    .description('Mandala: an offline-first operations console for truck fleets (node, sync, console)')
    .version(VERSION)
    .showHelpAfterError('(run `mandala --help` for the list of verbs)')
    // A usage error (unknown verb or option, missing argument) is bad input: exit 2, as the
    // README says, not commander's 1. Help and --version still exit 0. Verbs inherit this.
    .exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : EXIT.usage));
  registerWriteCommands(program);
  registerFleetCommands(program);
  registerFleetConfig(program);
  registerAlertCommands(program);
  registerReadCommands(program);
  registerEvidenceCommands(program);
  registerExport(program);
  registerImport(program);
  registerServe(program);
  registerIngest(program);
  registerDevice(program);
  registerSync(program);
  registerPorts(program);
  return program;
}
