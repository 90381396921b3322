// Console API for attachments: a file attached to a record (its bytes written as chunks to this
// node's side feed, then the record's attachment.add naming it by its SHA-256), and a file's bytes
// read back whole and checked against that name.
import type { ApiHandlers } from '../../shared/api';
import { KINDS, MAX_NAME_LENGTH, validatePayload } from '../../core/events/kinds';
import { setImmediate as turn } from 'node:timers/promises';
import { MAX_ATTACHMENT_BYTES } from '../attachments/blob-store';
import type { NodeApi } from './node-api';

type AttachmentHandlers = Pick<ApiHandlers, 'records.attach' | 'records.attachment'>;

const HEX64 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Chunks per append: one commit, and a turn for everything else between them. */
const CHUNKS_PER_APPEND = 32;

/** As the console writes sizes (kB and MB of 1,000). */
function sizeText(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

export function createAttachmentHandlers(node: NodeApi, fail: (code: string, message: string) => never): AttachmentHandlers {
  return {
    'records.attach': async (args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      const recordId = a['recordId'];
      const name = a['name'];
      const mime = a['mime'] ?? 'application/octet-stream';
      const data = a['dataBase64'];
      if (typeof recordId !== 'string' || recordId.length === 0 || recordId.length > 64) fail('bad_request', 'recordId must be a record id');
      if (typeof name !== 'string' || name.trim().length === 0 || name.trim().length > MAX_NAME_LENGTH) fail('bad_request', `name must be the file's name (1 to ${MAX_NAME_LENGTH} characters); rename the file and attach it again`);
      if (typeof mime !== 'string' || mime.length > 100) fail('bad_request', 'mime must be a media type such as image/jpeg');
      if (typeof data !== 'string' || data.length % 4 !== 0 || !BASE64.test(data)) fail('bad_request', "dataBase64 must be the file's bytes in base64");
      if (node.projections.records.formOf(recordId as string) === null) fail('unknown_record', `there is no record ${String(recordId)}; create it first`);
      const bytes = Buffer.from(data as string, 'base64');
      if (bytes.length === 0) fail('empty_file', `${String(name)} is empty; nothing was attached`);
      if (bytes.length > MAX_ATTACHMENT_BYTES) fail('file_too_large', `${String(name)} is ${sizeText(bytes.length)}; an attachment may be at most ${sizeText(MAX_ATTACHMENT_BYTES)} (photos: send a smaller copy)`);
      const side = node.appendSide ?? fail('attachments_unavailable', 'this node keeps no side feed for attachments (it was made by an older version); nothing was attached');
      const file = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
      const blobHash = node.blobs.hashOf(file);
      const add = { kind: KINDS.attachmentAdd, payload: { record_id: recordId as string, field: (name as string).trim(), blob_hash: blobHash, size: file.length, mime: mime as string } };
      // Checked before any byte is written: no chunks left behind by a record event refused after them.
      const problem = validatePayload(add.kind, add.payload) ?? node.check([add]);
      if (problem) fail(problem.code, `${problem.message}; nothing was attached`);
      // The same file attached again (here or to another record) is not written twice.
      if (node.blobs.read(blobHash) === null) {
        const drafts = node.blobs.chunkDrafts(file);
        for (let i = 0; i < drafts.length; i += CHUNKS_PER_APPEND) {
          const results = side(drafts.slice(i, i + CHUNKS_PER_APPEND));
          const refused = results.find((r) => !r.ok);
          if (refused && !refused.ok) fail(refused.code, `${refused.message}; the record was not changed`);
          await turn();
        }
      }
      return node.append([add])[0]!;
    },
    'records.attachment': (args) => {
      const blobHash = (args as { blobHash?: unknown } | null)?.blobHash;
      if (typeof blobHash !== 'string' || !HEX64.test(blobHash)) fail('bad_request', 'blobHash must be 64 lowercase hex digits');
      const bytes = node.blobs.read(blobHash as string);
      if (!bytes) {
        const listed = node.projections.records.attachmentSize(blobHash as string);
        const held = listed === null ? { have: 0, count: null } : node.blobs.held(blobHash as string, listed);
        fail(
          'attachment_not_here',
          held.count === null
            ? 'this file is not on this node yet: its bytes come over the LAN from the node that attached it (radio links carry only its name)'
            : `only ${held.have} of the file's ${held.count} parts are here; the rest come with the next LAN sync`,
        );
      }
      return { blobHash: blobHash as string, size: bytes!.length, dataBase64: Buffer.from(bytes!).toString('base64') };
    },
  };
}
