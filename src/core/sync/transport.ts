// Transport ports. A transport produces links; a link carries whole messages to one peer. The
// in-memory, LAN and LoRa transports all implement these and pass one acceptance suite
// (test/sync/transport-suite.ts).
import type { Emitter } from '../util/emitter';

export type LinkKind = 'memory' | 'lan' | 'lora';

/** Radio and channel figures a link can report (LoRa fills most of them). */
export interface LinkQuality {
  readonly rssiDbm?: number;
  readonly snrDb?: number;
  readonly airtimeMs?: number;
  /** Share of the duty-cycle budget still free, 0..100. */
  readonly dutyCycleHeadroomPct?: number;
  readonly channelLoadPct?: number;
}

export type LinkEvents = {
  message: [bytes: Uint8Array];
  /** The link can take more after `send` returned false. */
  drain: [];
  close: [reason: string];
  listenerError: [error: unknown];
};

export interface Link {
  /** Unique among this node's live links. */
  readonly id: string;
  readonly kind: LinkKind;
  /** Where the other end is, for people: "192.168.1.20:7420", "radio0". */
  readonly label: string;
  /** Largest message this link carries, in bytes. */
  readonly mtu: number;
  /** Largest message that travels in one piece (a LoRa packet); bigger ones are fragmented. */
  readonly packetSize?: number;
  /** The key the other end proved it holds (a LAN handshake), hex; absent where nothing proves it (radio). */
  readonly peerKey?: string;
  readonly events: Emitter<LinkEvents>;
  /** Whether `send` would accept a message now. */
  readonly writable: boolean;
  readonly closed: boolean;
  /**
   * Queues one message. Returns false when the link is full (wait for `drain`). Never throws:
   * a message over the MTU or on a closed link is refused with false.
   */
  send(bytes: Uint8Array): boolean;
  close(reason?: string): void;
  quality(): LinkQuality;
}

/** Sending to everyone in range at once (a radio). Replies still arrive on per-neighbour links. */
export interface BroadcastChannel {
  /** Airtime of one full packet on this medium, to pace the protocol to the link. */
  readonly frameAirtimeMs: number;
  readonly mtu: number;
  /** Largest message that travels as one packet. */
  readonly packetSize: number;
  readonly writable: boolean;
  readonly events: Emitter<{ drain: []; listenerError: [error: unknown] }>;
  send(bytes: Uint8Array): boolean;
}

export type TransportEvents = {
  link: [link: Link];
  /** Something went wrong that a person should know about (the transport keeps running). */
  problem: [code: string, message: string];
  listenerError: [error: unknown];
};

export interface Transport {
  readonly kind: LinkKind;
  readonly events: Emitter<TransportEvents>;
  /** Present on broadcast media: then one session serves all neighbours (see sync/neighborhood). */
  readonly broadcast?: BroadcastChannel;
  start(): Promise<void>;
  stop(): Promise<void>;
}
