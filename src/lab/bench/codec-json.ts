// The prototype's wire form, kept as the baseline the compact codec is measured against:
//   {"t":"events","e":[{"a":author,"s":seq,"h":[wall,counter],"k":kind,"p":payload,"v":prev,"i":id}]}
// with hex ids (plus "g", the batch signature, which the prototype lacked), and frontiers as
// {"t":"frontier","f":{author: seq}}. The prototype had no digest: it answered "are we in sync?"
// with a whole frontier, which is what the wire bench charges it.
import type { Hasher } from '../../core/crypto/ports';
import { fromHex, toHex, utf8Decode, utf8Encode } from '../../core/encoding/bytes';
import type { Value } from '../../core/encoding/canonical';
import { sealEvent, type FeedEvent } from '../../core/events/event';
import type { DecodeResult, SyncCodec, SyncMessage } from '../../core/sync/messages';

interface JsonEvent {
  a: string;
  s: number;
  h: [number, number];
  k: string;
  p: unknown;
  v: string;
  i: string;
}

function eventJson(e: FeedEvent): JsonEvent {
  return { a: e.author, s: e.seq, h: [e.hlc.wall, e.hlc.counter], k: e.kind, p: e.payload, v: e.prev ?? '', i: e.id };
}

export class CodecJson implements SyncCodec {
  readonly name = 'json-prototype';

  constructor(private readonly hasher: Hasher) {}

  encode(msg: SyncMessage): Uint8Array {
    let obj: unknown;
    switch (msg.type) {
      case 'hello':
        obj = { t: 'hello', n: msg.node, name: msg.name, v: msg.protocol };
        break;
      case 'digest':
        obj = { t: 'digest', d: toHex(msg.digest), f: msg.feeds, ...(msg.helloWanted ? { w: 1 } : {}) };
        break;
      case 'frontier':
        obj = { t: 'frontier', f: Object.fromEntries(msg.heads) };
        break;
      case 'run':
        obj = { t: 'events', e: msg.events.map(eventJson), g: msg.sig ? toHex(msg.sig) : null };
        break;
      case 'refuse':
        obj = { t: 'refuse', a: msg.author, s: msg.seq, c: msg.code };
        break;
    }
    return utf8Encode(JSON.stringify(obj));
  }

  decode(bytes: Uint8Array): DecodeResult {
    try {
      const m = JSON.parse(utf8Decode(bytes)) as Record<string, unknown>;
      switch (m['t']) {
        case 'hello':
          return { ok: true, message: { type: 'hello', node: String(m['n']), name: String(m['name']), protocol: Number(m['v']) } };
        case 'digest': {
          const d = fromHex(String(m['d']));
          if (!d) return { ok: false, code: 'malformed_message', message: 'digest is not hex' };
          return { ok: true, message: { type: 'digest', digest: d, feeds: Number(m['f']), ...(m['w'] ? { helloWanted: true } : {}) } };
        }
        case 'frontier':
          return { ok: true, message: { type: 'frontier', heads: new Map(Object.entries(m['f'] as Record<string, number>)) } };
        case 'events': {
          const list = m['e'] as JsonEvent[];
          if (!Array.isArray(list) || list.length === 0) return { ok: false, code: 'malformed_message', message: 'no events' };
          const events = list.map((j) => {
            const ev = sealEvent({ author: j.a, seq: j.s, prev: j.v === '' ? null : j.v, hlc: { wall: j.h[0], counter: j.h[1] }, kind: j.k, payload: j.p as Value }, this.hasher);
            if (ev.id !== j.i) throw Object.assign(new Error(`event ${j.s} has id ${j.i.slice(0, 8)}, its content hashes to ${ev.id.slice(0, 8)}`), { code: 'id_mismatch' });
            return ev;
          });
          const sig = m['g'] === null ? null : fromHex(String(m['g']));
          return { ok: true, message: { type: 'run', author: events[0]!.author, events, sig } };
        }
        case 'refuse':
          return { ok: true, message: { type: 'refuse', author: String(m['a']), seq: Number(m['s']), code: String(m['c']) } };
        default:
          return { ok: false, code: 'unknown_message_type', message: `message type ${String(m['t']).slice(0, 20)}` };
      }
    } catch (e) {
      return { ok: false, code: (e as { code?: string }).code ?? 'malformed_message', message: (e as Error).message };
    }
  }

  runCapacity(events: readonly FeedEvent[], signed: boolean, mtu: number): number {
    let size = 20 + (signed ? 140 : 10);
    let n = 0;
    for (const e of events) {
      size += JSON.stringify(eventJson(e)).length + 1;
      if (size > mtu) break;
      n++;
    }
    return n;
  }
}
