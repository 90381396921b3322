// PROVES: the compact codec rebuilds every event exactly (same canonical bytes, same id) for
//         every kind and for payloads outside the compact shapes; fits >= 16 truck positions and a
//         signature in one LoRa frame; confirms "in sync" in <= 16 bytes; costs <= 4 bytes per
//         author in a frontier; asks for roster entries it lacks; and answers every truncated or
//         corrupted frame with a reason code instead of throwing.
// CATCHES: a codec that drifts one bit from the canonical form (ids would not match and every
//          run would be rejected), or that can be crashed by a bad frame.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactCodec, NodeRoster } from '../../src/core/sync/compact/codec';
import type { FeedEvent } from '../../src/core/events/event';
import type { RunMessage, SyncMessage } from '../../src/core/sync/messages';
import { crypto, FeedBuilder, identity } from '../support/feeds';

const LORA_PAYLOAD = 254;
const LINK_HEADER = 5;

function pair(stored: Map<string, string> = new Map()) {
  const sender = new CompactCodec({ hasher: crypto, roster: new NodeRoster(7), storedId: () => null, maxFrameBytes: 508 });
  const receiver = new CompactCodec({ hasher: crypto, roster: new NodeRoster(9), storedId: (a, s) => stored.get(`${a}:${s}`) ?? null, maxFrameBytes: 64 * 1024 });
  return { sender, receiver };
}

function decodeOk(codec: CompactCodec, bytes: Uint8Array): SyncMessage {
  const d = codec.decode(bytes);
  if (!d.ok) throw new Error(`decode failed: ${d.code} ${d.message}`);
  return d.message!;
}

function truckFeed(n: number, label = 'kit-7'): FeedBuilder {
  const b = new FeedBuilder(label);
  let lat = -1_292_066;
  let lon = 36_821_946;
  let t = 1_763_800_000_000;
  for (let i = 0; i < n; i++) {
    t += 5000 + (i % 3) * 7;
    lat += 620 + (i % 5) * 13;
    lon += 410 - (i % 4) * 9;
    b.add('truck.position', { truck: 'KBZ 114A', fix_ms: t - 120, lat_e6: lat, lon_e6: lon, speed_kmh: 55 + (i % 10), heading_deg: (40 + i) % 360 }, { wall: t, counter: 0 });
  }
  return b;
}

