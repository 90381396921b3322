// PROVES: the canonical encoding is deterministic (key order, integer and float forms) and its
//         decoder accepts exactly what the encoder produces.
// CATCHES: ids that differ between platforms or insertion orders; decoders that accept a second
//          spelling of the same value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCanonical, encodeCanonical, type Value } from '../../src/core/encoding/canonical';
import { toHex } from '../../src/core/encoding/bytes';

const value: fc.Arbitrary<Value> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.uint8Array({ maxLength: 40 }),
  ),
  node: fc.oneof(
    { depthSize: 'small' },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 5 }),
    fc.dictionary(fc.string().filter((k) => k !== '__proto__'), tie('node'), { maxKeys: 5 }),
  ),
})).node as fc.Arbitrary<Value>;

describe('canonical encoding', () => {
  it('key_order_does_not_change_the_bytes', () => {
    expect(toHex(encodeCanonical({ b: 1, a: 2, aa: 3 }))).toBe(toHex(encodeCanonical({ aa: 3, a: 2, b: 1 })));
    // Shorter keys sort first, then bytewise (RFC 8949 deterministic order).
    expect(toHex(encodeCanonical({ aa: 3, b: 1 }))).toBe('a261620162616103');
  });

  it('integers_use_the_shortest_form_and_other_numbers_are_float64', () => {
    expect(toHex(encodeCanonical(23))).toBe('17');
    expect(toHex(encodeCanonical(24))).toBe('1818');
    expect(toHex(encodeCanonical(-1))).toBe('20');
    expect(toHex(encodeCanonical(1.5))).toBe('fb3ff8000000000000');
    expect(toHex(encodeCanonical(-0))).toBe('00');
  });

  it('refuses_values_outside_the_model', () => {
    expect(() => encodeCanonical(NaN)).toThrow(/non_finite|cannot encode/);
    expect(() => encodeCanonical(Infinity)).toThrow();
    expect(() => encodeCanonical((() => 1) as unknown as Value)).toThrow(/cannot encode/);
    const sneaky = JSON.parse('{"__proto__": 1}') as Value;
    expect(() => encodeCanonical(sneaky)).toThrow(/__proto__ is refused/);
  });

  it('round_trips_every_value_and_reencodes_to_the_same_bytes', () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encodeCanonical(v);
        const back = decodeCanonical(bytes);
        expect(toHex(encodeCanonical(back))).toBe(toHex(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('rejects_non_canonical_spellings', () => {
    const cases: [string, string][] = [
      ['1817', 'non_canonical'], // 23 in a 2-byte form
      ['a2616201616101', 'non_canonical'], // keys out of order
      ['a2616101616101', 'non_canonical'], // repeated key
      ['fb4000000000000000', 'non_canonical'], // 2.0 as a float
      ['f93c00', 'unsupported_cbor'], // float16
      ['9f01ff', 'unsupported_cbor'], // indefinite array
      ['c101', 'unsupported_cbor'], // tag
      ['a10101', 'non_text_key'],
      ['62c328', 'bad_utf8'],
      ['0001', 'trailing_bytes'],
      ['5a00010000', 'truncated'],
      ['9b0000000100000000', 'truncated'],
    ];
    for (const [hex, code] of cases) {
      let got = 'accepted';
      try {
        decodeCanonical(Buffer.from(hex, 'hex'));
      } catch (e) {
        got = (e as { code: string }).code;
      }
      expect(got, `decoding ${hex}`).toBe(code);
    }
  });

  it('never_throws_anything_but_a_coded_error_on_random_bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeCanonical(bytes);
        } catch (e) {
          expect(typeof (e as { code?: unknown }).code).toBe('string');
        }
      }),
      { numRuns: 5000 },
    );
  });
});
