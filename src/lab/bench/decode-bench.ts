// Decode: compact frames decoded, rebuilt, re-hashed and signature-checked per second, beside the
// JSON baseline doing the same for the same runs. Then the fuzzer: random and mutated frames
// thrown at the decoder, counting exceptions that escape it (crashes) and frames that decode,
// verify and yet carry an event that was never signed (invalid accepted). Both must be 0.
import type { FeedEvent } from '../../core/events/event';
import { signHead, verifyHead } from '../../core/feed/head';
import { HEADER_BYTES } from '../../core/lora/link-frames';
import { LORA_FRAME_PAYLOAD } from '../../core/lora/rnode';
import { CodecJson } from './codec-json';
import { CompactCodec, NodeRoster } from '../../core/sync/compact/codec';
import type { RunMessage } from '../../core/sync/messages';
import { SeededRandom } from '../../core/util/random';
import { startStopwatch } from '../../node/clock/system-clock';
import { NodeCrypto } from '../../node/crypto/node-crypto';
import { benchIdentity } from './fixtures';
import type { BenchRow } from './report';
import { kitFeed } from './wire-bench';

const FRAME = LORA_FRAME_PAYLOAD - HEADER_BYTES;

interface Prepared {
  frames: Uint8Array[];
  json: Uint8Array[];
  genuine: Set<string>;
  ids: Map<string, string>;
}

function prepare(crypto: NodeCrypto, kits: number, perKit: number): Prepared {
  const frames: Uint8Array[] = [];
  const json: Uint8Array[] = [];
  const genuine = new Set<string>();
  const ids = new Map<string, string>();
  const jsonCodec = new CodecJson(crypto);
  for (let k = 0; k < kits; k++) {
    const id = benchIdentity(`decode-kit-${k}`);
    const events = kitFeed(id, crypto, perKit);
    for (const e of events) {
      genuine.add(e.id);
      ids.set(`${e.author}:${e.seq}`, e.id);
    }
    const sender = new CompactCodec({ hasher: crypto, roster: new NodeRoster(k + 1), storedId: () => null, maxFrameBytes: 64 * 1024 });
    for (let i = 0; i < events.length; ) {
      const fit = sender.runCapacity(events.slice(i, i + 255), true, FRAME);
      const chunk = events.slice(i, i + fit);
      const last = chunk[chunk.length - 1]!;
      const msg: RunMessage = { type: 'run', author: id.author, events: chunk, sig: signHead(id, id.author, last.seq, last.id) };
      frames.push(sender.encode(msg));
      json.push(jsonCodec.encode(msg));
      i += fit;
    }
  }
  return { frames, json, genuine, ids };
}

function receiver(crypto: NodeCrypto, ids: Map<string, string>): CompactCodec {
  return new CompactCodec({ hasher: crypto, roster: new NodeRoster(99), storedId: (a, s) => ids.get(`${a}:${s}`) ?? null, maxFrameBytes: 512 });
}

function verified(crypto: NodeCrypto, run: RunMessage): boolean {
  const last = run.events[run.events.length - 1] as FeedEvent;
  return run.sig !== null && verifyHead(crypto, run.author, last.seq, last.id, run.sig);
}

function mutate(rng: SeededRandom, f: Uint8Array): Uint8Array {
  const m = f.slice();
  switch (rng.int(0, 4)) {
    case 0: // flip a few bits
      for (let i = rng.int(1, 4); i > 0; i--) {
        const at = rng.int(0, m.length - 1);
        m[at] = m[at]! ^ (1 << rng.int(0, 7));
      }
      return m;
    case 1: // overwrite a byte
      m[rng.int(0, m.length - 1)] = rng.int(0, 255);
      return m;
    case 2: // truncate
      return m.subarray(0, rng.int(0, m.length - 1));
    case 3: {
      // splice in random bytes
      const at = rng.int(0, m.length);
      const extra = rng.bytes(rng.int(1, 8));
      const out = new Uint8Array(m.length + extra.length);
      out.set(m.subarray(0, at));
      out.set(extra, at);
      out.set(m.subarray(at), at + extra.length);
      return out;
    }
    default: // claim a huge count or length in the header
      m[Math.min(m.length - 1, rng.int(1, 6))] = 0xff;
      return m;
  }
}

export function benchDecode(scale: number, log: (s: string) => void): BenchRow[] {
  const crypto = new NodeCrypto();
  const p = prepare(crypto, 8, Math.max(200, Math.round(1500 * scale)));
  const events = p.genuine.size;
  log(`decode: ${p.frames.length} compact frames (${events} events); fuzzing`);

  let watch = startStopwatch();
  const rx = receiver(crypto, p.ids);
  for (const f of p.frames) {
    const d = rx.decode(f);
    if (!d.ok || d.message?.type !== 'run' || !verified(crypto, d.message)) throw new Error(`a genuine frame failed: ${d.ok ? 'unverified' : d.code}`);
  }
  const compactPerSec = p.frames.length / (watch.elapsedMs() / 1000);
  const json = new CodecJson(crypto);
  watch = startStopwatch();
  for (const f of p.json) {
    const d = json.decode(f);
    if (!d.ok || d.message?.type !== 'run' || !verified(crypto, d.message)) throw new Error('a genuine JSON message failed');
  }
  const jsonPerSec = p.json.length / (watch.elapsedMs() / 1000);

  const total = Math.max(10_000, Math.round(1_000_000 * scale));
  const rng = new SeededRandom(2024);
  let crashes = 0;
  let decoded = 0;
  let invalidAccepted = 0;
  let verifiedRuns = 0;
  watch = startStopwatch();
  for (let i = 0; i < total; i++) {
    const frame = i % 5 === 0 ? rng.bytes(rng.int(1, 254)) : mutate(rng, p.frames[rng.int(0, p.frames.length - 1)]!);
    try {
      const d = receiver(crypto, p.ids).decode(frame);
      if (!d.ok || d.message?.type !== 'run') continue;
      decoded++;
      const run = d.message;
      // Cheap first: a run ending at a genuine head is genuine all through (hash chain).
      const last = run.events[run.events.length - 1]!;
      if (p.genuine.has(last.id)) {
        if (run.events.some((e) => !p.genuine.has(e.id))) invalidAccepted++;
        continue;
      }
      if (verified(crypto, run)) {
        verifiedRuns++;
        invalidAccepted++; // a signature over an event nobody signed: a forgery got through
      }
    } catch {
      crashes++;
    }
  }
  const fuzzSec = watch.elapsedMs() / 1000;
  return [
    { section: 'decode', metric: 'compact frames decoded + verified per second', value: compactPerSec, unit: 'frames/s', baseline: { label: 'prototype JSON, same runs', value: jsonPerSec, unit: 'msg/s' }, ratio: compactPerSec / jsonPerSec, note: `${Math.round((compactPerSec * events) / p.frames.length).toLocaleString('en-US')} events/s rebuilt, hashed and signature-checked; JSON ${Math.round((jsonPerSec * events) / p.json.length).toLocaleString('en-US')} events/s for the same runs (both are dominated by SHA-256 and the signature check)` },
    { section: 'decode', metric: `fuzz: random + mutated frames (${total.toLocaleString('en-US')})`, value: crashes, unit: 'crashes', note: `${invalidAccepted} invalid accepted; ${decoded.toLocaleString('en-US')} parsed as runs, ${verifiedRuns} of those verified; ${Math.round(total / fuzzSec).toLocaleString('en-US')} frames/s` },
    { section: 'decode', metric: 'fuzz: invalid frames accepted', value: invalidAccepted, unit: 'frames' },
  ];
}
