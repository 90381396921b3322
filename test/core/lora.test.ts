// PROVES: LoRa airtime matches the Semtech formula's reference values (and RNode's framing);
//         KISS framing escapes and unescapes every byte and resynchronises after garbage; the
//         simulated channel delivers within reach, collides overlapping transmissions at a
//         shared receiver (hidden terminals), and keeps a radio deaf while it transmits.
// CATCHES: a duty-cycle budget computed from the wrong airtime; a framer that loses the stream
//          after one bad byte; a simulator that hides collisions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { loraAirtimeMs, rnodeAirtimeMs } from '../../src/core/lora/airtime';
import { kissEncode, KissDecoder } from '../../src/core/lora/kiss';
import { RfChannel, type Tuning } from '../../src/lab/radio-sim/rf-channel';

describe('LoRa airtime', () => {
  it('matches_the_reference_values', () => {
    expect(loraAirtimeMs(10, { sf: 7, bwHz: 125_000, cr: 5 })).toBeCloseTo(41.216, 3);
    expect(loraAirtimeMs(10, { sf: 11, bwHz: 125_000, cr: 5 })).toBeCloseTo(577.536, 3);
    expect(loraAirtimeMs(50, { sf: 9, bwHz: 125_000, cr: 5 })).toBeCloseTo(328.704, 3);
    expect(rnodeAirtimeMs(50, { sf: 9, bwHz: 125_000, cr: 5 })).toBeCloseTo(369.664, 3);
    const full = rnodeAirtimeMs(254, { sf: 9, bwHz: 125_000, cr: 5 });
    expect(full).toBeGreaterThan(1200);
    expect(full).toBeLessThan(1300);
  });
});

describe('KISS framing', () => {
  it('round_trips_any_payload_including_fend_and_fesc', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 600 }), (cmd, payload) => {
        fc.pre(cmd !== 0xc0 && cmd !== 0xdb);
        const events = new KissDecoder().push(kissEncode(cmd, payload));
        expect(events).toEqual([{ frame: { cmd, payload } }]);
      }),
    );
  });

  it('resynchronises_on_fend_after_garbage_and_reports_a_bad_escape', () => {
    const d = new KissDecoder();
    const garbage = new Uint8Array([0x13, 0x37, 0xdb, 0x42]);
    const bad = new Uint8Array([0xc0, 0x00, 0x01, 0xdb, 0x99, 0x02, 0xc0]);
    const good = kissEncode(0x00, new Uint8Array([1, 2, 3]));
    const events = [...d.push(garbage), ...d.push(bad), ...d.push(good)];
    expect(events).toEqual([{ error: { code: 'bad_escape', message: expect.any(String) } }, { frame: { cmd: 0, payload: new Uint8Array([1, 2, 3]) } }]);
  });

  it('a_frame_split_across_reads_is_reassembled', () => {
    const d = new KissDecoder();
    const bytes = kissEncode(0x00, new Uint8Array([0xc0, 7, 0xdb]));
    const events = [...bytes].flatMap((b) => d.push(new Uint8Array([b])));
    expect(events).toEqual([{ frame: { cmd: 0, payload: new Uint8Array([0xc0, 7, 0xdb]) } }]);
  });
});

describe('simulated RF channel', () => {
  const tuning: Tuning = { frequencyHz: 868_100_000, bwHz: 125_000, sf: 7, cr: 5 };
  function world(n: number) {
    const scheduler = new VirtualScheduler(0);
    const channel = new RfChannel(scheduler, { loss: 0, seed: 1 });
    const got: string[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < n; i++) channel.attach(i, { tuning: () => tuning, deliver: (p) => got[i]!.push(new TextDecoder().decode(p)) });
    return { scheduler, channel, got };
  }
  const link = { rssiDbm: -90, snrDb: 8 };

  it('delivers_only_within_reach', () => {
    const { scheduler, channel, got } = world(3);
    channel.setReach(0, 1, link);
    channel.transmit(0, new TextEncoder().encode('hi'), tuning, () => {});
    scheduler.advance(1000);
    expect(got).toEqual([[], ['hi'], []]);
  });

  it('hidden_terminals_collide_at_the_receiver_between_them', () => {
    const { scheduler, channel, got } = world(3);
    channel.setReach(0, 1, link);
    channel.setReach(2, 1, link);
    channel.transmit(0, new TextEncoder().encode('from-a'), tuning, () => {});
    scheduler.advance(5);
    channel.transmit(2, new TextEncoder().encode('from-c'), tuning, () => {});
    scheduler.advance(1000);
    expect(got[1]).toEqual([]);
    expect(channel.counters.get(1)!.collided).toBe(2);
  });

  it('a_radio_cannot_hear_while_it_transmits', () => {
    const { scheduler, channel, got } = world(2);
    channel.setReach(0, 1, link);
    channel.setReach(1, 0, link);
    channel.transmit(0, new TextEncoder().encode('a'), tuning, () => {});
    channel.transmit(1, new TextEncoder().encode('b'), tuning, () => {});
    scheduler.advance(1000);
    expect(got).toEqual([[], []]);
  });
});
