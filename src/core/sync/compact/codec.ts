// The compact sync codec, for LoRa-sized frames. One codec instance serves one link: it keeps
// which roster indexes the peer has been told and which indexes the peer has told us.
//
// Frame layout (first byte: version 1 in the high nibble, message type in the low nibble):
//   HELLO        0x11  node key(32) protocol(u8) roster epoch(u32) name(u8 len + UTF-8)
//   DIGEST       0x12  frontier digest prefix(8) feeds(uvarint); 0x17: the same, asking for a hello
//   FRONTIER     0x13  count(uvarint) then [author ref, seq(uvarint)] per feed
//   RUN          0x14  author ref, first seq(uvarint), flags(u8: 1 signed, 2 prev included,
//                      4 truck table), [prev(32)], count(uvarint), [truck table], events, [sig(64)]
//   REFUSE       0x15  author ref, seq(uvarint), reason code(string)
//   ROSTER_WANT  0x16  count(uvarint) then roster indexes the receiver lacks
// An author ref is uvarint(index << 1 | inline), followed by the 32-byte key when inline, so a
// feed costs its key once per link and one byte after that.
//
// The decoder is strict and never throws: every malformed, truncated, oversized or unknown frame
// comes back as a reason code. Events are rebuilt and re-hashed here; whether they are authentic
// (signature, chain) is the store's decision.
import type { Hasher } from '../../crypto/ports';
import { hexToBytes, toHex, utf8Decode, utf8Encode } from '../../encoding/bytes';
import { ByteReader, DecodeError } from '../../encoding/reader';
import { ByteWriter } from '../../encoding/writer';
import { sealEvent, type AuthorId, type EventId, type FeedEvent } from '../../events/event';
import { WIRE_DIGEST_BYTES, type DecodeResult, type RunMessage, type RunShape, type SyncCodec, type SyncMessage } from '../messages';
import { coreOf, readEvents, readTruckTable, truckTable, writeEvents, writeTruckTable } from './run-events';

const T = { hello: 0x11, digest: 0x12, frontier: 0x13, run: 0x14, refuse: 0x15, rosterWant: 0x16, digestHelloWanted: 0x17 } as const;
const FLAG_SIG = 1;
const FLAG_PREV = 2;
const FLAG_TABLE = 4;
const MAX_RUN_EVENTS = 255;

/** This node's numbering of authors, shared by all its links. The epoch changes with the numbering. */
export class NodeRoster {
  private readonly index = new Map<AuthorId, number>();

  constructor(readonly epoch: number) {}

  indexOf(author: AuthorId): number {
    let i = this.index.get(author);
    if (i === undefined) this.index.set(author, (i = this.index.size));
    return i;
  }
}

export interface CompactContext {
  readonly hasher: Hasher;
  readonly roster: NodeRoster;
  /** The stored id of `author`'s event at `seq`, to rebuild `prev` when a run omits it. */
  storedId(author: AuthorId, seq: number): EventId | null;
  /** Largest frame accepted, in bytes. */
  readonly maxFrameBytes: number;
}

function fail(code: string, message: string): never {
  throw new DecodeError(code, message);
}

/** Frames that spell a new author's key out before its roster index alone stands for it. */
const ANNOUNCE_TIMES = 2;

export class CompactCodec implements SyncCodec {
  readonly name = 'compact-v1';
  /**
   * Roster indexes sent inline, and how often. On a radio a frame can reach some neighbours and
   * not others, so a key is spelled out in the first ANNOUNCE_TIMES frames that name it.
   */
  private readonly announced = new Map<number, number>();
  /** The peer's roster as far as it has told us. */
  private readonly remote = new Map<number, AuthorId>();
  private remoteEpoch: number | null = null;
  private readonly wanted = new Set<number>();
  private lastWant = { key: '', repeats: 0 };

  constructor(private readonly ctx: CompactContext) {}

  // ---- encoding -------------------------------------------------------------------------------

  private authorRef(w: ByteWriter, author: AuthorId, commit: boolean, inline = false): void {
    const idx = this.ctx.roster.indexOf(author);
    const times = this.announced.get(idx) ?? 0;
    if (times >= ANNOUNCE_TIMES && !inline) {
      w.uvarint(idx * 2);
      return;
    }
    w.uvarint(idx * 2 + 1).bytes(hexToBytes(author));
    if (commit) this.announced.set(idx, times + 1);
  }

