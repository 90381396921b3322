// One neighbour heard on the radio, as a Link. Messages to it wait in a small bounded queue
// (send returns false when full, drain follows); the LoRa transport takes packets from every
// neighbour's queue in turn, within the radio's airtime budget.
import { Emitter } from '../../../core/util/emitter';
import type { Link, LinkEvents, LinkQuality } from '../../../core/sync/transport';
import { tagHex } from '../../../core/lora/link-frames';
import { PacketQueue } from './packet-queue';

export interface NeighborHost {
  /** Cuts a message into packets for this neighbour; null if it can never fit. */
  packetize(dst: number, message: Uint8Array): Uint8Array[] | null;
  /** Something was queued: the transport should try to transmit. */
  wake(): void;
  headroomPct(): number;
  /** This radio's total airtime so far (one radio serves every neighbour). */
  airtimeMs(): number;
  /** Channel load the radio reports, percent, or null before its first report. */
  channelLoad(): number | null;
  closed(link: NeighborLink, reason: string): void;
}

export class NeighborLink implements Link {
  readonly kind = 'lora' as const;
  readonly events = new Emitter<LinkEvents>();
  readonly id: string;
  readonly label: string;
  closed = false;
  /** Queued messages, each already cut into packets. */
  readonly packets: PacketQueue;
  airtimeMs = 0;
  lastRssi: number | null = null;
  lastSnr: number | null = null;
  lastHeardMs = 0;
  constructor(
    readonly tag: number,
    readonly mtu: number,
    /** Largest message that travels as one packet: size runs to this. */
    readonly packetSize: number,
    queueLimit: number,
    private readonly host: NeighborHost,
  ) {
    this.id = `lora:${tagHex(tag)}`;
    this.label = `radio neighbour ${tagHex(tag)}`;
    this.packets = new PacketQueue(queueLimit, () => this.events.emit('drain'));
  }

  get writable(): boolean {
    return !this.closed && this.packets.writable;
  }

  send(bytes: Uint8Array): boolean {
    if (this.closed || bytes.length > this.mtu) return false;
    const queued = this.packets.offer(() => this.host.packetize(this.tag, bytes));
    if (queued) this.host.wake();
    return queued;
  }

  heard(rssi: number, snr: number, nowMs: number): void {
    this.lastRssi = rssi;
    this.lastSnr = snr;
    this.lastHeardMs = nowMs;
  }

  close(reason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.packets.clear();
    this.events.emit('close', reason);
    this.host.closed(this, reason);
  }

  quality(): LinkQuality {
    return {
      ...(this.lastRssi !== null ? { rssiDbm: this.lastRssi } : {}),
      ...(this.lastSnr !== null ? { snrDb: this.lastSnr } : {}),
      airtimeMs: Math.round(this.host.airtimeMs()),
      dutyCycleHeadroomPct: Math.round(this.host.headroomPct() * 10) / 10,
      ...(this.host.channelLoad() !== null ? { channelLoadPct: this.host.channelLoad()! } : {}),
    };
  }
}
