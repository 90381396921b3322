// Attachments' bytes, kept as blob.chunk events in the node's side feed (the one its reports are
// in: signed, hash-chained, synced over the LAN and never over the radio, whose airtime they would
// eat). The record's attachment.add event names the file by the SHA-256 of its bytes, so it
// crosses the radio at once while the bytes follow over the next LAN sync. This index learns the
// chunks as they land (read by kind, from where it stopped) and gives a file back only whole and
// only when its bytes hash to the name: a chunk damaged or forged by a peer is never served.
import { toHex } from '../../core/encoding/bytes';
import type { ValueMap } from '../../core/encoding/canonical';
import type { Hasher } from '../../core/crypto/ports';
import type { AuthorId } from '../../core/events/event';
import { BLOB_CHUNK_BYTES, KINDS, MAX_BLOB_CHUNKS, validatePayload } from '../../core/events/kinds';
import type { FeedLog, LocalDraft } from '../../core/store/feed-log';

/** The largest file an attachment may be (3 MB; it fits MAX_BLOB_CHUNKS chunks). */
export const MAX_ATTACHMENT_BYTES = 3_000_000;
if (MAX_ATTACHMENT_BYTES > BLOB_CHUNK_BYTES * MAX_BLOB_CHUNKS) throw new Error('MAX_ATTACHMENT_BYTES must fit in MAX_BLOB_CHUNKS chunks');

interface Blob {
  readonly count: number;
  /** Where each chunk is, by index: every copy seen, as [author, seq] (a peer's forged copy among them). */
  readonly chunks: Map<number, (readonly [AuthorId, number])[]>;
}

/** How many chunks a file of `size` bytes is cut into. */
export function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / BLOB_CHUNK_BYTES));
}

const PAGE = 2000;

export class BlobStore {
  /** By file hash, then by chunk count: chunks claiming another count are kept apart (a forgery cannot hide the real ones). */
  private readonly blobs = new Map<string, Map<number, Blob>>();
  private cursor = 0;

  constructor(
    private readonly log: Pick<FeedLog, 'readKinds' | 'readRange'>,
    private readonly hasher: Hasher,
  ) {}

  /** The SHA-256 a file is named by. */
  hashOf(bytes: Uint8Array): string {
    return toHex(this.hasher.sha256(bytes));
  }

  /** The chunk events that carry `bytes` (for the side feed). */
  chunkDrafts(bytes: Uint8Array): LocalDraft[] {
    if (bytes.length === 0 || bytes.length > MAX_ATTACHMENT_BYTES) throw new RangeError(`an attachment must be 1 to ${MAX_ATTACHMENT_BYTES} bytes`);
    const blobHash = this.hashOf(bytes);
    const count = chunkCount(bytes.length);
    return Array.from({ length: count }, (_, index) => ({
      kind: KINDS.blobChunk,
      payload: { blob_hash: blobHash, index, count, bytes: bytes.subarray(index * BLOB_CHUNK_BYTES, (index + 1) * BLOB_CHUNK_BYTES) },
    }));
  }

  /** How many of the chunks of a file of `size` bytes this node holds, of how many (0 of null: none seen yet). */
  held(blobHash: string, size: number): { readonly have: number; readonly count: number | null } {
    this.catchUp();
    const blob = this.blobs.get(blobHash)?.get(chunkCount(size));
    return blob ? { have: blob.chunks.size, count: blob.count } : { have: 0, count: null };
  }

  /**
   * The whole file, or null while a chunk is missing or no set of chunks hashes to the name. Each
   * feed that holds every chunk is tried on its own (the uploader's side feed holds them all), then
   * the first copies seen, so a peer's forged chunk cannot hide the real file.
   */
  read(blobHash: string): Uint8Array | null {
    this.catchUp();
    for (const blob of this.blobs.get(blobHash)?.values() ?? []) {
      const whole = this.readWhole(blobHash, blob);
      if (whole) return whole;
    }
    return null;
  }

  private readWhole(blobHash: string, blob: Blob): Uint8Array | null {
    if (blob.chunks.size < blob.count) return null;
    const feeds = new Set((blob.chunks.get(0) ?? []).map(([author]) => author));
    const tries: (readonly [AuthorId, number])[][] = [];
    for (const author of feeds) {
      const refs = Array.from({ length: blob.count }, (_, i) => blob.chunks.get(i)!.find(([a]) => a === author));
      if (refs.every((r) => r !== undefined)) tries.push(refs as (readonly [AuthorId, number])[]);
    }
    tries.push(Array.from({ length: blob.count }, (_, i) => blob.chunks.get(i)![0]!));
    for (const refs of tries) {
      const whole = this.join(refs);
      if (whole && this.hashOf(whole) === blobHash) return whole;
    }
    return null;
  }

  private join(refs: readonly (readonly [AuthorId, number])[]): Uint8Array | null {
    const parts: Uint8Array[] = [];
    for (const [author, seq] of refs) {
      const bytes = (this.log.readRange(author, seq, seq)[0]?.payload as ValueMap | undefined)?.['bytes'];
      if (!(bytes instanceof Uint8Array)) return null;
      parts.push(bytes);
    }
    const whole = Buffer.concat(parts);
    return new Uint8Array(whole.buffer, whole.byteOffset, whole.length);
  }

  private catchUp(): void {
    for (;;) {
      const page = this.log.readKinds([KINDS.blobChunk], this.cursor, PAGE);
      for (const ev of page.events) {
        if (validatePayload(ev.kind, ev.payload) !== null) continue;
        const p = ev.payload as ValueMap;
        const blobHash = p['blob_hash'] as string;
        const count = p['count'] as number;
        const byCount = this.blobs.get(blobHash) ?? new Map<number, Blob>();
        this.blobs.set(blobHash, byCount);
        const blob = byCount.get(count) ?? { count, chunks: new Map() };
        byCount.set(count, blob);
        const index = p['index'] as number;
        const copies = blob.chunks.get(index) ?? [];
        copies.push([ev.author, ev.seq]);
        blob.chunks.set(index, copies);
      }
      this.cursor = page.cursor;
      if (page.events.length < PAGE) return;
    }
  }
}