describe('compact codec', () => {
  it('rebuilds_every_kind_with_identical_ids', () => {
    const b = new FeedBuilder('camp');
    b.add('node.profile', { name: 'camp-north' });
    b.add('node.profile', { name: 'camp-north', reports: 'ab'.repeat(32) });
    b.add('node.profile', { name: 'camp-north', reports: 'AB'.repeat(32) }); // not canonical hex: sent as-is (generic)
    b.add('record.create', { record_id: 'R-1', form: 'site_assessment' });
    b.add('record.create', { record_id: 'R-2', form: 'delivery', by: 'base' });
    b.add('field.set', { record_id: 'R-2', field: 'status', value: 'OPEN' }, { wall: 1_700_000_009_000, counter: 3 });
    b.add('field.set', { record_id: 'R-2', field: 'depth', value: 3.25 });
    b.add('field.set', { record_id: 'R-1', field: 'tags', value: ['a', { nested: true }, null] });
    b.add('note.add', { record_id: 'R-1', text: 'Jūba ✓ road washed out' });
    b.add('truck.position', { truck: 'T-1', fix_ms: 1_700_000_020_000, lat_e6: -4_000_000, lon_e6: 39_600_000 });
    b.add('truck.position', { truck: 'T-2', fix_ms: 1, lat_e6: 90_000_000, lon_e6: -180_000_000, speed_kmh: 2000, heading_deg: 359 });
    b.add('truck.position', { truck: 'T-1', fix_ms: 1_700_000_030_000, lat_e6: -3_999_000, lon_e6: 39_600_900, heading_deg: 5 });
    b.add('truck.position', { truck: 'T-1', fix_ms: 1_700_000_040_000, lat_e6: -3_998_000, lon_e6: 39_601_900, heading_deg: 355, odometer_km: 42 });
    b.add('alert.ack', { alert: 'A-9', by: 'dispatcher' });
    const { sender, receiver } = pair();
    const msg: RunMessage = { type: 'run', author: b.author, events: b.events, sig: b.sig(b.events.length) };
    const got = decodeOk(receiver, sender.encode(msg)) as RunMessage;
    expect(got.events.map((e) => e.id)).toEqual(b.events.map((e) => e.id));
    expect(Buffer.from(got.sig!).equals(Buffer.from(msg.sig!))).toBe(true);
  });

  it('random_position_sequences_round_trip_exactly', () => {
    const position = fc.record({
      truck: fc.constantFrom('A', 'B', 'KBZ 114A'),
      dt: fc.integer({ min: 0, max: 600_000 }),
      fixSkew: fc.integer({ min: -100_000, max: 100_000 }),
      lat: fc.integer({ min: -90_000_000, max: 90_000_000 }),
      lon: fc.integer({ min: -180_000_000, max: 180_000_000 }),
      speed: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
      heading: fc.option(fc.integer({ min: 0, max: 359 }), { nil: undefined }),
      counter: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(position, { minLength: 1, maxLength: 20 }), (fixes) => {
        const b = new FeedBuilder('fuzz-kit');
        let wall = 1_700_000_000_000;
        for (const f of fixes) {
          wall += f.dt;
          b.add('truck.position', { truck: f.truck, fix_ms: Math.max(0, wall + f.fixSkew), lat_e6: f.lat, lon_e6: f.lon, speed_kmh: f.speed, heading_deg: f.heading }, { wall, counter: f.counter });
        }
        const { sender, receiver } = pair();
        const got = decodeOk(receiver, sender.encode({ type: 'run', author: b.author, events: b.events, sig: null })) as RunMessage;
        expect(got.events.map((e) => e.id)).toEqual(b.events.map((e) => e.id));
      }),
      { numRuns: 300 },
    );
  });

  it('fits_at_least_16_positions_and_a_signature_in_one_lora_frame', () => {
    const b = truckFeed(40);
    const { sender } = pair();
    const fit = sender.runCapacity(b.events, true, LORA_PAYLOAD - LINK_HEADER);
    expect(fit).toBeGreaterThanOrEqual(16);
    const bytes = sender.encode({ type: 'run', author: b.author, events: b.events.slice(0, fit), sig: b.sig(fit) });
    expect(bytes.length).toBeLessThanOrEqual(LORA_PAYLOAD - LINK_HEADER);
  });

  it('a_run_without_prev_needs_the_receivers_stored_base_and_says_so_when_missing', () => {
    const b = truckFeed(6);
    const stored = new Map<string, string>();
    const { sender, receiver } = pair(stored);
    const frame = sender.encode({ type: 'run', author: b.author, events: b.events.slice(3), sig: b.sig(6) });
    const missing = receiver.decode(frame);
    expect(missing).toMatchObject({ ok: false, code: 'missing_base' });
    stored.set(`${b.author}:3`, b.events[2]!.id);
    expect((decodeOk(receiver, frame) as RunMessage).events.map((e) => e.seq)).toEqual([4, 5, 6]);
    const withPrev = pair();
    const got = decodeOk(withPrev.receiver, withPrev.sender.encode({ type: 'run', author: b.author, events: b.events.slice(3), sig: null, withPrev: true }));
    expect((got as RunMessage).events[0]!.id).toBe(b.events[3]!.id);
  });

  it('in_sync_check_is_at_most_16_bytes_and_a_frontier_costs_at_most_4_bytes_per_author', () => {
    const { sender, receiver } = pair();
    const digest = sender.encode({ type: 'digest', digest: new Uint8Array(32).fill(7), feeds: 50 });
    expect(digest.length + LINK_HEADER).toBeLessThanOrEqual(16);
    const heads = new Map(Array.from({ length: 50 }, (_, i) => [identity(`a${i}`).author, 1000 + i * 37] as const));
    const first = sender.encode({ type: 'frontier', heads });
    expect(decodeOk(receiver, first)).toEqual({ type: 'frontier', heads });
    // A new key is spelled out in the first two frames that name it (a radio frame can miss some neighbours).
    const second = sender.encode({ type: 'frontier', heads });
    expect(second.length).toBe(first.length);
    expect(decodeOk(receiver, second)).toEqual({ type: 'frontier', heads });
    const again = sender.encode({ type: 'frontier', heads });
    expect((again.length - 2) / 50).toBeLessThanOrEqual(4);
    expect(decodeOk(receiver, again)).toEqual({ type: 'frontier', heads });
  });

  it('an_unknown_roster_index_is_asked_for_and_announced_again', () => {
    const { sender, receiver } = pair();
    const heads = new Map([[identity('x').author, 5]]);
    sender.encode({ type: 'frontier', heads }); // announced, but this frame is "lost"
    sender.encode({ type: 'frontier', heads }); // announced again, "lost" too
    const third = sender.encode({ type: 'frontier', heads });
    expect(receiver.decode(third)).toMatchObject({ ok: false, code: 'unknown_author_index' });
    const [want] = receiver.takeOutgoing();
    expect(sender.decode(want!)).toEqual({ ok: true, message: null });
    expect(decodeOk(receiver, sender.encode({ type: 'frontier', heads }))).toEqual({ type: 'frontier', heads });
  });

  it('every_truncation_and_bit_flip_of_a_valid_frame_is_answered_with_a_code', () => {
    const b = truckFeed(12);
    const { sender } = pair();
    const hello = sender.encode({ type: 'hello', node: b.author, name: 'kit', protocol: 1 });
    const frame = sender.encode({ type: 'run', author: b.author, events: b.events, sig: b.sig(12) });
    const codes = new Set<string>();
    for (const f of [hello, frame]) {
      for (let cut = 0; cut < f.length; cut++) {
        const d = pair().receiver.decode(f.subarray(0, cut));
        expect(d.ok, `prefix of ${cut} bytes`).toBe(false);
        if (!d.ok) codes.add(d.code);
      }
    }
    let decoded = 0;
    for (let i = 0; i < frame.length * 8; i++) {
      const bad = frame.slice();
      bad[i >> 3] = bad[i >> 3]! ^ (1 << (i & 7));
      const d = pair().receiver.decode(bad);
      if (d.ok && d.message?.type === 'run') {
        decoded++;
        // A flipped bit that still parses must not reproduce the signed head.
        const ev = d.message.events as FeedEvent[];
        const same = ev.length === 12 && ev[11]!.id === b.events[11]!.id && Buffer.from(d.message.sig ?? []).equals(Buffer.from(b.sig(12)));
        expect(same && ev.some((e, k) => e.id !== b.events[k]!.id)).toBe(false);
      }
    }
    expect(codes.size).toBeGreaterThan(1);
    expect(decoded).toBeLessThan(frame.length * 8);
    expect(pair().receiver.decode(new Uint8Array(70_000))).toMatchObject({ ok: false, code: 'frame_too_large' });
    expect(pair().receiver.decode(new Uint8Array([0x27]))).toMatchObject({ ok: false, code: 'unsupported_version' });
  });
});
