// How a checkpoint keeps the fleet's trails: each sealed chunk's packed bytes as they are (one
// blob for the fleet, a list of (fixes, first and last fix time, length) beside it) and each
// author's order notes, so that a start from a checkpoint unpacks and sorts nothing.
import type { Value } from '../encoding/canonical';
import { PACKED_FIELDS, S, type SealedChunk } from './fix-chunk';
import type { AuthorNotes } from './fleet-trail';
import { asList, asNum, f64Bytes, readF64, SnapshotError } from './snapshot-codec';

/** Numbers per chunk in the list: fixes, first fix time, last fix time, bytes (negative: the cells unpacked). */
export const CHUNK_META = 4;

/** The bytes a chunk is saved as: its packing, or its cells when they could not be packed. */
export function chunkBytes(ch: SealedChunk): Uint8Array {
  return ch.packed ?? new Uint8Array(ch.raw!.buffer, ch.raw!.byteOffset, ch.raw!.byteLength);
}

/** Writes chunk number `k` into the list and its bytes into `blob` at `at`; returns where the next one goes. */
export function writeChunk(ch: SealedChunk, meta: Float64Array, k: number, blob: Uint8Array, at: number): number {
  const bytes = chunkBytes(ch);
  meta.set([ch.count, ch.firstFixMs, ch.lastFixMs, ch.packed ? bytes.length : -bytes.length], k * CHUNK_META);
  blob.set(bytes, at);
  return at + bytes.length;
}

export function readChunkList(v: Value | undefined): Float64Array {
  if (!(v instanceof Uint8Array) || v.length % (CHUNK_META * 8) !== 0) throw new SnapshotError('fleet: the chunk list has the wrong length');
  return readF64(v, v.length / 8, 'fleet chunks');
}

/**
 * Chunks [first, first + n) of the list, their packed bytes views into `blob` from `at` on
 * (keep the blob for them), unjudged (one judgement buffer for them all).
 */
export function readChunks(meta: Float64Array, first: number, n: number, blob: Uint8Array, at: number): SealedChunk[] {
  if ((first + n) * CHUNK_META > meta.length) throw new SnapshotError('fleet: truck chunk counts exceed the chunk list');
  let fixes = 0;
  for (let k = first; k < first + n; k++) {
    const count = meta[k * CHUNK_META]!;
    if (!Number.isSafeInteger(count) || count <= 0) throw new SnapshotError(`fleet: chunk ${k} holds ${count} fixes`);
    fixes += count;
  }
  const judged = new Uint8Array(fixes);
  const out: SealedChunk[] = [];
  let into = 0;
  for (let k = first; k < first + n; k++) {
    const [count, firstFixMs, lastFixMs, len] = meta.subarray(k * CHUNK_META, (k + 1) * CHUNK_META) as unknown as [number, number, number, number];
    const size = Math.abs(len);
    if (!Number.isSafeInteger(len) || at + size > blob.length) throw new SnapshotError('fleet: the packed fixes are shorter than their chunks');
    // A packed fix is at least one byte per field; an unpacked one exactly its cells.
    if (len >= 0 && size < count * PACKED_FIELDS) throw new SnapshotError(`fleet: chunk ${k} packs ${count} fixes in ${size} bytes`);
    if (len < 0 && size !== count * S * 4) throw new SnapshotError('fleet: an unpacked chunk has the wrong length');
    if (!(firstFixMs <= lastFixMs)) throw new SnapshotError(`fleet: chunk ${k} ends before it starts`);
    const bytes = blob.subarray(at, at + size);
    out.push({ count, firstFixMs, lastFixMs, judged: judged.subarray(into, into + count), packed: len >= 0 ? bytes : null, raw: len < 0 ? new Int32Array(bytes.slice().buffer) : null });
    into += count;
    at += size;
  }
  return out;
}

export function notesToValue(notes: readonly AuthorNotes[]): Value {
  return notes.map((x) => [x.author, x.lastSeq, Number.isFinite(x.newest) ? x.newest : null, f64Bytes(Float64Array.from(x.late))]);
}

export function notesFromValue(v: Value | undefined): AuthorNotes[] {
  return asList(v, 'order notes').map((x) => {
    const [a, lastSeq, newest, late] = asList(x, 'order note');
    // (seq, by how much) pairs of doubles.
    if (!(late instanceof Uint8Array) || late.length % 16 !== 0) throw new SnapshotError('fleet: late fixes have the wrong length');
    return {
      author: asNum(a, 'note author'),
      lastSeq: asNum(lastSeq, 'note seq'),
      newest: newest === null ? Number.NEGATIVE_INFINITY : asNum(newest, 'note newest'),
      late: [...readF64(late, late.length / 8, 'late fixes')],
    };
  });
}
