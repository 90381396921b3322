// The LoRa transport: sync over a shared radio channel. Every neighbour this node hears becomes
// a Link; messages carry sender and destination tags, and large ones travel as fragments.
//
// Transmission is paced, not queued: at most one packet is in the radio at a time (by our own
// airtime estimate, so the firmware's small queue never overflows), and no packet starts before
// the duty-cycle budget allows it. Short control frames (digests, frontiers, hellos) go before
// runs, and neighbours take turns. Runs overheard on their way to someone else are used too:
// they are signed history, and every node in earshot can store them.
import type { Scheduler, TimerHandle } from '../../../core/clock/scheduler';
import { AirtimeBudget, AirtimePace } from '../../../core/lora/duty-cycle';
import { rnodeAirtimeMs } from '../../../core/lora/airtime';
import { BROADCAST_TAG, FRAGMENT_HEADER_BYTES, goodbyePacket, HEADER_BYTES, MAX_FRAGMENTS, packetsFor, parsePacket, tagHex, tagOf } from '../../../core/lora/link-frames';
import type { RadioPort } from '../../../core/lora/radio-port';
import { isOverhearable } from '../../../core/sync/compact/codec';
import { paceToFrame } from '../../../core/sync/settings';
import { Emitter } from '../../../core/util/emitter';
import { hashString, SeededRandom } from '../../../core/util/random';
import type { BroadcastChannel, Transport, TransportEvents } from '../../../core/sync/transport';
import { NeighborLink, type NeighborHost } from './neighbor-link';
import { PacketQueue } from './packet-queue';

export interface LoraTransportOptions {
  readonly radio: RadioPort;
  readonly scheduler: Scheduler;
  /** This node's author key (hex): its tag is the first two bytes. */
  readonly self: string;
  readonly dutyCyclePct?: number;
  /** "I am here" packets so neighbours find us; 0 disables. */
  readonly beaconEveryMs?: number;
  /** A neighbour silent this long is gone (its link closes). */
  readonly neighborTimeoutMs?: number;
  /** Messages waiting per neighbour before send() pushes back. */
  readonly queuePerLink?: number;
  /** Guard time after each packet's estimated airtime, for the radio's CSMA and serial latency. */
  readonly guardMs?: number;
}

interface Reassembly {
  readonly parts: (Uint8Array | null)[];
  readonly startedMs: number;
}

const MAX_MESSAGE = 4096;
const REASSEMBLY_TIMEOUT_MS = 60_000;
const CONTROL_BYTES = 64;
/** What a radio may send at once after a quiet spell, above its pace: full frames, or a share of the hour's budget if more. */
const PACE_BURST_FRAMES = 3;
const PACE_BURST_SHARE = 0.1;

/** The broadcast side of the radio: one bounded queue of messages for everyone in range. */
class RadioBroadcast implements BroadcastChannel {
  readonly events = new Emitter<{ drain: []; listenerError: [error: unknown] }>();
  readonly packets: PacketQueue;

  constructor(
    readonly mtu: number,
    readonly packetSize: number,
    limit: number,
    private readonly host: LoraTransport,
  ) {
    this.packets = new PacketQueue(limit, () => this.events.emit('drain'));
  }

  get frameAirtimeMs(): number {
    return rnodeAirtimeMs(this.host.radio.packetBytes, this.host.radio.params);
  }

  /**
   * Room in the queue, and airtime in the duty-cycle budget for a full frame now. A message is
   * made only when it can go soon: one made while the budget is spent would wait with what it
   * knew then (a run without the fixes written meanwhile, a digest already stale). When the
   * budget refills, `drain` says so.
   */
  get writable(): boolean {
    return this.packets.writable && this.host.budgetReady(() => this.events.emit('drain'));
  }

  send(bytes: Uint8Array): boolean {
    if (bytes.length > this.mtu) return false;
    const queued = this.packets.offer(() => this.host.packetize(BROADCAST_TAG, bytes));
    if (queued) this.host.wake();
    return queued;
  }
}

