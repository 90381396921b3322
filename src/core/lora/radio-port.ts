// The port between the LoRa transport and a radio: a real RNode over serial, or a simulated
// radio on an in-process channel. The transport does link framing, queueing and airtime
// budgeting; the port only moves packets and reports the radio's state.
import type { Emitter } from '../util/emitter';
import type { LoraParams } from './airtime';
import type { ChannelStats } from './rnode';

export type RadioPortEvents = {
  packet: [payload: Uint8Array, rssiDbm: number, snrDb: number];
  /** Configured and on: packets may be sent. */
  online: [];
  /** Unplugged, reset, or not answering: nothing can be sent until `online` again. */
  offline: [reason: string];
  problem: [code: string, message: string];
  stats: [stats: ChannelStats];
  listenerError: [error: unknown];
};

export interface RadioPort {
  /** Where it is, for people: "/dev/ttyUSB0", "sim radio 3". */
  readonly label: string;
  /** Largest payload of one on-air packet (254 for RNode's single LoRa frame). */
  readonly packetBytes: number;
  /** The modem settings, for airtime estimates. */
  readonly params: LoraParams;
  readonly online: boolean;
  readonly events: Emitter<RadioPortEvents>;
  /** Hands one packet to the radio. False when offline or the packet is too large. */
  send(payload: Uint8Array): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}
