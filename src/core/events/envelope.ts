// An event's envelope read in place: the hot path of every ingest and every rebuild. Ids are
// turned into hex straight from the event's bytes (no copy, no view), the header is read without
// building the 8-item array, and only the payload goes through the generic decoder.
//
// It accepts exactly what decoding the whole event generically accepts, and gives the same
// fields: anything irregular (another shape, a non-canonical head, truncation) returns null, and
// the caller takes the generic path, which names what is wrong.
import { readCanonicalText, readCanonicalUint, readNestedCanonical } from '../encoding/canonical';
import { toHexRange } from '../encoding/bytes';
import { ByteReader } from '../encoding/reader';
import type { EventBody } from './event';

/** An id or key the caller already holds both ways. */
export interface KnownId {
  readonly bytes: Uint8Array;
  readonly hex: string;
}

/**
 * What the caller expects an event to name: the events of a run share their author, and each
 * names the one before it as prev. A range equal to one of these reuses its string, so the hex
 * of a 32-byte id is made once per run, not once per event.
 */
export interface KnownIds {
  author: KnownId | null;
  prev: KnownId | null;
}

/** After reading an event of a run: its author and its id are what the next event names. */
export function rememberIds(known: KnownIds, author: string, id: string, idBytes: Uint8Array, authorBytes: () => Uint8Array): void {
  if (known.author?.hex !== author) known.author = { bytes: authorBytes(), hex: author };
  known.prev = { bytes: idBytes, hex: id };
}

function hexOf(bytes: Uint8Array, at: number, known: KnownId | null): string {
  if (known) {
    const k = known.bytes;
    let same = k.length === 32;
    for (let i = 0; same && i < 32; i++) same = bytes[at + i] === k[i];
    if (same) return known.hex;
  }
  return toHexRange(bytes, at, at + 32);
}

const ARRAY_OF_8 = 0x88;
const FORMAT_1 = 0x01;
/** A byte string of 32 (an author key or an event id): its only canonical head. */
const BYTES_HEAD = 0x58;
const LEN_32 = 0x20;
const NULL = 0xf6;
/** The array and the seven items before the payload, as the generic decoder counts them. */
const ITEMS_BEFORE_PAYLOAD = 8;

/** The body of canonical event bytes of format 1 (not yet validated), or null when the generic path must judge. */
export function readEnvelope(bytes: Uint8Array, known: KnownIds | null = null): EventBody | null {
  try {
    const r = new ByteReader(bytes);
    if (r.u8() !== ARRAY_OF_8 || r.u8() !== FORMAT_1 || r.u8() !== BYTES_HEAD || r.u8() !== LEN_32) return null;
    const authorAt = r.skip(32);
    const seq = readCanonicalUint(r);
    let prev: string | null = null;
    const prevHead = r.u8();
    if (prevHead === BYTES_HEAD) {
      if (r.u8() !== LEN_32) return null;
      const at = r.skip(32);
      prev = hexOf(bytes, at, known?.prev ?? null);
    } else if (prevHead !== NULL) {
      return null;
    }
    const wall = readCanonicalUint(r);
    const counter = readCanonicalUint(r);
    const kind = readCanonicalText(r);
    const payload = readNestedCanonical(r, 1, ITEMS_BEFORE_PAYLOAD);
    if (r.remaining !== 0) return null;
    return { author: hexOf(bytes, authorAt, known?.author ?? null), seq, prev, hlc: { wall, counter }, kind, payload };
  } catch {
    return null;
  }
}
