// Turns SQLite failures into errors a person can act on. The raw SQLite code stays in the
// message for whoever reads logs; the sentence says what to do.
import { MandalaError } from '../../errors';

export function translateSqliteError(e: unknown, path: string): Error {
  if (e instanceof MandalaError) return e;
  const code = (e as { code?: string }).code ?? '';
  const raw = (e as Error).message ?? String(e);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new MandalaError(
      'store_corrupt',
      `the event database ${path} is damaged (${raw}). Mandala did not modify it. Restore it from a backup, or move it aside and let this node re-sync from its peers.`,
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new MandalaError('store_busy', `the event database ${path} is locked by another process for too long (${raw}); try again.`);
  }
  if (code === 'SQLITE_FULL') {
    return new MandalaError('disk_full', `the disk holding ${path} is full; free space and retry. Nothing acknowledged was lost.`);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return new MandalaError('store_unwritable', `cannot open ${path} for writing (${raw}); check that the folder exists and that you own it.`);
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new MandalaError('store_io_error', `reading or writing ${path} failed (${raw}); check the disk.`);
  }
  return e instanceof Error ? e : new Error(raw);
}
