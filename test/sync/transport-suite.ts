// PROVES: a transport delivers whole messages in order, refuses messages over its MTU, applies
//         backpressure (send returns false, then drain) without losing accepted messages, and
//         reports a closed link on both ends.
// CATCHES: a transport that silently truncates, reorders, or buffers without bound.
// Run by each transport's own test file.
import { describe, expect, it } from 'vitest';
import type { Link, Transport } from '../../src/core/sync/transport';

export interface TransportHarness {
  readonly a: Transport;
  readonly b: Transport;
  /** Opens a link from a to b; resolves with both ends. */
  linkUp(): Promise<[Link, Link]>;
  /** Lets time pass (virtual or real) until `cond` holds. */
  waitFor(cond: () => boolean, what: string): Promise<void>;
  teardown(): Promise<void>;
}

function collect(link: Link): Uint8Array[] {
  const got: Uint8Array[] = [];
  link.events.on('message', (m) => got.push(m));
  return got;
}

export function runTransportSuite(name: string, setup: () => Promise<TransportHarness>): void {
  describe(`Transport acceptance: ${name}`, () => {
    async function withHarness(fn: (h: TransportHarness) => Promise<void>): Promise<void> {
      const h = await setup();
      try {
        await fn(h);
      } finally {
        await h.teardown();
      }
    }

    it('messages_arrive_whole_and_in_order_in_both_directions', () =>
      withHarness(async (h) => {
        const [la, lb] = await h.linkUp();
        const atB = collect(lb);
        const atA = collect(la);
        const sent = Array.from({ length: 20 }, (_, i) => new Uint8Array([i, 0, 0xc0, 0xdb, 255, i]));
        // Honour backpressure: a link may take only a few messages at a time (LoRa takes four).
        for (const m of sent) {
          if (!la.send(m)) {
            await h.waitFor(() => la.writable, 'the link to accept more');
            expect(la.send(m)).toBe(true);
          }
        }
        expect(lb.send(new Uint8Array([9, 9, 9]))).toBe(true);
        await h.waitFor(() => atB.length === 20 && atA.length === 1, `all messages (b has ${atB.length}, a has ${atA.length})`);
        expect(atB.map((m) => [...m])).toEqual(sent.map((m) => [...m]));
        expect([...atA[0]!]).toEqual([9, 9, 9]);
      }));

    it('a_message_of_exactly_the_mtu_arrives_and_one_byte_more_is_refused', () =>
      withHarness(async (h) => {
        const [la, lb] = await h.linkUp();
        const atB = collect(lb);
        const big = new Uint8Array(la.mtu).map((_, i) => i & 0xff);
        expect(la.send(big)).toBe(true);
        expect(la.send(new Uint8Array(la.mtu + 1))).toBe(false);
        await h.waitFor(() => atB.length >= 1, 'the MTU-sized message');
        expect(atB.length).toBe(1);
        expect(atB[0]!.length).toBe(la.mtu);
        expect(atB[0]![la.mtu - 1]).toBe((la.mtu - 1) & 0xff);
      }));

    it('backpressure_refuses_then_drains_and_loses_nothing_accepted', () =>
      withHarness(async (h) => {
        const [la, lb] = await h.linkUp();
        const atB = collect(lb);
        let drained = 0;
        la.events.on('drain', () => drained++);
        const size = Math.min(la.mtu, 256 * 1024);
        let accepted = 0;
        let refused = false;
        for (let i = 0; i < 4000 && !refused; i++) {
          const m = new Uint8Array(size);
          m[0] = i & 0xff;
          if (la.send(m)) accepted++;
          else refused = true;
        }
        expect(refused, 'the link must push back before 4000 large messages').toBe(true);
        await h.waitFor(() => drained > 0, 'a drain event');
        expect(la.writable).toBe(true);
        await h.waitFor(() => atB.length === accepted, `${accepted} accepted messages`);
        expect(atB.map((m) => m[0])).toEqual(Array.from({ length: accepted }, (_, i) => i & 0xff));
      }));

    it('closing_one_end_closes_the_other', () =>
      withHarness(async (h) => {
        const [la, lb] = await h.linkUp();
        let reason = '';
        lb.events.on('close', (r) => (reason = r));
        la.close('test_done');
        await h.waitFor(() => lb.closed, 'the far end to close');
        expect(reason).not.toBe('');
        expect(la.send(new Uint8Array([1]))).toBe(false);
      }));
  });
}
