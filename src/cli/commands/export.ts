// `mandala export gpx|kml|csv|conflicts --out FILE`: trucks' tracks for GPS tools, GIS and
// spreadsheets, or the conflict timeline as CSV. Reads the same fold as `mandala view fleet`.
import type { Command } from 'commander';
import { MandalaError } from '../../node/errors';
import { conflictsCsvChunks } from '../../node/export/conflicts-csv';
import { writeExportFile } from '../../node/export/export-file';
import { TRACK_ENCODERS } from '../../node/export/formats';
import { TRACK_FORMATS, trackChunks, type TrackFormat } from '../../node/export/track-export';
import { action, say, withDataOption, type DataOption } from '../context';
import { progressPrinter } from '../progress';
import { foldStore } from './write';

const FORMATS = [...TRACK_FORMATS, 'conflicts'] as const;

interface ExportOptions extends DataOption {
  truck: string[];
  from?: string;
  to?: string;
  out: string;
}

function parseTime(flag: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) throw new MandalaError('bad_time', `${flag} "${text}" is not an ISO 8601 time (e.g. 2026-11-22T10:15:00Z or 2026-11-22)`);
  return ms;
}

const count = (n: number) => n.toLocaleString('en');

export function registerExport(program: Command): void {
  withDataOption(
    program
      .command('export <format>')
      .description(`export trucks' tracks (gpx, kml, csv: flagged fixes marked) or the conflict timeline (conflicts: CSV)`)
      .requiredOption('--out <file>', 'the file to write (written whole, or not at all)')
      .option('--truck <id>', 'only this truck (repeat for several); default: every truck', (v: string, all: string[]) => [...all, v], [])
      .option('--from <iso8601>', 'only fixes taken at or after this time')
      .option('--to <iso8601>', 'only fixes taken at or before this time'),
  ).action(
    action((format: string, opts: ExportOptions) => {
      if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw new MandalaError('unknown_format', `no export format "${format}"; choose one of ${FORMATS.join(', ')}`);
      const fromMs = parseTime('--from', opts.from);
      const toMs = parseTime('--to', opts.to);
      if (fromMs !== null && toMs !== null && toMs < fromMs) throw new MandalaError('bad_time', `--to (${opts.to}) is before --from (${opts.from}); nothing would be exported`);
      const { node, live } = foldStore(opts);
      try {
        if (format === 'conflicts') {
          if (opts.truck.length > 0 || fromMs !== null || toMs !== null) throw new MandalaError('bad_option', '--truck, --from and --to choose fixes of tracks; the conflicts export has every entry');
          const entries = live.projections.conflicts.entries();
          const names = live.names;
          const bytes = writeExportFile(opts.out, conflictsCsvChunks(entries, (a) => names.get(a) ?? a.slice(0, 8)));
          say(`wrote ${opts.out}: ${count(entries.length)} conflict timeline entries (${count(bytes)} bytes)`);
          return;
        }
        const progress = progressPrinter(200_000);
        const run = trackChunks(live.projections.fleet, { trucks: opts.truck, fromMs, toMs }, TRACK_ENCODERS[format as TrackFormat], (p) => {
          const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100;
          if (p.total >= 50_000) progress.update(pct, p.done, `exporting: ${pct}%  ${count(p.done)} of ${count(p.total)} fixes`);
        });
        const bytes = writeExportFile(opts.out, run.chunks);
        progress.done();
        const s = run.summary();
        const flagged = s.flagged > 0 ? `, ${count(s.flagged)} of them flagged (marked with their reason)` : '';
        say(`wrote ${opts.out}: ${count(s.tracks)} ${s.tracks === 1 ? 'track' : 'tracks'}, ${count(s.points)} fixes${flagged} (${count(bytes)} bytes)`);
        if (s.points === 0) say('no fixes matched: the file holds no track (check --truck, --from and --to against `mandala view fleet`)');
      } finally {
        node.store.close();
      }
    }),
  );
}
