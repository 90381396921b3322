// The conflict timeline as CSV, for an auditor's spreadsheet: one row per entry in time order,
// with the sentence the console shows and the events involved (author#seq, full author ids).
// Text a spreadsheet would run as a formula is written as text (spreadsheet-safe.ts).
import { stringify } from 'csv-stringify/sync';
import type { ConflictEntry } from '../../core/projections/conflicts';
import { conflictSummary } from '../api/conflict-dto';
import { textCell } from './spreadsheet-safe';
import { isoTime } from './track-export';

export const CONFLICTS_CSV_HEADER = ['time', 'kind', 'status', 'record', 'field', 'truck', 'summary', 'authors', 'events', 'id'] as const;

const PAGE = 2000;

export function* conflictsCsvChunks(entries: readonly ConflictEntry[], nameOf: (author: string) => string, quarantinedHere?: (author: string) => boolean): Iterable<string> {
  yield stringify([[...CONFLICTS_CSV_HEADER]]);
  for (let i = 0; i < entries.length; i += PAGE) {
    const rows = entries.slice(i, i + PAGE).map((e) => [
      isoTime(e.atMs),
      e.kind,
      e.status ?? '',
      textCell(e.record ?? ''),
      textCell(e.field ?? ''),
      textCell(e.truck ?? ''),
      textCell(conflictSummary(e, nameOf, quarantinedHere)),
      e.authors.join(' '),
      e.refs.map(([a, s]) => `${a}#${s}`).join(' '),
      e.id,
    ]);
    yield stringify(rows);
  }
}
