// One emulated RNode: firmware 1.86 on an ESP32 board with an SX1276 (a LilyGO LoRa32 v2.1), as
// seen from its serial port. Host bytes go in through feed(); device bytes come out through the
// `write` callback. It owns the firmware's serial-side state (which settings the host has made,
// the radio-on flag, the once-a-second channel report, the partial-frame timeout) and drives one
// SimRadio on the shared RfChannel. It never touches a file, a process or a pseudo-terminal.
//
// Where the reference is silent, the firmware source (RNode_Firmware.ino, Utilities.h) decides:
//  - SF and CR are clamped into range (5..12, 5..8), not refused: SF 13 is echoed as 12;
//  - RADIO_STATE 01 is echoed twice (startRadio() reports the state, then the command handler);
//  - once the radio is on, frequency and bandwidth are echoed as the chip applied them (the PLL's
//    ~61 Hz step, rounding down again on every start; the SX127x bandwidth step);
//  - STAT_PHYPRM frames accompany every change of modem parameters while on;
//  - LEAVE changes nothing the host can see (the radio stays as it was);
//  - STAT_RX/STAT_TX answer zero (1.86 never counts them).
// It reports QUEUE_FULL through SimRadio, although 1.86 itself drops queue overflow silently.
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { kissEncode, KissDecoder, type KissFrame } from '../../core/lora/kiss';
import type { RfChannel, Tuning } from './rf-channel';
import { ASK, CMD, DETECT_REQUEST, DETECT_RESPONSE, encodeChannelStats, RADIO_OFF, RADIO_ON, readU16be, readU32be, RESET_BYTE, u32be } from '../../core/lora/rnode';
import { SimRadio } from './sim-radio';
import { SeededRandom } from '../../core/util/random';
import { chipBandwidthHz, chipFrequencyHz, phyParams, phyParamsFrame } from './sx127x';

export const FIRMWARE_VERSION = { major: 0x01, minor: 0x56 } as const; // 1.86
export const PLATFORM_ESP32 = 0x80;
export const MCU_ESP32 = 0x81;
export const BOARD_LORA32_V2_1 = 0x37;

const STATUS_INTERVAL_MS = 1000;
const PARTIAL_FRAME_TIMEOUT_MS = 100;
const RSSI_OFFSET = 157;
const NO_RSSI_DBM = -292; // the firmware's "nothing heard yet"
const DEFAULT_CR = 5;

export interface FirmwareOptions {
  readonly id: number;
  readonly channel: RfChannel;
  readonly scheduler: Scheduler;
  readonly seed: number;
  /** Bytes the device sends to the host. */
  readonly write: (bytes: Uint8Array) => void;
  /** Time from power-on or reset until the firmware listens and announces itself (default 0). */
  readonly bootDelayMs?: number;
}

export interface FirmwareCounters {
  /** Host packets the radio queued for transmission. */
  accepted: number;
  /** Host packets the firmware dropped (radio off or unconfigured, over 508 bytes, queue full). */
  dropped: number;
  /** Packets handed up to the host. */
  toHost: number;
}

export interface FirmwareSnapshot {
  readonly on: boolean;
  readonly configured: boolean;
  readonly frozen: boolean;
  readonly tuning: Tuning | null;
  readonly txPowerDbm: number | null;
  readonly queued: number;
  /** ST_ALOCK / LT_ALOCK as set by the host (0 = none); stored and echoed, not enforced. */
  readonly airtimeLimitsPct: { readonly shortTerm: number; readonly longTerm: number };
}

export class FirmwareEmulator {
  readonly radio: SimRadio;
  readonly counters: FirmwareCounters = { accepted: 0, dropped: 0, toHost: 0 };
  private readonly decoder = new KissDecoder(2048);
  private readonly rng: SeededRandom;
  /** The firmware's lora_freq: what it reports, after the chip's PLL rounding once on. */
  private reportedFrequencyHz = 0;
  private txPowerSet = false;
  private frozen = false;
  private booting = false;
  private implicitLength = 0;
  private promiscuous = false;
  private shortTermLimit = 0;
  private longTermLimit = 0;
  private lastRssiDbm = NO_RSSI_DBM;
  private statusTimer: TimerHandle | null = null;
  private partialTimer: TimerHandle | null = null;
  private bootTimer: TimerHandle | null = null;

