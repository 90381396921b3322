// `mandala record attach RID FILE`: what the console's Attach file… does. The file's bytes go as
// chunks into the node's side feed (synced over the LAN, never over the radio) and the record
// names the file by its SHA-256, size and type.
import type { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { KINDS, MAX_NAME_LENGTH } from '../../core/events/kinds';
import { foldRecords } from '../../core/live/live-state';
import { BlobStore, MAX_ATTACHMENT_BYTES } from '../../node/attachments/blob-store';
import { MandalaError } from '../../node/errors';
import { action, withDataOption, type DataOption } from '../context';
import { writeEvents } from './write';

/** The usual types by extension; anything else is application/octet-stream unless --mime says. */
const MIME: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.json': 'application/json',
};

function readAttachment(path: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new MandalaError('bad_usage', `${path} is not a file; give the path of the file to attach`);
    size = st.size;
  } catch (e) {
    if (e instanceof MandalaError) throw e;
    throw new MandalaError('bad_usage', `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was attached`);
  }
  if (size === 0) throw new MandalaError('empty_file', `${path} is empty; nothing was attached`);
  if (size > MAX_ATTACHMENT_BYTES) throw new MandalaError('file_too_large', `${path} is ${(size / 1e6).toFixed(1)} MB; an attachment may be at most ${(MAX_ATTACHMENT_BYTES / 1e6).toFixed(1)} MB (photos: send a smaller copy); nothing was attached`);
  return new Uint8Array(readFileSync(path));
}

export function registerAttachCommand(record: Command): void {
  withDataOption(record.command('attach <rid> <file>').description('attach a file (up to 3 MB) to a record; its bytes sync over the LAN only'))
    .option('--name <name>', "the name the record shows (default: the file's own name)")
    .option('--mime <type>', 'its media type (default: from the extension, e.g. image/jpeg)')
    .action(
      action((rid: string, file: string, opts: DataOption & { name?: string; mime?: string }) => {
        const name = (opts.name ?? basename(file)).trim();
        if (!name || name.length > MAX_NAME_LENGTH) throw new MandalaError('bad_usage', `the attachment's name must be 1 to ${MAX_NAME_LENGTH} characters; give a shorter one with --name`);
        const bytes = readAttachment(file);
        writeEvents(opts, (node, side) => {
          if (foldRecords(node.store).formOf(rid) === null) throw new MandalaError('unknown_record', `there is no record ${rid}; create it first (mandala record create ${rid} FORM); nothing was attached`);
          const blobs = new BlobStore(node.store, node.crypto);
          const blobHash = blobs.hashOf(bytes);
          // The same file attached before (to any record) is not written again.
          if (blobs.read(blobHash) === null) {
            const refused = side(blobs.chunkDrafts(bytes)).find((r) => !r.ok);
            if (refused && !refused.ok) throw new MandalaError(refused.code, `refused: ${refused.message}; nothing was attached`);
          }
          const mime = opts.mime ?? MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
          return [{ kind: KINDS.attachmentAdd, payload: { record_id: rid, field: name, blob_hash: blobHash, size: bytes.length, mime } }];
        });
      }),
    );
}
