// `mandala import-meshlog FILE`: brings a meshlogd (prototype) data file into this node. Sound
// events are imported; every bad line is reported with its number and reason.
import type { Command } from 'commander';
import { MonotonicClock } from '../../core/clock/clock';
import { SystemClock } from '../../node/clock/system-clock';
import { MeshlogImporter, type ImportProgress, type ImportReport } from '../../node/import/meshlog-import';
import { LocalWriter, seededHlc } from '../../node/writing/local-writer';
import { openNode } from '../../node/open-node';
import { action, dataDir, EXIT, note, say, withDataOption, type DataOption } from '../context';
import { progressPrinter } from '../progress';

const SHOW_PROBLEMS = 50;

function importProgress(): { update: (p: ImportProgress) => void; done: () => void } {
  const printer = progressPrinter(100_000);
  return {
    update: (p) => {
      const pct = p.bytesTotal > 0 ? Math.floor((p.bytesRead / p.bytesTotal) * 100) : 100;
      printer.update(pct, p.lines, `importing: ${pct}%  ${p.lines.toLocaleString('en')} lines read, ${p.imported.toLocaleString('en')} events imported`);
    },
    done: () => printer.done(),
  };
}

function describe(r: ImportReport, nodeName: string): string {
  const lines = [
    `imported ${r.imported.toLocaleString('en')} events (${r.alreadyHeld.toLocaleString('en')} already held) from ${r.lines.toLocaleString('en')} lines of ${r.file.name} (sha256 ${r.file.sha256.slice(0, 16)}…)`,
    ...r.feeds.map((f) => `  feed ${f.name}: seq 1–${f.seq} as author ${f.author.slice(0, 16)}… (imported, unsigned)`),
  ];
  const n = (k: number, one: string, many: string) => `${k.toLocaleString('en')} ${k === 1 ? one : many}`;
  if (r.duplicateLines) lines.push(`  ${n(r.duplicateLines, 'line repeats an earlier event and was', 'lines repeat earlier events and were')} skipped`);
  if (r.placeholders) lines.push(`  ${n(r.placeholders, 'line holds', 'lines hold')} what a Mandala event cannot keep exactly: imported as placeholders, so the rest of their feeds imported`);
  for (const w of r.warnings) lines.push(`  note: ${w}`);
  if (r.problems.length) {
    lines.push(`  ${n(r.problems.length, 'line', 'lines')} not imported as written:`);
    for (const p of r.problems.slice(0, SHOW_PROBLEMS)) lines.push(`    line ${p.line} [${p.code}]: ${p.message}`);
    if (r.problems.length > SHOW_PROBLEMS) lines.push(`    … and ${r.problems.length - SHOW_PROBLEMS} more (--json lists them all)`);
  }
  if (r.feeds.length) lines.push(`  meshlogd signed nothing: these feeds are marked imported, and this node (${nodeName}) vouches for them with its key.`);
  return lines.join('\n');
}

export function registerImport(program: Command): void {
  withDataOption(program.command('import-meshlog <file>').description("import a meshlogd data file (JSONL); each event's id is checked by meshlogd's rule"))
    .option('--json', 'print the import report as JSON')
    .action(
      action((file: string, opts: DataOption & { json?: boolean }) => {
        const dir = dataDir(opts);
        const node = openNode(dir, { create: true, onWarning: note });
        try {
          if (node.created) note(`created a new Mandala node in ${dir}`);
          const clock = new MonotonicClock(new SystemClock());
          const { hlc } = seededHlc(node.store, clock);
          const writer = new LocalWriter({ store: node.store, identity: node.identity, clock, hlc, ownHeads: node.ownHeads ?? undefined });
          if (node.store.head(node.identity.author) === null) writer.ensureProfile(node.config.name, null);
          const progress = importProgress();
          const importer = new MeshlogImporter({ store: node.store, crypto: node.crypto, identity: node.identity, clock, append: (d) => writer.append(d), onProgress: progress.update });
          const report = importer.importFile(file);
          progress.done();
          say(opts.json ? JSON.stringify(report, null, 2) : describe(report, node.config.name));
          if (report.problems.length > 0) process.exitCode = EXIT.partial;
        } finally {
          node.store.close();
        }
      }),
    );
}