export class LoraTransport implements Transport, NeighborHost {
  readonly kind = 'lora' as const;
  readonly events = new Emitter<TransportEvents>();
  readonly tag: number;
  readonly budget: AirtimeBudget;
  /** The duty cycle as a pace, for when messages are made (duty-cycle.ts). */
  private readonly pace: AirtimePace;
  private readonly neighbors = new Map<number, NeighborLink>();
  private readonly reassembly = new Map<string, Reassembly>();
  private readonly timers: TimerHandle[] = [];
  private pumpTimer: TimerHandle | null = null;
  /** Wakes the broadcast's sender when the budget has a frame's airtime again. */
  private budgetTimer: TimerHandle | null = null;
  private busyUntilMs = 0;
  private beaconQueued = false;
  /** Goodbyes owed to neighbours whose links closed here. */
  private readonly goodbyes: number[] = [];
  /** Whose queue goes first next time: neighbours take turns. */
  private nextTurn = 0;
  private messageId = 0;
  private stopped = true;
  packetsSent = 0;
  /** The radio's own view of how busy the channel is (STAT_CHTM), percent over the last minute. */
  channelLoadPct: number | null = null;
  packetsHeard = 0;

  private readonly rng: SeededRandom;
  readonly broadcast: RadioBroadcast;
  /** Airtime spent on broadcasts (everyone's share). */
  broadcastAirtimeMs = 0;
  /** When this radio last sent a packet (any packet tells the neighbours it is there). */
  private lastSentMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: LoraTransportOptions) {
    this.tag = tagOf(opts.self);
    this.rng = new SeededRandom(hashString(opts.self));
    this.broadcast = new RadioBroadcast(this.messageMtu, opts.radio.packetBytes - HEADER_BYTES, opts.queuePerLink ?? 4, this);
    // Part of the budget is kept back for the radio's carrier-sense delays (a frame handed over
    // leaves once the channel is quiet, and on a busy channel those waits add up): a full frame,
    // or 2% of the hour's share if that is more.
    const dutyCyclePct = opts.dutyCyclePct ?? 1;
    const reserveMs = Math.max(rnodeAirtimeMs(opts.radio.packetBytes, opts.radio.params), 3_600_000 * (dutyCyclePct / 100) * 0.02);
    this.budget = new AirtimeBudget(dutyCyclePct, opts.scheduler.nowMs(), 3_600_000, reserveMs);
    // Messages are made at the pace the share refills, not as fast as the hour's bound allows.
    const burstMs = Math.max(PACE_BURST_FRAMES * rnodeAirtimeMs(opts.radio.packetBytes, opts.radio.params), 3_600_000 * (dutyCyclePct / 100) * PACE_BURST_SHARE);
    this.pace = new AirtimePace(dutyCyclePct, burstMs, opts.scheduler.nowMs());
  }

  get radio(): RadioPort {
    return this.opts.radio;
  }

  /** A pace tuned for SF9/125 kHz (1.25 s frames), scaled to this radio's frame airtime. */
  private paced(referenceMs: number, floorMs: number): number {
    return paceToFrame(referenceMs, floorMs, this.broadcast.frameAirtimeMs);
  }

  private get neighborTimeoutMs(): number {
    return this.opts.neighborTimeoutMs ?? this.paced(600_000, 15_000);
  }

  get messageMtu(): number {
    return Math.min(MAX_MESSAGE, MAX_FRAGMENTS * (this.opts.radio.packetBytes - FRAGMENT_HEADER_BYTES));
  }

  async start(): Promise<void> {
    this.stopped = false;
    const r = this.opts.radio;
    r.events.on('packet', (p, rssi, snr) => this.onPacket(p, rssi, snr));
    r.events.on('online', () => {
      // Announce ourselves soon, at a random moment (radios often come up together).
      this.timers.push(this.opts.scheduler.after(this.rng.next() * 2000, () => this.beacon()));
      this.wake();
    });
    r.events.on('offline', (reason) => {
      for (const n of [...this.neighbors.values()]) n.close(`radio_offline: ${reason}`);
    });
    r.events.on('problem', (code, message) => this.events.emit('problem', code, `${r.label}: ${message}`));
    r.events.on('stats', (s) => (this.channelLoadPct = s.channelLoadShortPct));
    await r.start();
    const beaconEvery = this.opts.beaconEveryMs ?? this.paced(120_000, 5_000);
    if (beaconEvery > 0) this.every(beaconEvery, () => this.beacon(beaconEvery));
    this.every(Math.min(this.neighborTimeoutMs, 30_000), () => this.expire());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.budgetTimer?.cancel();
    this.budgetTimer = null;
    this.pumpTimer?.cancel();
    for (const n of [...this.neighbors.values()]) n.close('node_stopping');
    await this.opts.radio.stop();
  }

  /** Periodic work, each interval varied by +-25% so radios started together drift apart. */
  private every(ms: number, fn: () => void): void {
    const next = () => ms * (0.75 + 0.5 * this.rng.next());
    const tick = () => {
      if (this.stopped) return;
      fn();
      this.timers.push(this.opts.scheduler.after(next(), tick));
    };
    this.timers.push(this.opts.scheduler.after(next(), tick));
  }

  // ---- NeighborHost ---------------------------------------------------------------------------

  packetize(dst: number, message: Uint8Array): Uint8Array[] | null {
    this.messageId = (this.messageId + 1) & 0xff;
    return packetsFor(this.tag, dst, message, this.opts.radio.packetBytes, this.messageId);
  }

  headroomPct(): number {
    return this.budget.headroomPct(this.opts.scheduler.nowMs());
  }

  airtimeMs(): number {
    return this.budget.spentMs;
  }

  channelLoad(): number | null {
    return this.channelLoadPct;
  }

  closed(link: NeighborLink, reason: string): void {
    if (this.neighbors.get(link.tag) === link) this.neighbors.delete(link.tag);
    // Tell the neighbour, unless it told us or went silent (then it cannot hear it anyway).
    if (!this.stopped && !/^(goodbye|neighbour_silent|radio_offline)/.test(reason)) {
      this.goodbyes.push(link.tag);
      this.wake();
    }
  }

  /**
   * Whether the duty-cycle budget has a full frame's airtime now; if not, `whenReady` runs once
   * it has (one timer however often asked).
   */
  budgetReady(whenReady: () => void): boolean {
    const now = this.opts.scheduler.nowMs();
    const frame = this.broadcast.frameAirtimeMs;
    const at = Math.max(this.budget.readyAtMs(frame, now), this.pace.readyAtMs(frame, now));
    if (at <= now || !Number.isFinite(at)) return true;
    if (!this.budgetTimer) {
      this.budgetTimer = this.opts.scheduler.after(at - now, () => {
        this.budgetTimer = null;
        if (!this.stopped) whenReady();
      });
    }
    return false;
  }

  /** Sends the next packet when the radio and the budget allow. */
  wake(): void {
    if (this.stopped || this.pumpTimer) return;
    const now = this.opts.scheduler.nowMs();
    const next = this.pickNext();
    if (!next || !this.opts.radio.online) return;
    const airtime = rnodeAirtimeMs(next.packet.length, this.opts.radio.params);
    const at = Math.max(now, this.busyUntilMs, this.budget.readyAtMs(airtime, now));
    if (at > now) {
      this.pumpTimer = this.opts.scheduler.after(at - now, () => {
        this.pumpTimer = null;
        this.wake();
      });
      return;
    }
    this.take(next.link);
    if (this.opts.radio.send(next.packet)) {
      this.budget.spend(airtime, now);
      this.pace.spend(airtime, now);
      if (next.link instanceof NeighborLink) next.link.airtimeMs += airtime;
      else if (next.link) this.broadcastAirtimeMs += airtime;
      this.busyUntilMs = now + airtime + (this.opts.guardMs ?? 40);
      this.packetsSent++;
      this.lastSentMs = now;
    }
    this.pumpTimer = this.opts.scheduler.after(Math.max(0, this.busyUntilMs - now), () => {
      this.pumpTimer = null;
      this.wake();
    });
  }

  /** Says "still here" to the neighbours, unless anything this radio sent lately said it already. */
  private beacon(everyMs = 0): void {
    if (everyMs > 0 && this.opts.scheduler.nowMs() - this.lastSentMs < everyMs / 2) return;
    this.beaconQueued = true;
    this.wake();
  }

  /**
   * The next packet: goodbyes and beacons, then control messages (short), then runs; the
   * broadcast queue and the neighbours take turns.
   */
  private pickNext(): { link: NeighborLink | RadioBroadcast | null; packet: Uint8Array } | null {
    if (this.goodbyes.length > 0) return { link: null, packet: goodbyePacket(this.tag, this.goodbyes[0]!) };
    if (this.beaconQueued) return { link: null, packet: packetsFor(this.tag, BROADCAST_TAG, new Uint8Array(0), this.opts.radio.packetBytes, 0)![0]! };
    const queues = [this.broadcast, ...this.neighbors.values()].filter((n) => n.packets.queue.length > 0);
    if (queues.length === 0) return null;
    const isControl = (n: NeighborLink | RadioBroadcast) => n.packets.queue[0]![0]!.length <= CONTROL_BYTES + HEADER_BYTES;
    const ordered = [...queues.slice(this.nextTurn % queues.length), ...queues.slice(0, this.nextTurn % queues.length)];
    const link = ordered.find(isControl) ?? ordered[0]!;
    return { link, packet: link.packets.queue[0]![0]! };
  }

  private take(link: NeighborLink | RadioBroadcast | null): void {
    if (!link) {
      if (this.goodbyes.length > 0) this.goodbyes.shift();
      else this.beaconQueued = false;
      return;
    }
    const head = link.packets.queue[0]!;
    head.shift();
    if (head.length === 0) {
      link.packets.queue.shift();
      this.nextTurn++;
      link.packets.dequeued();
    }
  }

  // ---- receiving ------------------------------------------------------------------------------

  private neighbor(tag: number): NeighborLink {
    let n = this.neighbors.get(tag);
    if (!n) {
      const packetSize = this.opts.radio.packetBytes - HEADER_BYTES;
      n = new NeighborLink(tag, this.messageMtu, packetSize, this.opts.queuePerLink ?? 4, this);
      this.neighbors.set(tag, n);
      this.events.emit('link', n);
    }
    return n;
  }

  private onPacket(raw: Uint8Array, rssi: number, snr: number): void {
    const p = parsePacket(raw);
    const now = this.opts.scheduler.nowMs();
    if (!p) {
      this.events.emit('problem', 'foreign_packet', `heard a ${raw.length}-byte packet that is not Mandala's (another network on this channel?); ignored`);
      return;
    }
    if (p.src === this.tag) return;
    this.packetsHeard++;
    if (p.goodbye) {
      if (p.dst === this.tag) this.neighbors.get(p.src)?.close('goodbye');
      return;
    }
    const forUs = p.dst === this.tag || p.dst === BROADCAST_TAG;
    if (!forUs && !(p.fragment === null && isOverhearable(p.payload))) return;
    const link = this.neighbor(p.src);
    link.heard(rssi, snr, now);
    if (p.payload.length === 0) return; // beacon
    if (!p.fragment) {
      link.events.emit('message', p.payload.slice());
      return;
    }
    const key = `${p.src}:${p.fragment.id}`;
    let r = this.reassembly.get(key);
    if (!r || r.parts.length !== p.fragment.count) {
      r = { parts: new Array<Uint8Array | null>(p.fragment.count).fill(null), startedMs: now };
      this.reassembly.set(key, r);
    }
    r.parts[p.fragment.index] = p.payload.slice();
    if (r.parts.every((x) => x !== null)) {
      this.reassembly.delete(key);
      const total = r.parts.reduce((n, x) => n + x!.length, 0);
      const msg = new Uint8Array(total);
      let o = 0;
      for (const part of r.parts) {
        msg.set(part!, o);
        o += part!.length;
      }
      link.events.emit('message', msg);
    }
  }

  private expire(): void {
    const now = this.opts.scheduler.nowMs();
    const timeout = this.neighborTimeoutMs;
    for (const n of [...this.neighbors.values()]) if (now - n.lastHeardMs > timeout) n.close('neighbour_silent');
    for (const [k, r] of this.reassembly) if (now - r.startedMs > REASSEMBLY_TIMEOUT_MS) this.reassembly.delete(k);
  }

  /** Per-neighbour figures for logs and benches. */
  describe(): string {
    return [...this.neighbors.values()].map((n) => `${tagHex(n.tag)} rssi ${n.lastRssi ?? '?'} airtime ${Math.round(n.airtimeMs)} ms`).join(', ');
  }
}
