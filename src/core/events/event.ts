// The event: the only thing that is stored, replicated and folded. Immutable; an edit is a new
// event. Each event belongs to its author's feed: `seq` is contiguous from 1 and `prev` is the id
// of the author's previous event, so a feed is a hash chain and a signed head authenticates every
// event below it.
//
// The id is SHA-256 over the canonical bytes of the whole body:
//   [format=1, author(32 bytes), seq, prev(32 bytes)|null, hlc.wall, hlc.counter, kind, payload]
// The same event is the same bytes on every platform (test/golden pins them).
import { decodeCanonical, encodeCanonical, type Value } from '../encoding/canonical';
import { hexToBytes, isHex32, toHex } from '../encoding/bytes';
import { DecodeError } from '../encoding/reader';
import type { Hasher } from '../crypto/ports';
import { KINDS } from './kinds';
import { MAX_EVENT_HLC_COUNTER, type HlcStamp } from '../clock/hlc';
import { readEnvelope, rememberIds, type KnownIds } from './envelope';

/** Hex of a 32-byte Ed25519 public key. */
export type AuthorId = string;
/** Hex of the 32-byte SHA-256 of an event's canonical bytes. */
export type EventId = string;

export const EVENT_FORMAT = 1;
/** Events carry data: a file is cut into blob.chunk events of its own (kinds.ts), and records name it by hash. */
export const MAX_EVENT_BYTES = 16 * 1024;
/**
 * An evidence report names every feed its projection read (about 140 bytes each), so a fleet of a
 * few hundred feeds outgrows the general limit. Report events get more room; they travel over the
 * LAN, not the radio (see the radio view of a node's feeds).
 */
export const MAX_REPORT_EVENT_BYTES = 256 * 1024;

/** The size limit of an event of this kind, in canonical bytes. */
export function maxEventBytes(kind: string): number {
  return kind === KINDS.reportCreated ? MAX_REPORT_EVENT_BYTES : MAX_EVENT_BYTES;
}
export const KIND_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

export interface EventBody {
  readonly author: AuthorId;
  readonly seq: number;
  readonly prev: EventId | null;
  readonly hlc: HlcStamp;
  readonly kind: string;
  readonly payload: Value;
}

export interface FeedEvent extends EventBody {
  readonly id: EventId;
  /** The canonical bytes the id is hashed over. */
  readonly bytes: Uint8Array;
  /**
   * The id's 32 bytes, when the event was opened or sealed here (the digest itself, or the row's
   * id column): the store writes them as they are instead of parsing the hex again.
   */
  readonly idBytes?: Uint8Array;
}

export class EventFormatError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EventFormatError';
  }
}

export function isAuthorId(s: string): boolean {
  return isHex32(s);
}

/**
 * Checks the envelope rules every event must satisfy; throws EventFormatError. `idsAreHex`:
 * author and prev were just made from 32-byte strings (decoded bytes), so they need no check.
 */
export function assertValidBody(body: EventBody, idsAreHex = false): void {
  if (!idsAreHex && !isAuthorId(body.author)) throw new EventFormatError('bad_author', 'author must be 32 bytes of hex');
  if (!Number.isSafeInteger(body.seq) || body.seq < 1) throw new EventFormatError('bad_seq', 'seq must be an integer >= 1');
  if (body.seq === 1 && body.prev !== null) throw new EventFormatError('bad_prev', 'the first event of a feed has no prev');
  if (body.seq > 1 && (body.prev === null || (!idsAreHex && !isAuthorId(body.prev)))) {
    throw new EventFormatError('bad_prev', 'prev must be the 32-byte id of the previous event');
  }
  const { wall, counter } = body.hlc;
  if (!Number.isSafeInteger(wall) || wall < 0) throw new EventFormatError('bad_hlc', 'hlc wall must be a non-negative integer');
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_EVENT_HLC_COUNTER) {
    throw new EventFormatError('bad_hlc', `hlc counter must be 0..${MAX_EVENT_HLC_COUNTER}`);
  }
  if (body.kind.length > 64 || !KIND_PATTERN.test(body.kind)) {
    throw new EventFormatError('bad_kind', `kind "${body.kind.slice(0, 64)}" is not a dotted snake_case name`);
  }
}

/**
 * The 32 bytes of an event's author and prev, when the caller holds them already (a feed's own
 * key, the digest of the event before): they must be the bytes of the body's hex.
 */
export interface IdBytes {
  readonly author?: Uint8Array;
  readonly prev?: Uint8Array;
}

/** Canonical bytes of an event body. */
export function encodeEventBody(body: EventBody, ids: IdBytes = {}): Uint8Array {
  assertValidBody(body);
  const bytes = encodeCanonical([
    EVENT_FORMAT,
    ids.author ?? hexToBytes(body.author),
    body.seq,
    body.prev === null ? null : (ids.prev ?? hexToBytes(body.prev)),
    body.hlc.wall,
    body.hlc.counter,
    body.kind,
    body.payload,
  ]);
  const limit = maxEventBytes(body.kind);
  if (bytes.length > limit) {
    throw new EventFormatError('event_too_large', `a ${body.kind} event is ${bytes.length} bytes; the limit is ${limit}`);
  }
  return bytes;
}

