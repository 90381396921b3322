// Helpers for saving projection state into a checkpoint: an author table (each 32-byte author
// once, then an index) and numeric columns packed as typed-array bytes. A checkpoint is local to
// the machine that wrote it (it is never replicated), so native byte order is fine; a state hash
// guards it against a damaged file.
import type { Value } from '../encoding/canonical';
import { hexToBytes, toHex } from '../encoding/bytes';
import type { EventBody } from '../events/event';

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

export class AuthorTable {
  private readonly index = new Map<string, number>();
  readonly list: string[] = [];

  /** The author's number, or -1 when the table has none (looks, never adds). */
  find(author: string): number {
    return this.index.get(author) ?? -1;
  }

  idx(author: string): number {
    let i = this.index.get(author);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(author, i);
      this.list.push(author);
    }
    return i;
  }

  toValue(): Value {
    return this.list.map((a) => hexToBytes(a));
  }

  static fromValue(v: Value | undefined): string[] {
    if (!Array.isArray(v)) throw new SnapshotError('author table missing');
    return v.map((b) => {
      if (!(b instanceof Uint8Array) || b.length !== 32) throw new SnapshotError('author table entry is not 32 bytes');
      return toHex(b);
    });
  }
}

export function authorAt(authors: readonly string[], i: number): string {
  const author = authors[i];
  if (author === undefined) throw new SnapshotError('author index out of range');
  return author;
}

/** An event's position in the total order, as a projection keeps it (no payload). */
export function stampOf(authors: readonly string[], ai: number, seq: number, wall: number, counter: number, kind: string): EventBody {
  return { author: authorAt(authors, ai), seq, prev: null, hlc: { wall, counter }, kind, payload: null };
}

export function f64Bytes(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export function i32Bytes(values: Int32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function aligned(v: Value | undefined, width: number, count: number, what: string): ArrayBuffer {
  if (!(v instanceof Uint8Array) || v.length !== count * width) throw new SnapshotError(`${what} column has the wrong length`);
  // Copy into a fresh buffer of exactly this length: decoded bytes may be a view into a larger
  // (pooled) buffer at any offset, and typed arrays need alignment.
  const copy = new Uint8Array(v.length);
  copy.set(v);
  return copy.buffer;
}

export function readF64(v: Value | undefined, count: number, what: string): Float64Array {
  return new Float64Array(aligned(v, 8, count, what));
}

export function readI32(v: Value | undefined, count: number, what: string): Int32Array {
  return new Int32Array(aligned(v, 4, count, what));
}

/** `length` bytes, copied out of the (possibly pooled) decoded buffer. */
export function asBytes(v: Value | undefined, length: number, what: string): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length !== length) throw new SnapshotError(`${what} has the wrong length`);
  return v.slice();
}

export function asList(v: Value | undefined, what: string): readonly Value[] {
  if (!Array.isArray(v)) throw new SnapshotError(`${what} must be a list`);
  return v;
}

export function asNum(v: Value | undefined, what: string): number {
  if (typeof v !== 'number') throw new SnapshotError(`${what} must be a number`);
  return v;
}

export function asStr(v: Value | undefined, what: string): string {
  if (typeof v !== 'string') throw new SnapshotError(`${what} must be a string`);
  return v;
}
