// One conversation with an RNode over an open serial line: detect, firmware check, configure
// (every echoed value validated), radio on, then packets in and out. It owns no port: bytes come
// in through `feed`, go out through `write`, and it reports what it learns. The port lifecycle
// (open, unplug, reconnect) is RNodeRadioPort's job.
import type { Scheduler, TimerHandle } from '../../../core/clock/scheduler';
import { kissEncode, KissDecoder } from '../../../core/lora/kiss';
import {
  ASK,
  CMD,
  configCommands,
  DETECT_RESPONSE,
  detectSequence,
  ERROR_CODES,
  firmwareAtLeast,
  parseChannelStats,
  RADIO_ON,
  readU32be,
  RESET_BYTE,
  rssiFromByte,
  snrFromByte,
  type ChannelStats,
  type RadioConfig,
} from '../../../core/lora/rnode';

export interface RNodeSessionEvents {
  write(bytes: Uint8Array): void;
  online(info: { firmware: string; platform: number }): void;
  packet(payload: Uint8Array, rssiDbm: number, snrDb: number): void;
  stats(stats: ChannelStats): void;
  /** Something a person should know (the session carries on). */
  warn(code: string, message: string): void;
  /** The session cannot continue; the port should be closed and retried later. */
  failed(code: string, message: string, retryAfterMs: number): void;
  /** The device rebooted while online (C0 55 F8 C0): configure again. */
  rebooted(): void;
}

export interface RNodeSessionOptions {
  readonly config: RadioConfig;
  readonly scheduler: Scheduler;
  readonly detectTimeoutMs: number;
  readonly replyTimeoutMs: number;
}

type Phase = 'detecting' | 'configuring' | 'starting' | 'online' | 'done';

export class RNodeSession {
  phase: Phase = 'detecting';
  private readonly decoder = new KissDecoder(1024);
  private readonly echoes = new Map<number, Uint8Array>();
  private firmware: { major: number; minor: number } | null = null;
  private platform = 0;
  private pendingRssi: number | null = null;
  private pendingSnr: number | null = null;
  private timer: TimerHandle | null = null;
  private silenceTimer: TimerHandle | null = null;

  constructor(
    private readonly opts: RNodeSessionOptions,
    private readonly ev: RNodeSessionEvents,
  ) {}

  /** Starts the handshake: detect, firmware version, platform, MCU. */
  begin(): void {
    this.phase = 'detecting';
    this.echoes.clear();
    this.ev.write(detectSequence());
    this.deadline(this.opts.detectTimeoutMs, () =>
      this.fail('not_an_rnode', 'the device did not answer the RNode detect command: is it the radio, and does it run RNode firmware?', 5000),
    );
  }

  stop(): void {
    this.timer?.cancel();
    this.silenceTimer?.cancel();
    this.phase = 'done';
  }

  /** Bytes from the device. A partial frame is dropped after 100 ms of silence. */
  feed(data: Uint8Array): void {
    this.silenceTimer?.cancel();
    for (const e of this.decoder.push(data)) {
      if ('error' in e) this.ev.warn('serial_framing', `dropped a garbled frame from the radio (${e.error.code})`);
      else this.onFrame(e.frame.cmd, e.frame.payload);
    }
    if (this.decoder.partial) this.silenceTimer = this.opts.scheduler.after(100, () => this.decoder.reset());
  }

  /** Queues one packet for transmission (the caller paces by airtime). */
  send(payload: Uint8Array): void {
    this.ev.write(kissEncode(CMD.DATA, payload));
  }

  private deadline(ms: number, onTimeout: () => void): void {
    this.timer?.cancel();
    this.timer = this.opts.scheduler.after(ms, onTimeout);
  }

  private fail(code: string, message: string, retryAfterMs: number): void {
    this.stop();
    this.ev.failed(code, message, retryAfterMs);
  }