  private writeRun(w: ByteWriter, msg: RunMessage, commit: boolean): void {
    const first = msg.events[0]!;
    const cores = msg.events.map(coreOf);
    const table = truckTable(cores);
    const withPrev = msg.withPrev === true && first.prev !== null;
    w.u8(T.run);
    const inline = msg.keysAgain === true;
    this.authorRef(w, msg.author, commit, inline);
    w.uvarint(first.seq);
    w.u8((msg.sig ? FLAG_SIG : 0) | (withPrev ? FLAG_PREV : 0) | (table.length ? FLAG_TABLE : 0));
    if (withPrev) w.bytes(hexToBytes(first.prev!));
    w.uvarint(msg.events.length);
    if (table.length) writeTruckTable(w, table);
    writeEvents(w, cores, table, { write: (ww, a) => this.authorRef(ww, a, commit, inline), read: () => null });
    if (msg.sig) w.bytes(msg.sig);
  }

  encode(msg: SyncMessage): Uint8Array {
    const w = new ByteWriter(256);
    switch (msg.type) {
      case 'hello': {
        const name = utf8Encode(msg.name).subarray(0, 48);
        w.u8(T.hello).bytes(hexToBytes(msg.node)).u8(msg.protocol).u32(msg.epoch ?? this.ctx.roster.epoch).u8(name.length).bytes(name);
        break;
      }
      case 'digest':
        w.u8(msg.helloWanted ? T.digestHelloWanted : T.digest).bytes(msg.digest.subarray(0, WIRE_DIGEST_BYTES)).uvarint(msg.feeds);
        break;
      case 'frontier':
        w.u8(T.frontier).uvarint(msg.heads.size);
        for (const [a, seq] of [...msg.heads.entries()].sort(([x], [y]) => (x < y ? -1 : 1))) {
          this.authorRef(w, a, true);
          w.uvarint(seq);
        }
        break;
      case 'run':
        this.writeRun(w, msg, true);
        break;
      case 'refuse': {
        w.u8(T.refuse);
        this.authorRef(w, msg.author, true);
        const code = utf8Encode(msg.code).subarray(0, 40);
        w.uvarint(msg.seq).uvarint(code.length).bytes(code);
        break;
      }
    }
    return w.finish();
  }

  /** Bytes a run of these events would take, without changing what the peer is believed to know. */
  private runSize(events: readonly FeedEvent[], signed: boolean, shape: RunShape): number {
    const w = new ByteWriter(256);
    this.writeRun(w, { type: 'run', author: events[0]!.author, events, sig: signed ? new Uint8Array(64) : null, withPrev: shape.withPrev === true, keysAgain: shape.keysAgain === true }, false);
    return w.length;
  }

  runCapacity(events: readonly FeedEvent[], signed: boolean, mtu: number, shape: RunShape = {}): number {
    let lo = 0;
    let hi = Math.min(events.length, MAX_RUN_EVENTS);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.runSize(events.slice(0, mid), signed, shape) <= mtu) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  takeOutgoing(): Uint8Array[] {
    if (this.wanted.size === 0) return [];
    // The same request again only every other failure: it may be in flight already (on a radio,
    // failures come seconds apart, and a lost request must not leave the feed unreadable long).
    const key = [...this.wanted].sort((a, b) => a - b).join(',');
    if (key === this.lastWant.key && ++this.lastWant.repeats % 2 !== 0) {
      this.wanted.clear();
      return [];
    }
    this.lastWant = { key, repeats: 0 };
    const w = new ByteWriter(64).u8(T.rosterWant).uvarint(Math.min(this.wanted.size, 64));
    for (const idx of [...this.wanted].slice(0, 64)) w.uvarint(idx);
    this.wanted.clear();
    return [w.finish()];
  }

  // ---- decoding -------------------------------------------------------------------------------

  decode(bytes: Uint8Array): DecodeResult {
    this.wanted.clear();
    if (bytes.length > this.ctx.maxFrameBytes) return { ok: false, code: 'frame_too_large', message: `frame of ${bytes.length} bytes, limit ${this.ctx.maxFrameBytes}` };
    if (bytes.length === 0) return { ok: false, code: 'truncated', message: 'empty frame' };
    try {
      const r = new ByteReader(bytes);
      const message = this.decodeMessage(r);
      r.expectEnd();
      return { ok: true, message };
    } catch (e) {
      if (e instanceof DecodeError) return { ok: false, code: e.code, message: e.message };
      return { ok: false, code: 'malformed_frame', message: (e as Error).message };
    }
  }

  /** Reads an author ref; an unknown index is noted (to ask for) and read as null. */
  private readAuthor(r: ByteReader): AuthorId | null {
    const v = r.uvarint();
    const idx = Math.floor(v / 2);
    if (v % 2 === 1) {
      const key = toHex(r.bytes(32));
      this.remote.set(idx, key);
      return key;
    }
    const known = this.remote.get(idx);
    if (known === undefined) this.wanted.add(idx);
    return known ?? null;
  }

