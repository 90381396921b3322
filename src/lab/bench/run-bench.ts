// `mandala bench`: runs the benchmark sections, prints the table and writes JSON. Every figure
// sits next to a baseline measured in the same run, because these machines are shared and noisy
// and only same-run ratios mean anything.
import type { Command } from 'commander';
import { join } from 'node:path';
import { SystemClock } from '../../node/clock/system-clock';
import { action, note, say } from '../../cli/context';
import { benchIngest } from './ingest-bench';
import { benchRebuild } from './rebuild-bench';
import { benchWire } from './wire-bench';
import { benchDecode } from './decode-bench';
import { benchMesh } from './mesh-bench';
import { benchImport } from './import-bench';
import { benchIntake } from './intake-bench';
import { benchScale } from './scale-bench';
import { benchReplication } from './replication-bench';
import { benchConsole } from './console-bench';
import { newReport, renderTable, writeJson, type BenchRow } from './report';

const SECTIONS: Record<string, (scale: number, log: (s: string) => void) => BenchRow[] | Promise<BenchRow[]>> = {
  ingest: benchIngest,
  rebuild: benchRebuild,
  wire: benchWire,
  decode: benchDecode,
  mesh: benchMesh,
  import: benchImport,
  intake: benchIntake,
  scale: benchScale,
  replication: benchReplication,
  console: benchConsole,
};

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run the benchmarks; prints a table and writes JSON')
    .option('--scale <n>', 'workload size multiplier (1 = full: 200k ingest, 1M rebuild)', '1')
    .option('--only <sections>', `comma-separated subset of: ${Object.keys(SECTIONS).join(', ')}`)
    .option('--out <file>', 'where to write the JSON', join('bench-results', 'bench.json'))
    .action(
      action(async (opts: { scale: string; only?: string; out: string }) => {
        const scale = Number(opts.scale);
        const names = opts.only ? opts.only.split(',').map((s) => s.trim()) : Object.keys(SECTIONS);
        const report = newReport(new Date(new SystemClock().nowMs()).toISOString(), scale);
        for (const name of names) {
          const section = SECTIONS[name];
          if (!section) throw new Error(`no bench section ${name}`);
          report.rows.push(...(await section(scale, note)));
        }
        say(renderTable(report));
        writeJson(report, opts.out);
        say(`\nwrote ${opts.out}`);
      }),
    );
}