  private onFrame(cmd: number, p: Uint8Array): void {
    switch (cmd) {
      case CMD.DETECT:
        if (p[0] === DETECT_RESPONSE && this.phase === 'detecting') this.deadline(this.opts.replyTimeoutMs, () => this.afterDetect());
        return;
      case CMD.FW_VERSION:
        if (p.length >= 2) this.firmware = { major: p[0]!, minor: p[1]! };
        return;
      case CMD.PLATFORM:
        this.platform = p[0] ?? 0;
        return;
      case CMD.MCU:
        if (this.phase === 'detecting') this.afterDetect();
        return;
      case CMD.RESET:
        if (p[0] === RESET_BYTE && this.phase === 'online') {
          this.ev.warn('device_reset', 'the radio rebooted; configuring it again');
          this.stop();
          this.ev.rebooted();
        }
        return;
      case CMD.STAT_RSSI:
        this.pendingRssi = rssiFromByte(p[0] ?? 0);
        return;
      case CMD.STAT_SNR:
        this.pendingSnr = snrFromByte(p[0] ?? 0);
        return;
      case CMD.DATA:
        if (this.phase === 'online' && p.length > 0) this.ev.packet(p, this.pendingRssi ?? -120, this.pendingSnr ?? 0);
        this.pendingRssi = this.pendingSnr = null;
        return;
      case CMD.STAT_CHTM: {
        const s = parseChannelStats(p);
        if (s) this.ev.stats(s);
        return;
      }
      case CMD.ERROR: {
        const e = ERROR_CODES[p[0] ?? 0];
        this.ev.warn(e?.code ?? 'radio_error', e?.message ?? `the radio reported error 0x${(p[0] ?? 0).toString(16)}`);
        return;
      }
      default:
        if (cmd <= CMD.CR || cmd === CMD.RADIO_STATE) this.onEcho(cmd, p);
    }
  }

  private afterDetect(): void {
    if (this.phase !== 'detecting') return;
    if (!this.firmware) {
      this.fail('not_an_rnode', 'the device answered detect but not the firmware-version query; update its RNode firmware', 10_000);
      return;
    }
    const version = `${this.firmware.major}.${String(this.firmware.minor).padStart(2, '0')}`;
    if (!firmwareAtLeast(this.firmware.major, this.firmware.minor)) {
      this.fail('firmware_too_old', `RNode firmware ${version} is older than 1.52: update it (rnodeconf --autoinstall) and plug it in again`, 60_000);
      return;
    }
    this.phase = 'configuring';
    for (const c of configCommands(this.opts.config)) this.ev.write(c);
    this.deadline(this.opts.replyTimeoutMs * 4, () => this.fail('radio_no_echo', 'the radio did not confirm its settings in time', 5000));
  }

  private onEcho(cmd: number, p: Uint8Array): void {
    this.echoes.set(cmd, p);
    if (this.phase === 'configuring' && [CMD.FREQUENCY, CMD.BANDWIDTH, CMD.TXPOWER, CMD.SF, CMD.CR].every((c) => this.echoes.has(c))) {
      if (!this.validateEchoes()) return;
      this.phase = 'starting';
      this.ev.write(kissEncode(CMD.RADIO_STATE, new Uint8Array([RADIO_ON])));
      this.deadline(this.opts.replyTimeoutMs * 2, () => this.fail('radio_no_echo', 'the radio did not confirm it turned on', 5000));
    } else if (this.phase === 'starting' && cmd === CMD.RADIO_STATE) {
      if (p[0] !== RADIO_ON) {
        this.fail('radio_refused_on', 'the radio refused to turn on (its settings may be invalid for this board)', 30_000);
        return;
      }
      this.timer?.cancel();
      this.phase = 'online';
      const v = this.firmware!;
      this.ev.online({ firmware: `${v.major}.${String(v.minor).padStart(2, '0')}`, platform: this.platform });
    }
  }

  /** Checks what the firmware applied against what was asked; refusals stop, clamps warn. */
  private validateEchoes(): boolean {
    const c = this.opts.config;
    const freq = readU32be(this.echoes.get(CMD.FREQUENCY)!);
    const bw = readU32be(this.echoes.get(CMD.BANDWIDTH)!);
    const power = this.echoes.get(CMD.TXPOWER)![0];
    const sf = this.echoes.get(CMD.SF)![0];
    const cr = this.echoes.get(CMD.CR)![0];
    const refused = (what: string, asked: string, got: string) => {
      this.fail('radio_refused_setting', `the radio did not accept ${what} ${asked} (it applied ${got}); choose a value this board supports`, 60_000);
      return false;
    };
    if (freq === null || Math.abs(freq - c.frequencyHz) > 100) return refused('frequency', `${c.frequencyHz} Hz`, `${freq} Hz`);
    if (bw !== c.bandwidthHz) return refused('bandwidth', `${c.bandwidthHz} Hz`, `${bw} Hz`);
    if (sf !== c.sf) return refused('spreading factor', `SF${c.sf}`, `SF${sf}`);
    if (cr !== c.cr) return refused('coding rate', `4/${c.cr}`, `4/${cr}`);
    if (power !== c.txPowerDbm && power !== ASK) {
      this.ev.warn('txpower_clamped', `the radio limits TX power to ${power} dBm (asked for ${c.txPowerDbm} dBm); transmitting at ${power} dBm`);
    }
    return true;
  }
}