export function eventIdOf(bytes: Uint8Array, hasher: Hasher): EventId {
  return toHex(hasher.sha256(bytes));
}

/** Encodes and hashes a body into a FeedEvent. */
export function sealEvent(body: EventBody, hasher: Hasher, ids?: IdBytes): FeedEvent {
  const bytes = encodeEventBody(body, ids);
  const digest = hasher.sha256(bytes);
  return withIdentity(body, bytes, toHex(digest), digest);
}

/** Parses canonical event bytes (from disk or a peer). Throws EventFormatError with a code. */
export function openEvent(bytes: Uint8Array, hasher: Hasher, known: KnownIds | null = null): FeedEvent {
  const digest = hasher.sha256(bytes);
  return withIdentity(parseEventBody(bytes, true, known), bytes, toHex(digest), digest);
}

/**
 * Opens the events of one run (one author, each naming the one before as prev), as openEvent
 * would one by one; each id is hashed once and its hex is made once (see KnownIds).
 */
export function openRun(list: readonly Uint8Array[], hasher: Hasher): FeedEvent[] {
  const known: KnownIds = { author: null, prev: null };
  return list.map((bytes) => {
    const ev = openEvent(bytes, hasher, known);
    rememberIds(known, ev.author, ev.id, ev.idBytes!, () => hexToBytes(ev.author));
    return ev;
  });
}

/** One object with every field (no spread: this runs once per event on every read). */
function withIdentity(b: EventBody, bytes: Uint8Array, id: EventId, idBytes: Uint8Array | undefined): FeedEvent {
  return { author: b.author, seq: b.seq, prev: b.prev, hlc: b.hlc, kind: b.kind, payload: b.payload, bytes, id, idBytes };
}

/**
 * An event read back from this node's own store: its id was computed and its envelope validated
 * when it was stored, so neither is repeated (this is the start-up rebuild's hot path).
 */
export function openStoredEvent(bytes: Uint8Array, id: EventId, known: KnownIds | null = null, idBytes?: Uint8Array): FeedEvent {
  return withIdentity(parseEventBody(bytes, false, known), bytes, id, idBytes);
}

/** Decodes (and unless told otherwise, validates) canonical event bytes. Throws EventFormatError. */
export function parseEventBody(bytes: Uint8Array, validate = true, known: KnownIds | null = null): EventBody {
  // The largest any kind may be, before decoding; the kind's own limit once the kind is known.
  if (bytes.length > MAX_REPORT_EVENT_BYTES) throw new EventFormatError('event_too_large', `event is ${bytes.length} bytes`);
  const body = readEnvelope(bytes, known) ?? parseGeneric(bytes);
  if (bytes.length > maxEventBytes(body.kind)) throw new EventFormatError('event_too_large', `a ${body.kind.slice(0, 64)} event is ${bytes.length} bytes; the limit is ${maxEventBytes(body.kind)}`);
  if (validate) assertValidBody(body, true);
  return body;
}

/** The whole event through the generic decoder: what names the fault when the envelope is irregular. */
function parseGeneric(bytes: Uint8Array): EventBody {
  let v: Value;
  try {
    v = decodeCanonical(bytes);
  } catch (e) {
    throw new EventFormatError(e instanceof DecodeError ? e.code : 'malformed_event', `event bytes: ${(e as Error).message}`);
  }
  if (!Array.isArray(v) || v.length !== 8 || v[0] !== EVENT_FORMAT) {
    throw new EventFormatError('malformed_event', 'event is not an 8-item format-1 array');
  }
  const [, author, seq, prev, wall, counter, kind, payload] = v as Value[];
  if (!(author instanceof Uint8Array) || author.length !== 32) throw new EventFormatError('bad_author', 'author is not 32 bytes');
  if (prev !== null && !(prev instanceof Uint8Array && prev.length === 32)) {
    throw new EventFormatError('bad_prev', 'prev is not null or 32 bytes');
  }
  if (typeof seq !== 'number' || typeof wall !== 'number' || typeof counter !== 'number' || typeof kind !== 'string') {
    throw new EventFormatError('malformed_event', 'event fields have the wrong types');
  }
  return {
    author: toHex(author),
    seq,
    prev: prev === null ? null : toHex(prev as Uint8Array),
    hlc: { wall, counter },
    kind,
    payload: payload as Value,
  };
}

/**
 * The deterministic total order over events that last-writer-wins uses everywhere: HLC wall,
 * HLC counter, author, seq. It is meshlogd's order, so imported data keeps its winners.
 */
export function compareTotalOrder(a: EventBody, b: EventBody): number {
  if (a.hlc.wall !== b.hlc.wall) return a.hlc.wall - b.hlc.wall;
  if (a.hlc.counter !== b.hlc.counter) return a.hlc.counter - b.hlc.counter;
  if (a.author !== b.author) return a.author < b.author ? -1 : 1;
  return a.seq - b.seq;
}

/** A short, human-friendly form of an id or author for logs and the console. */
export function shortId(hex: string): string {
  return hex.slice(0, 8);
}
