// Console API for exports: the same files `mandala export` writes, made on the node from its live
// fold and handed to the console to save. The text is built a page of fixes at a time, and the
// node's event loop gets a turn between pages, so a long export never freezes sync or intake.
import { setImmediate as turn } from 'node:timers/promises';
import type { ApiHandlers, ExportFileDto, TrackExportFormatDto } from '../../shared/api';
import { conflictsCsvChunks } from '../export/conflicts-csv';
import { TRACK_ENCODERS } from '../export/formats';
import { TRACK_FORMATS, trackChunks, type TrackQuery } from '../export/track-export';
import type { NodeApi } from './node-api';
import type { Job } from '../jobs/job-board';
import { timeWindowArgs } from './time-args';

type ExportHandlers = Pick<ApiHandlers, 'export.tracks' | 'export.conflicts'>;

/** Past this the console's file is too big to hand over in one message: the CLI writes any size. */
export const CONSOLE_EXPORT_MAX_FIXES = 500_000;
const CHUNKS_PER_TURN = 4;

async function gather(chunks: Iterable<string>): Promise<string> {
  const parts: string[] = [];
  let n = 0;
  for (const c of chunks) {
    parts.push(c);
    if (++n % CHUNKS_PER_TURN === 0) await turn();
  }
  return parts.join('');
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
}

/** e.g. mandala-tracks-KBT-1-20261201-20261202.gpx; mandala-tracks-fleet-all.kml. */
export function exportFileName(query: TrackQuery, extension: string): string {
  const who = query.trucks && query.trucks.length === 1 ? query.trucks[0]!.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'truck' : query.trucks && query.trucks.length > 1 ? `${query.trucks.length}-trucks` : 'fleet';
  const when = query.fromMs === null && query.toMs === null ? 'all' : `${query.fromMs === null ? 'start' : dayOf(query.fromMs)}-${query.toMs === null ? 'now' : dayOf(query.toMs)}`;
  return `mandala-tracks-${who}-${when}.${extension}`;
}

function parseQuery(args: unknown, fail: (code: string, m: string) => never): { format: TrackExportFormatDto; query: TrackQuery } {
  const a = (args ?? {}) as Record<string, unknown>;
  const format = a['format'];
  if (typeof format !== 'string' || !TRACK_FORMATS.includes(format as TrackExportFormatDto)) fail('unknown_format', `format must be one of ${TRACK_FORMATS.join(', ')}`);
  const trucks = a['trucks'];
  if (trucks !== undefined && (!Array.isArray(trucks) || trucks.length > 5000 || trucks.some((t) => typeof t !== 'string' || t.length === 0 || t.length > 200))) fail('bad_request', 'trucks must be a list of truck ids');
  const { fromMs, toMs } = timeWindowArgs(a, fail, 'the end of the time window is before its start; nothing would be exported');
  return { format: format as TrackExportFormatDto, query: { trucks: (trucks as string[] | undefined) ?? null, fromMs, toMs } };
}

export function createExportHandlers(node: NodeApi, fail: (code: string, message: string) => never): ExportHandlers {
  return {
    'export.tracks': async (args): Promise<ExportFileDto> => {
      const { format, query } = parseQuery(args, fail);
      const encoder = TRACK_ENCODERS[format];
      // An unknown truck is a MandalaError: the dispatch passes its code on as it is.
      // The console shows its progress (node.info's jobs) while the pages are written.
      let job: Job | null = null;
      const run = trackChunks(node.projections.fleet, query, encoder, (p) => job?.progress(p.done, p.total));
      if (run.total > CONSOLE_EXPORT_MAX_FIXES) {
        fail('export_too_large', `${run.total.toLocaleString('en')} fixes are more than the console saves at once (${CONSOLE_EXPORT_MAX_FIXES.toLocaleString('en')}); choose fewer trucks or a shorter window, or write any size with \`mandala export ${format} --out FILE\``);
      }
      const text = await node.jobs.run(
        'export',
        `exporting ${run.total.toLocaleString('en')} fixes as ${format.toUpperCase()}`,
        (j) => {
          job = j;
          return gather(run.chunks);
        },
        run.total,
      );
      const s = run.summary();
      return { fileName: exportFileName(query, encoder.extension), mime: encoder.mime, text, tracks: s.tracks, points: s.points, flagged: s.flagged };
    },
    'export.conflicts': async (): Promise<ExportFileDto> => {
      const entries = node.projections.conflicts.entries();
      const quarantined = new Set(node.quarantined());
      const text = await node.jobs.run('export', 'exporting the conflict timeline as CSV', () => gather(conflictsCsvChunks(entries, (a) => node.nameOf(a), (a) => quarantined.has(a))));
      return { fileName: 'mandala-conflicts.csv', mime: 'text/csv', text, tracks: 0, points: entries.length, flagged: 0 };
    },
  };
}
