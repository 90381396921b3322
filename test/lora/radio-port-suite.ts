// PROVES: any RadioPort (the simulated radio on an in-process channel, and the RNode driver over
//         a real pseudo-terminal) comes online when started, carries a packet whole to a radio in
//         reach with its RSSI and SNR, refuses a packet larger than one frame or sent while
//         offline with `false` (never a throw), and goes quiet once stopped.
// CATCHES: a radio adapter that throws on bad input, truncates a packet, or keeps sending after
//          stop; the LoRa transport relies on all four.
// Run by radio-ports.test.ts against each adapter.
import { describe, expect, it } from 'vitest';
import type { RadioPort } from '../../src/core/lora/radio-port';

export interface RadioPortHarness {
  /** Two radios of the same kind, in reach of each other, not started. */
  readonly a: RadioPort;
  readonly b: RadioPort;
  /** Lets time pass (virtual or real) until `cond` holds. */
  waitFor(cond: () => boolean, what: string): Promise<void>;
  /** Lets this much time pass (virtual or real). */
  pause(ms: number): Promise<void>;
  teardown(): Promise<void>;
}

export function runRadioPortSuite(name: string, setup: () => Promise<RadioPortHarness>): void {
  describe(`RadioPort acceptance: ${name}`, () => {
    async function withRadios(fn: (h: RadioPortHarness) => Promise<void>): Promise<void> {
      const h = await setup();
      try {
        await fn(h);
      } finally {
        await h.teardown();
      }
    }

    it('starting_brings_the_radio_online_and_says_so', () =>
      withRadios(async (h) => {
        let onlineEvents = 0;
        h.a.events.on('online', () => onlineEvents++);
        expect(h.a.online, 'not online before start').toBe(false);
        await h.a.start();
        await h.waitFor(() => h.a.online, 'the radio online');
        expect(onlineEvents).toBeGreaterThanOrEqual(1);
        expect(h.a.label.length).toBeGreaterThan(0);
        expect(h.a.packetBytes).toBe(254);
      }));

    it('a_packet_arrives_whole_at_a_radio_in_reach_with_rssi_and_snr', () =>
      withRadios(async (h) => {
        const got: { bytes: number[]; rssi: number; snr: number }[] = [];
        h.b.events.on('packet', (p, rssi, snr) => got.push({ bytes: [...p], rssi, snr }));
        await h.a.start();
        await h.b.start();
        await h.waitFor(() => h.a.online && h.b.online, 'both radios online');
        const payload = Uint8Array.from({ length: h.a.packetBytes }, (_, i) => (i * 37) & 0xff); // a full frame, KISS escapes included
        expect(h.a.send(payload)).toBe(true);
        await h.waitFor(() => got.length === 1, 'the packet at the other radio');
        expect(got[0]!.bytes).toEqual([...payload]);
        expect(Number.isFinite(got[0]!.rssi) && got[0]!.rssi < 0, `rssi ${got[0]!.rssi} dBm`).toBe(true);
        expect(Number.isFinite(got[0]!.snr)).toBe(true);
      }));

    it('a_packet_over_one_frame_or_sent_offline_is_refused_with_false', () =>
      withRadios(async (h) => {
        expect(h.a.send(new Uint8Array([1, 2, 3])), 'offline: refused').toBe(false);
        await h.a.start();
        await h.waitFor(() => h.a.online, 'the radio online');
        expect(h.a.send(new Uint8Array(h.a.packetBytes + 1)), 'over one frame: refused').toBe(false);
      }));

    it('a_stopped_radio_sends_nothing', () =>
      withRadios(async (h) => {
        const got: number[][] = [];
        h.b.events.on('packet', (p) => got.push([...p]));
        await h.a.start();
        await h.b.start();
        await h.waitFor(() => h.a.online && h.b.online, 'both radios online');
        await h.a.stop();
        expect(h.a.send(new Uint8Array([7]))).toBe(false);
        await h.pause(500);
        expect(got, 'nothing reached the other radio').toEqual([]);
      }));
  });
}
