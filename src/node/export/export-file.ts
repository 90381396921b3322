// Writes an export to disk so that a reader never sees half a file: the chunks go to a
// neighbouring temporary file, flushed, then renamed over the target. A failure removes the
// temporary file and leaves whatever was at the target untouched.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MandalaError } from '../errors';

export function writeExportFile(path: string, chunks: Iterable<string>): number {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  let fd: number;
  try {
    fd = openSync(tmp, 'w', 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'this user may not write there' : (e as Error).message;
    throw new MandalaError('export_not_writable', `cannot write ${path}: ${why}; give --out a file in a folder you can write to`);
  }
  let bytes = 0;
  try {
    let pending: string[] = [];
    let size = 0;
    const flush = () => {
      if (pending.length === 0) return;
      bytes += writeSync(fd, pending.join(''));
      pending = [];
      size = 0;
    };
    for (const c of chunks) {
      pending.push(c);
      size += c.length;
      if (size >= 1 << 20) flush();
    }
    flush();
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    return bytes;
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}
