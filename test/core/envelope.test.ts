// PROVES: the in-place envelope reader (core/events/envelope.ts), the hot path of ingest and
//         rebuild, accepts exactly the event bytes the generic canonical decoder accepts in the
//         event's shape, and reads the same fields from them.
// CATCHES: a fast path that takes a non-canonical head, a truncated or padded event, or a payload
//          the generic decoder refuses; or reads an id, a seq or a string differently.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/encoding/bytes';
import { decodeCanonical, encodeCanonical, type Value } from '../../src/core/encoding/canonical';
import { readEnvelope } from '../../src/core/events/envelope';
import { sealEvent } from '../../src/core/events/event';
import { crypto } from '../support/feeds';

/** What the generic decoder makes of `bytes`, in the envelope's terms, or null when it is not an event's shape. */
function generic(bytes: Uint8Array): Record<string, unknown> | null {
  let v: Value;
  try {
    v = decodeCanonical(bytes);
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 8 || v[0] !== 1) return null;
  const [, author, seq, prev, wall, counter, kind, payload] = v as Value[];
  const isUint = (n: Value) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!(author instanceof Uint8Array) || author.length !== 32) return null;
  if (prev !== null && !(prev instanceof Uint8Array && prev.length === 32)) return null;
  if (!isUint(seq!) || !isUint(wall!) || !isUint(counter!) || typeof kind !== 'string') return null;
  return { author: toHex(author), seq, prev: prev === null ? null : toHex(prev as Uint8Array), hlc: { wall, counter }, kind, payload };
}

const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('T-07', 'Jūba ✓', 'a'.repeat(12), 'b'.repeat(13), '日本語のテキスト'));
const payload: fc.Arbitrary<Value> = fc.dictionary(
  fc.oneof(fc.constantFrom('truck', 'fix_ms', 'lat_e6', 'speed_kmh', 'é', 'note'), fc.string({ maxLength: 14 })).filter((k) => k !== '__proto__'),
  fc.oneof(text, fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null), fc.uint8Array({ maxLength: 40 }), fc.array(fc.integer(), { maxLength: 3 })),
  { maxKeys: 7 },
);

const eventBytes = fc
  .record({ seq: fc.integer({ min: 1, max: 2 ** 40 }), wall: fc.maxSafeInteger().map(Math.abs), counter: fc.integer({ min: 0, max: 65535 }), payload, withPrev: fc.boolean() })
  .map(({ seq, wall, counter, payload, withPrev }) => {
    const author = toHex(new Uint8Array(32).map((_, i) => (i * 37 + seq) & 255));
    const prev = withPrev || seq > 1 ? toHex(new Uint8Array(32).map((_, i) => (i * 11 + counter) & 255)) : null;
    return sealEvent({ author, seq: prev === null ? 1 : Math.max(seq, 2), prev, hlc: { wall, counter }, kind: 'truck.position', payload }, crypto).bytes;
  });

/** A valid event with one edit: a byte changed, removed or added, or the tail cut off. */
const mutated = fc.tuple(eventBytes, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'drop', 'insert', 'cut')).map(([b, at, byte, how]) => {
  const i = at % b.length;
  if (how === 'flip') return b.map((x, j) => (j === i ? byte : x));
  if (how === 'drop') return new Uint8Array([...b.subarray(0, i), ...b.subarray(i + 1)]);
  if (how === 'insert') return new Uint8Array([...b.subarray(0, i), byte, ...b.subarray(i)]);
  return b.subarray(0, i);
});

describe('event envelope reader', () => {
  it('reads_every_valid_event_as_the_generic_decoder_does', () => {
    fc.assert(
      fc.property(eventBytes, (b) => {
        const fast = readEnvelope(b);
        expect(fast).not.toBeNull();
        expect({ ...fast }).toEqual(generic(b));
      }),
      { numRuns: 400 },
    );
  });

  it('agrees_with_the_generic_decoder_on_edited_bytes_accepting_nothing_it_refuses', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutated, (b) => {
        const fast = readEnvelope(b);
        const slow = generic(b);
        if (fast) accepted++;
        expect(fast === null ? null : { ...fast }).toEqual(slow);
      }),
      { numRuns: 3000 },
    );
    // Some edits (a payload digit, a byte of an id) leave a valid event: both sides must read it.
    expect(accepted).toBeGreaterThan(100);
  });

  it('refuses_non_canonical_heads_the_generic_decoder_refuses', () => {
    const good = encodeCanonical([1, new Uint8Array(32), 1, null, 5, 0, 'note.add', { a: 1 }]);
    // seq 1 written in the two-byte form (0x18 0x01) is not canonical.
    const longSeq = new Uint8Array([...good.subarray(0, 36), 0x18, 0x01, ...good.subarray(37)]);
    // A map whose keys are out of canonical order.
    const unordered = encodeCanonical([1, new Uint8Array(32), 1, null, 5, 0, 'note.add', { a: 1 }]).slice();
    unordered[unordered.length - 3] = 0xa2;
    expect(readEnvelope(good)).not.toBeNull();
    expect(readEnvelope(longSeq)).toBeNull();
    expect(generic(longSeq)).toBeNull();
    expect(readEnvelope(new Uint8Array([...good, 0]))).toBeNull();
    expect(readEnvelope(unordered)).toEqual(generic(unordered));
  });
});