  constructor(private readonly opts: FirmwareOptions) {
    this.rng = new SeededRandom((opts.seed ^ 0x5eed_0000) >>> 0);
    this.radio = new SimRadio(
      opts.id,
      opts.channel,
      opts.scheduler,
      {
        onReceive: (payload, rssi, snr) => this.packetToHost(payload, rssi, snr),
        onError: (code) => this.emit(kissEncode(CMD.ERROR, new Uint8Array([code]))),
      },
      opts.seed,
    );
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  /** Configured (frequency, bandwidth, TX power and SF all set): the firmware's radio lock is open. */
  get configured(): boolean {
    return this.radio.frequencyHz !== 0 && this.radio.bandwidthHz !== 0 && this.txPowerSet && this.radio.sf !== 0;
  }

  /** What the device would show on its screen, for stats and logs. */
  snapshot(): FirmwareSnapshot {
    return {
      on: this.radio.on,
      configured: this.configured,
      frozen: this.frozen,
      tuning: this.radio.tuning(),
      txPowerDbm: this.txPowerSet ? this.radio.txPowerDbm : null,
      queued: this.radio.queued,
      airtimeLimitsPct: { shortTerm: this.shortTermLimit * 100, longTerm: this.longTermLimit * 100 },
    };
  }

  /** Bytes from the host, in whatever pieces the serial line delivers them. */
  feed(bytes: Uint8Array): void {
    if (this.frozen || this.booting) return; // a hung or booting MCU loses what arrives
    for (const event of this.decoder.push(bytes)) if ('frame' in event) this.handle(event.frame);
    this.partialTimer?.cancel();
    this.partialTimer = null;
    if (this.decoder.partial) {
      // The MCU's clock counts from the last byte its UART received. Ours can only count from the
      // last byte this process read: when the host machine is starved, bytes already sent may sit
      // unread in the pipe past the timeout. So the expiry takes one more turn of the event loop
      // (which reads whatever is waiting, and re-arms the timer if it continues the frame) before
      // it drops the partial frame.
      this.partialTimer = this.opts.scheduler.after(PARTIAL_FRAME_TIMEOUT_MS, () => {
        this.partialTimer = this.opts.scheduler.after(1, () => {
          this.partialTimer = null;
          this.decoder.reset();
        });
      });
    }
  }

  /** A reboot (power-on, DTR reset, RESET command): forget config and queue, then announce. */
  boot(): void {
    this.forget();
    const announce = () => {
      this.booting = false;
      this.bootTimer = null;
      this.emit(kissEncode(CMD.RESET, new Uint8Array([RESET_BYTE])));
    };
    const delay = this.opts.bootDelayMs ?? 0;
    if (delay <= 0) return announce();
    this.booting = true;
    this.bootTimer = this.opts.scheduler.after(delay, announce);
  }

  /** Power lost (unplugged): forget everything, say nothing. */
  powerOff(): void {
    this.forget();
  }

  /** The MCU hangs: it neither reads the host nor writes anything until thawed. */
  freeze(): void {
    this.frozen = true;
    this.decoder.reset();
  }

  thaw(): void {
    this.frozen = false;
    this.decoder.reset();
  }

  /** Cancels every timer; the emulator is done. */
  stop(): void {
    this.forget();
  }

  private forget(): void {
    for (const t of [this.statusTimer, this.partialTimer, this.bootTimer]) t?.cancel();
    this.statusTimer = this.partialTimer = this.bootTimer = null;
    this.radio.reset();
    this.radio.txPowerDbm = 0;
    this.radio.cr = DEFAULT_CR;
    this.reportedFrequencyHz = 0;
    this.txPowerSet = false;
    this.frozen = false;
    this.booting = false;
    this.implicitLength = 0;
    this.promiscuous = false;
    this.shortTermLimit = this.longTermLimit = 0;
    this.lastRssiDbm = NO_RSSI_DBM;
    this.decoder.reset();
  }

  private emit(bytes: Uint8Array): void {
    if (!this.frozen) this.opts.write(bytes);
  }

  private reply(cmd: number, ...bytes: number[]): void {
    this.emit(kissEncode(cmd, new Uint8Array(bytes)));
  }

  private handle({ cmd, payload }: KissFrame): void {
    // The firmware acts on payload bytes: a bare command (`C0 50 C0`) gets no answer.
    if (payload.length === 0) return;
    const b = payload[0]!;
    switch (cmd) {
      case CMD.DATA:
        return this.packetFromHost(payload);
      case CMD.FREQUENCY:
        return this.setFrequency(payload);
      case CMD.BANDWIDTH:
        return this.setBandwidth(payload);
      case CMD.TXPOWER:
        return this.setTxPower(b);
      case CMD.SF:
        return this.setModem(CMD.SF, b, 5, 12);
      case CMD.CR:
        return this.setModem(CMD.CR, b, 5, 8);
      case CMD.RADIO_STATE:
        return this.setRadioState(b);
      case CMD.RADIO_LOCK:
        return this.reply(CMD.RADIO_LOCK, this.configured ? 0 : 1);
      case CMD.DETECT:
        if (b === DETECT_REQUEST) this.reply(CMD.DETECT, DETECT_RESPONSE);
        return;
      case CMD.IMPLICIT:
        this.implicitLength = b;
        return this.reply(CMD.IMPLICIT, this.implicitLength);
      case CMD.LEAVE:
        return; // 1.86 only notes that the cable host left; the radio keeps its state
      case CMD.ST_ALOCK:
      case CMD.LT_ALOCK:
        return this.setAirtimeLimit(cmd, payload);
      case CMD.PROMISC:
        if (b === 0x00 || b === 0x01) this.promiscuous = b === 0x01;
        return this.reply(CMD.PROMISC, this.promiscuous ? 1 : 0);
      case CMD.READY:
        return this.reply(CMD.READY, this.radio.ready ? 0x01 : 0x00);
      case CMD.STAT_RX:
      case CMD.STAT_TX:
        return this.emit(kissEncode(cmd, u32be(0)));
      case CMD.STAT_RSSI:
        return this.reply(CMD.STAT_RSSI, (this.lastRssiDbm + RSSI_OFFSET) & 0xff);
      case CMD.RANDOM:
        return this.reply(CMD.RANDOM, this.rng.int(0, 0xfe));
      case CMD.FW_VERSION:
        return this.reply(CMD.FW_VERSION, FIRMWARE_VERSION.major, FIRMWARE_VERSION.minor);
      case CMD.PLATFORM:
        return this.reply(CMD.PLATFORM, PLATFORM_ESP32);
      case CMD.MCU:
        return this.reply(CMD.MCU, MCU_ESP32);
      case CMD.BOARD:
        return this.reply(CMD.BOARD, BOARD_LORA32_V2_1);
      case CMD.RESET:
        if (b === RESET_BYTE) this.boot();
        return;
      default:
        return; // unknown commands are ignored, as the firmware does
    }
  }

  private packetFromHost(payload: Uint8Array): void {
    // SimRadio drops silently what the firmware drops silently (over 508 bytes, radio off) and
    // reports QUEUE_FULL through onError.
    if (this.configured && this.radio.send(payload)) this.counters.accepted++;
    else this.counters.dropped++;
  }

  private packetToHost(payload: Uint8Array, rssiDbm: number, snrDb: number): void {
    if (this.frozen || this.booting) return;
    this.lastRssiDbm = Math.round(rssiDbm);
    const rssi = Math.max(0, Math.min(255, Math.round(rssiDbm + RSSI_OFFSET)));
    const snr = Math.max(-128, Math.min(127, Math.round(snrDb * 4))) & 0xff;
    const frames = [kissEncode(CMD.STAT_RSSI, new Uint8Array([rssi])), kissEncode(CMD.STAT_SNR, new Uint8Array([snr])), kissEncode(CMD.DATA, payload)];
    const out = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
    let at = 0;
    for (const f of frames) {
      out.set(f, at);
      at += f.length;
    }
    this.counters.toHost++;
    this.emit(out);
  }

  private setFrequency(payload: Uint8Array): void {
    const hz = readU32be(payload);
    if (hz === null) return; // the firmware acts on the fourth byte
    if (hz !== 0) {
      // The channel compares what the hosts asked for: the chip's ~61 Hz rounding (and its drift
      // below) is far inside LoRa's frequency tolerance, so it must not make radios deaf.
      this.radio.frequencyHz = hz;
      this.reportedFrequencyHz = this.radio.on ? chipFrequencyHz(hz) : hz;
    }
    this.emit(kissEncode(CMD.FREQUENCY, u32be(this.reportedFrequencyHz)));
  }

  private setBandwidth(payload: Uint8Array): void {
    const hz = readU32be(payload);
    if (hz === null) return;
    if (hz !== 0) {
      this.radio.bandwidthHz = this.radio.on ? chipBandwidthHz(hz) : hz;
      this.reportPhy();
    }
    this.emit(kissEncode(CMD.BANDWIDTH, u32be(this.radio.bandwidthHz)));
  }

  private setTxPower(b: number): void {
    if (b !== ASK) {
      this.radio.setTxPower(b); // clamps to the SX1276's 17 dBm
      this.txPowerSet = true;
    }
    this.reply(CMD.TXPOWER, this.txPowerSet ? this.radio.txPowerDbm & 0xff : ASK);
  }

  private setModem(cmd: typeof CMD.SF | typeof CMD.CR, b: number, min: number, max: number): void {
    if (b !== ASK) {
      const value = Math.max(min, Math.min(max, b));
      if (cmd === CMD.SF) this.radio.sf = value;
      else this.radio.cr = value;
      this.reportPhy();
    }
    this.reply(cmd, cmd === CMD.SF ? this.radio.sf : this.radio.cr);
  }

  private setRadioState(b: number): void {
    if (b === ASK) return this.reportState();
    if (b === RADIO_OFF) {
      this.radio.on = false;
      this.statusTimer?.cancel();
      this.statusTimer = null;
      return this.reportState();
    }
    if (b !== RADIO_ON) return;
    if (!this.radio.on && this.configured) {
      this.radio.on = true;
      // begin(lora_freq) then getFrequency(): rounds down again on every start, as 1.86 does.
      this.reportedFrequencyHz = chipFrequencyHz(this.reportedFrequencyHz);
      this.radio.bandwidthHz = chipBandwidthHz(this.radio.bandwidthHz);
      // startRadio(): setBandwidth, setSpreadingFactor and setCodingRate each end in updateBitrate().
      for (let i = 0; i < 3; i++) this.reportPhy();
      this.scheduleStatus();
    }
    this.reportState(); // from startRadio()
    this.reportState(); // and again from the command handler
  }

  private reportState(): void {
    this.reply(CMD.RADIO_STATE, this.radio.on ? RADIO_ON : RADIO_OFF);
  }

  private reportPhy(): void {
    if (!this.radio.on) return;
    this.emit(phyParamsFrame(phyParams(this.radio.bandwidthHz, this.radio.sf, this.radio.cr)));
  }

  private setAirtimeLimit(cmd: typeof CMD.ST_ALOCK | typeof CMD.LT_ALOCK, payload: Uint8Array): void {
    if (payload.length < 2) return;
    const raw = readU16be(payload, 0);
    // Stored and echoed as the firmware does; the simulated radio does not enforce it.
    const limit = raw === 0 || raw >= 10_000 ? 0 : raw / 10_000;
    if (cmd === CMD.ST_ALOCK) this.shortTermLimit = limit;
    else this.longTermLimit = limit;
    const echo = Math.trunc(limit * 10_000);
    this.reply(cmd, (echo >> 8) & 0xff, echo & 0xff);
  }

  private scheduleStatus(): void {
    this.statusTimer?.cancel();
    this.statusTimer = this.opts.scheduler.after(STATUS_INTERVAL_MS, () => {
      this.statusTimer = null;
      if (!this.radio.on) return;
      this.emit(kissEncode(CMD.STAT_CHTM, encodeChannelStats(this.radio.stats())));
      this.scheduleStatus();
    });
  }
}
