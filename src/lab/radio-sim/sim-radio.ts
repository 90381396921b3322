// A simulated radio on an RfChannel, behaving as RNode firmware does: it transmits only once
// frequency, bandwidth, TX power and SF are set and the radio is on; it clamps TX power to the
// chip's limit; it queues packets (about 6 KB / 200 packets, dropping overflow with a QUEUE_FULL
// error); it listens before talking (CSMA); and it keeps airtime and channel-load figures for
// the once-a-second STAT_CHTM report.
import type { Scheduler } from '../../core/clock/scheduler';
import { SeededRandom } from '../../core/util/random';
import type { RfChannel, Tuning } from './rf-channel';
import type { ChannelStats } from '../../core/lora/rnode';
import { RNODE_MTU } from '../../core/lora/rnode';

export const SIM_TX_POWER_LIMIT_DBM = 17; // SX127x
const QUEUE_BYTES = 6 * 1024;
const QUEUE_PACKETS = 200;

export interface SimRadioEvents {
  onReceive(payload: Uint8Array, rssiDbm: number, snrDb: number): void;
  onError(code: number): void;
}

export class SimRadio {
  frequencyHz = 0;
  bandwidthHz = 0;
  txPowerDbm = 0;
  sf = 0;
  cr = 5;
  on = false;
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private transmitting = false;
  private readonly rng: SeededRandom;
  private readonly window: { atMs: number; tx: number; heard: number }[] = [];

  constructor(
    readonly id: number,
    private readonly channel: RfChannel,
    private readonly scheduler: Scheduler,
    private readonly events: SimRadioEvents,
    seed: number,
  ) {
    this.rng = new SeededRandom(seed);
    channel.attach(id, {
      tuning: () => this.tuning(),
      deliver: (payload, rssi, snr) => {
        if (this.on) this.events.onReceive(payload, rssi, snr);
      },
    });
  }

  /** Ready to transmit: configured (freq, bw, power, SF all set) and on. */
  tuning(): Tuning | null {
    if (!this.on || !this.frequencyHz || !this.bandwidthHz || !this.sf) return null;
    return { frequencyHz: this.frequencyHz, bwHz: this.bandwidthHz, sf: this.sf, cr: this.cr };
  }

  setTxPower(dbm: number): number {
    this.txPowerDbm = Math.min(dbm, SIM_TX_POWER_LIMIT_DBM);
    return this.txPowerDbm;
  }

  /** Firmware-side "is there room?" (the READY command). */
  get ready(): boolean {
    return this.queue.length < QUEUE_PACKETS && this.queuedBytes < QUEUE_BYTES - RNODE_MTU;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Queues a packet from the host; returns false (and reports QUEUE_FULL) when it is dropped. */
  send(payload: Uint8Array): boolean {
    if (payload.length === 0 || payload.length > RNODE_MTU || !this.tuning()) return false;
    if (this.queue.length >= QUEUE_PACKETS || this.queuedBytes + payload.length > QUEUE_BYTES) {
      this.events.onError(0x04);
      return false;
    }
    this.queue.push(payload.slice());
    this.queuedBytes += payload.length;
    this.kick();
    return true;
  }

  /** Forgets everything, as a reboot does. */
  reset(): void {
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.on = false;
    this.frequencyHz = this.bandwidthHz = this.sf = 0;
  }

  private kick(): void {
    if (this.transmitting || this.queue.length === 0) return;
    const tuning = this.tuning();
    if (!tuning) return;
    // CSMA: wait for a quiet channel, then a random slot, as the firmware does.
    if (this.channel.busyAt(this.id, tuning)) {
      this.scheduler.after(this.rng.int(5, 40), () => this.kick());
      return;
    }
    const payload = this.queue.shift()!;
    this.queuedBytes -= payload.length;
    this.transmitting = true;
    const airtime = this.channel.transmit(this.id, payload, tuning, () => {
      this.transmitting = false;
      this.kick();
    });
    this.note(airtime, 0);
  }

  private note(tx: number, heard: number): void {
    const now = this.scheduler.nowMs();
    this.window.push({ atMs: now, tx, heard });
    while (this.window.length && this.window[0]!.atMs < now - 3_600_000) this.window.shift();
  }

  /** STAT_CHTM figures: own airtime and channel load over the last minute and hour. */
  stats(): ChannelStats {
    const now = this.scheduler.nowMs();
    const c = this.channel.counters.get(this.id)!;
    const sum = (sinceMs: number) => this.window.filter((w) => w.atMs >= now - sinceMs).reduce((n, w) => n + w.tx, 0);
    const pct = (ms: number, span: number) => Math.min(100, (ms / span) * 100);
    return {
      airtimeShortPct: pct(sum(60_000), 60_000),
      airtimeLongPct: pct(sum(3_600_000), 3_600_000),
      channelLoadShortPct: pct(Math.min(c.heardAirtimeMs, 60_000), 60_000),
      channelLoadLongPct: pct(Math.min(c.heardAirtimeMs, 3_600_000), 3_600_000),
      currentRssiDbm: -120,
      noiseFloorDbm: -120,
      interference: false,
    };
  }
}
