// Sync codec v1: each message is one canonical-CBOR map, and events travel as their full
// canonical bytes. Simple and strict. It is the LAN codec; LoRa needs the compact codec.
import { decodeCanonical, encodeCanonical, type Value, type ValueMap } from '../encoding/canonical';
import { hexToBytes, toHex } from '../encoding/bytes';
import type { Hasher } from '../crypto/ports';
import { openRun, type FeedEvent } from '../events/event';
import type { DecodeResult, SyncCodec, SyncMessage } from './messages';

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
const RUN_OVERHEAD_BYTES = 128;

function bad(code: string, message: string): DecodeResult {
  return { ok: false, code, message };
}

export class CodecV1 implements SyncCodec {
  readonly name = 'v1-cbor';

  constructor(private readonly hasher: Hasher) {}

  encode(msg: SyncMessage): Uint8Array {
    switch (msg.type) {
      case 'hello':
        return encodeCanonical({ t: 'hello', n: hexToBytes(msg.node), name: msg.name, v: msg.protocol, fl: msg.fleet ? hexToBytes(msg.fleet) : undefined });
      case 'digest':
        return encodeCanonical({ t: 'digest', d: msg.digest, f: msg.feeds, h: msg.helloWanted ? true : undefined });
      case 'frontier': {
        const heads: Value[] = [...msg.heads.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([a, s]) => [hexToBytes(a), s]);
        return encodeCanonical({ t: 'frontier', h: heads });
      }
      case 'run':
        return encodeCanonical({ t: 'run', a: hexToBytes(msg.author), e: msg.events.map((e) => e.bytes), s: msg.sig });
      case 'refuse':
        return encodeCanonical({ t: 'refuse', a: hexToBytes(msg.author), s: msg.seq, c: msg.code });
    }
  }

  decode(bytes: Uint8Array): DecodeResult {
    if (bytes.length > MAX_MESSAGE_BYTES) return bad('message_too_large', `message of ${bytes.length} bytes`);
    let v: ValueMap;
    try {
      const raw = decodeCanonical(bytes, { maxDepth: 6, maxItems: 200_000 });
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof Uint8Array) return bad('malformed_message', 'not a map');
      v = raw as ValueMap;
    } catch (e) {
      return bad((e as { code?: string }).code ?? 'malformed_message', (e as Error).message);
    }
    try {
      return { ok: true, message: this.fromMap(v) };
    } catch (e) {
      return bad((e as { code?: string }).code ?? 'malformed_message', (e as Error).message);
    }
  }

  private fromMap(v: ValueMap): SyncMessage {
    const key = (k: string) => {
      const b = v[k];
      if (!(b instanceof Uint8Array) || b.length !== 32) throw Object.assign(new Error(`${k} must be 32 bytes`), { code: 'malformed_message' });
      return toHex(b);
    };
    const num = (k: string) => {
      const n = v[k];
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw Object.assign(new Error(`${k} must be a count`), { code: 'malformed_message' });
      return n;
    };
    switch (v['t']) {
      case 'hello':
        return { type: 'hello', node: key('n'), name: String(v['name'] ?? '').slice(0, 64), protocol: num('v'), ...(v['fl'] === undefined ? {} : { fleet: key('fl') }) };
      case 'digest': {
        const d = v['d'];
        if (!(d instanceof Uint8Array) || d.length < 4 || d.length > 32) throw Object.assign(new Error('digest must be 4..32 bytes'), { code: 'malformed_message' });
        return { type: 'digest', digest: d, feeds: num('f'), ...(v['h'] === true ? { helloWanted: true } : {}) };
      }
      case 'frontier': {
        const heads = new Map<string, number>();
        for (const entry of (Array.isArray(v['h']) ? v['h'] : []) as Value[]) {
          const [a, s] = entry as [Uint8Array, number];
          if (!(a instanceof Uint8Array) || a.length !== 32 || typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) {
            throw Object.assign(new Error('frontier entry must be [author, seq]'), { code: 'malformed_message' });
          }
          heads.set(toHex(a), s);
        }
        return { type: 'frontier', heads };
      }
      case 'run': {
        const author = key('a');
        const list = v['e'];
        if (!Array.isArray(list) || list.length === 0) throw Object.assign(new Error('run needs events'), { code: 'malformed_message' });
        const sig = v['s'];
        if (sig !== null && !(sig instanceof Uint8Array && sig.length === 64)) throw Object.assign(new Error('signature must be 64 bytes'), { code: 'malformed_message' });
        for (const b of list as Value[]) {
          if (!(b instanceof Uint8Array)) throw Object.assign(new Error('event must be bytes'), { code: 'malformed_message' });
        }
        const events: FeedEvent[] = openRun(list as Uint8Array[], this.hasher);
        return { type: 'run', author, events, sig: sig as Uint8Array | null };
      }
      case 'refuse':
        return { type: 'refuse', author: key('a'), seq: num('s'), code: String(v['c'] ?? '').slice(0, 64) };
      default:
        throw Object.assign(new Error(`unknown message type ${String(v['t']).slice(0, 32)}`), { code: 'unknown_message_type' });
    }
  }

  runCapacity(events: readonly FeedEvent[], _signed: boolean, mtu: number): number {
    let used = RUN_OVERHEAD_BYTES;
    let n = 0;
    for (const e of events) {
      used += e.bytes.length + 5;
      if (used > mtu) break;
      n++;
    }
    return n;
  }
}
