// Sync wire messages: a discriminated union, so every switch over them is exhaustive. Codecs
// (./codec-*.ts) turn them into bytes; the session (./session.ts) decides when to send which.
import type { AuthorId, FeedEvent } from '../events/event';

export const PROTOCOL_VERSION = 1;

/** How many bytes of the frontier digest travel: enough to tell "in sync" from "not". */
export const WIRE_DIGEST_BYTES = 8;

export interface HelloMessage {
  readonly type: 'hello';
  /** The sender's node identity (its author key). */
  readonly node: AuthorId;
  readonly name: string;
  readonly protocol: number;
  /** The fleet the sender belongs to (its id, a key); absent for an open node. */
  readonly fleet?: AuthorId;
  /** Changes when the sender's author roster is renumbered (compact codec); 0 when unused. */
  readonly epoch?: number;
}

/** "Are we in sync?": a prefix of the frontier digest, and how many feeds it covers. */
export interface DigestMessage {
  readonly type: 'digest';
  readonly digest: Uint8Array;
  readonly feeds: number;
  /** The sender has not heard our hello (it was lost): please say it again. */
  readonly helloWanted?: boolean;
}

/** The sender's full frontier: what it holds, per author. */
export interface FrontierMessage {
  readonly type: 'frontier';
  readonly heads: ReadonlyMap<AuthorId, number>;
}

/** A run of one author's contiguous events, signed at its last event when the sender can. */
export interface RunMessage {
  readonly type: 'run';
  readonly author: AuthorId;
  readonly events: readonly FeedEvent[];
  readonly sig: Uint8Array | null;
  /**
   * True when the receiver may lack the event below the run (a newest-first run, or a guess), so
   * a codec that omits `prev` must send the first one. Codecs that carry whole events ignore it.
   */
  readonly withPrev?: boolean;
  /**
   * Spell the author keys out in full again: a neighbour still lacked this feed after it was
   * sent, and may have missed the frame that announced them. Codecs that always do ignore it.
   */
  readonly keysAgain?: boolean;
}

/** The receiver refused a run: the sender stops offering that feed for a while and shows why. */
export interface RefuseMessage {
  readonly type: 'refuse';
  readonly author: AuthorId;
  readonly seq: number;
  readonly code: string;
}

export type SyncMessage = HelloMessage | DigestMessage | FrontierMessage | RunMessage | RefuseMessage;

/** What a run carries besides its events, as far as its size goes. */
export interface RunShape {
  readonly withPrev?: boolean;
  readonly keysAgain?: boolean;
}

/** A decoded message, or null when the codec consumed a frame of its own (e.g. a roster request). */
export type DecodeResult = { readonly ok: true; readonly message: SyncMessage | null } | { readonly ok: false; readonly code: string; readonly message: string };

/** Turns messages into bytes and back. Decoding never throws: bad bytes give a reason code. */
export interface SyncCodec {
  readonly name: string;
  encode(msg: SyncMessage): Uint8Array;
  decode(bytes: Uint8Array): DecodeResult;
  /**
   * How many of `events` (from the start) fit in one run message of at most `mtu` bytes, shaped
   * as it will be sent (with its prev, with its keys spelled out again).
   */
  runCapacity(events: readonly FeedEvent[], signed: boolean, mtu: number, shape?: RunShape): number;
  /** Frames the codec itself needs sent (e.g. asking for roster entries it lacks). */
  takeOutgoing?(): Uint8Array[];
}