  /** After a whole frame is read: fail if it named authors we do not know (all of them asked for at once). */
  private requireKnown(): void {
    if (this.wanted.size > 0) fail('unknown_author_index', `the peer referred to ${this.wanted.size} roster index(es) it never announced here; asked for them`);
  }

  private decodeMessage(r: ByteReader): SyncMessage | null {
    const type = r.u8();
    if (type >> 4 !== 1) fail('unsupported_version', `frame version ${type >> 4}; this node speaks compact v1`);
    switch (type) {
      case T.hello: {
        const node = toHex(r.bytes(32));
        const protocol = r.u8();
        const epoch = r.u32();
        const name = utf8Decode(r.bytes(r.u8()));
        if (this.remoteEpoch !== null && epoch !== this.remoteEpoch) this.remote.clear();
        this.remoteEpoch = epoch;
        // The peer may have restarted and forgotten our roster: announce again.
        this.announced.clear();
        return { type: 'hello', node, name, protocol, epoch };
      }
      case T.digest:
      case T.digestHelloWanted: {
        const digest = r.bytes(WIRE_DIGEST_BYTES).slice();
        const feeds = r.uvarint();
        return type === T.digest ? { type: 'digest', digest, feeds } : { type: 'digest', digest, feeds, helloWanted: true };
      }
      case T.frontier: {
        const n = r.uvarint();
        if (n > r.remaining) fail('truncated', `frontier claims ${n} feeds in ${r.remaining} bytes`);
        const heads = new Map<AuthorId, number>();
        for (let i = 0; i < n; i++) {
          const a = this.readAuthor(r);
          const seq = r.uvarint();
          if (a !== null) heads.set(a, seq);
        }
        this.requireKnown();
        return { type: 'frontier', heads };
      }
      case T.run:
        return this.decodeRun(r);
      case T.refuse: {
        const author = this.readAuthor(r);
        this.requireKnown();
        const seq = r.uvarint();
        const len = r.uvarint();
        if (len > 40) fail('bad_string', 'reason code too long');
        return { type: 'refuse', author: author!, seq, code: utf8Decode(r.bytes(len)) };
      }
      case T.rosterWant: {
        const n = r.uvarint();
        if (n > 64) fail('malformed_frame', `roster request for ${n} indexes`);
        for (let i = 0; i < n; i++) this.announced.delete(r.uvarint());
        return null;
      }
      default:
        return fail('unknown_message_type', `message type 0x${type.toString(16)}`);
    }
  }

  private decodeRun(r: ByteReader): RunMessage {
    const maybe = this.readAuthor(r);
    this.requireKnown();
    const author = maybe!;
    const firstSeq = r.uvarint();
    if (firstSeq < 1) fail('bad_seq', 'a run starts at seq 1 or later');
    const flags = r.u8();
    if (flags & ~(FLAG_SIG | FLAG_PREV | FLAG_TABLE)) fail('malformed_frame', `unknown run flags 0x${flags.toString(16)}`);
    let prev: EventId | null;
    if (flags & FLAG_PREV) {
      if (firstSeq === 1) fail('bad_prev', 'the first event of a feed has no prev');
      prev = toHex(r.bytes(32));
    } else if (firstSeq === 1) {
      prev = null;
    } else {
      prev = this.ctx.storedId(author, firstSeq - 1);
      if (prev === null) fail('missing_base', `the run starts at seq ${firstSeq} but this node lacks seq ${firstSeq - 1}; it will be re-sent`);
    }
    const count = r.uvarint();
    if (count < 1 || count > MAX_RUN_EVENTS || count > r.remaining) fail('bad_count', `run claims ${count} events in ${r.remaining} bytes`);
    const table = flags & FLAG_TABLE ? readTruckTable(r) : [];
    const cores = readEvents(r, count, table, { write: () => {}, read: (reader) => this.readAuthor(reader) });
    const sig = flags & FLAG_SIG ? r.bytes(64).slice() : null;
    this.requireKnown(); // deps may name authors this peer never announced here
    const events: FeedEvent[] = [];
    for (let i = 0; i < cores.length; i++) {
      const c = cores[i]!;
      let ev: FeedEvent;
      try {
        ev = sealEvent({ author, seq: firstSeq + i, prev, hlc: c.hlc, kind: c.kind, payload: c.payload }, this.ctx.hasher);
      } catch (e) {
        return fail((e as { code?: string }).code ?? 'malformed_event', (e as Error).message);
      }
      events.push(ev);
      prev = ev.id;
    }
    return { type: 'run', author, events, sig, withPrev: (flags & FLAG_PREV) !== 0 };
  }
}

/** Message types a third party may use when it overhears them (runs carry signed history). */
export function isOverhearable(frame: Uint8Array): boolean {
  return frame[0] === T.run;
}

