// The `mandala` executable: the product's verbs (src/cli) and the lab's (src/lab: the radio
// simulator and the benchmarks). The one file that sees both; nothing imports it.
import { createProgram } from '../cli/program';
import { registerBench } from '../lab/bench/run-bench';
import { registerRadioSim } from '../lab/radio-sim/radio-sim-command';

async function main(argv: string[]): Promise<void> {
  const program = createProgram();
  registerBench(program);
  registerRadioSim(program);
  await program.parseAsync(argv);
}

void main(process.argv);
