// A RadioPort on an RNode over USB serial. It owns the port's life: open (and wait out the ESP32
// reset that opening causes), hand the line to an RNodeSession, and when anything goes wrong
// (unplugged, reset, busy port, no permission, a radio that stops answering) report it in words a
// person can act on, go offline, and try again with backoff. It never throws at its caller.
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { Scheduler, TimerHandle } from '../../../core/clock/scheduler';
import type { LoraParams } from '../../../core/lora/airtime';
import { kissEncode } from '../../../core/lora/kiss';
import type { RadioPort, RadioPortEvents } from '../../../core/lora/radio-port';
import { CMD, LORA_FRAME_PAYLOAD, RADIO_OFF, type RadioConfig } from '../../../core/lora/rnode';
import { Emitter } from '../../../core/util/emitter';
import { RNodeSession } from './rnode-session';
import { serialOpenError } from './serial-errors';

export interface RNodeRadioOptions {
  readonly path: string;
  readonly config: RadioConfig;
  readonly scheduler: Scheduler;
  /** Wait after opening: many ESP32 boards reboot when the port opens. */
  readonly bootWaitMs?: number;
  readonly detectTimeoutMs?: number;
  readonly replyTimeoutMs?: number;
  /** An online radio sends channel stats every second; silence this long means it hung. */
  readonly silenceTimeoutMs?: number;
  readonly maxBackoffMs?: number;
}

/** How long stopping waits for the goodbye to reach the device. */
const DETACH_WAIT_MS = 500;

export class RNodeRadioPort implements RadioPort {
  readonly events = new Emitter<RadioPortEvents>();
  readonly packetBytes = LORA_FRAME_PAYLOAD;
  readonly params: LoraParams;
  online = false;
  firmware: string | null = null;
  private port: SerialPort | null = null;
  private session: RNodeSession | null = null;
  private stopped = true;
  private backoffMs = 1000;
  private retry: TimerHandle | null = null;
  private watchdog: TimerHandle | null = null;
  private lastProblem = '';

  constructor(private readonly opts: RNodeRadioOptions) {
    this.params = { sf: opts.config.sf, bwHz: opts.config.bandwidthHz, cr: opts.config.cr };
  }

  get label(): string {
    return this.opts.path;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retry?.cancel();
    this.watchdog?.cancel();
    this.session?.stop();
    const port = this.port;
    if (port?.isOpen) {
      await new Promise<void>((resolve) => {
        // Detach politely: radio off, then leave (as Reticulum does). A device pulled out just
        // before may never call back, so the goodbye gets a moment, not a hang.
        const timer = this.opts.scheduler.after(DETACH_WAIT_MS, resolve);
        port.write(Buffer.concat([kissEncode(CMD.RADIO_STATE, new Uint8Array([RADIO_OFF])), kissEncode(CMD.LEAVE, new Uint8Array([0xff]))]), (e) => {
          if (e) return resolve();
          port.drain(() => {
            timer.cancel();
            resolve();
          });
        });
      });
    }
    this.closePort();
    this.goOffline('stopped');
  }

  send(payload: Uint8Array): boolean {
    if (!this.online || !this.session || payload.length > this.packetBytes) return false;
    this.session.send(payload);
    return true;
  }

  private problem(code: string, message: string): void {
    // The same problem repeating on every retry is said once, until something changes.
    const key = `${code}:${message}`;
    if (key === this.lastProblem) return;
    this.lastProblem = key;
    this.events.emit('problem', code, message);
  }

  private goOffline(reason: string): void {
    if (!this.online) return;
    this.online = false;
    this.events.emit('offline', reason);
  }

  private scheduleRetry(afterMs?: number): void {
    if (this.stopped) return;
    this.retry?.cancel();
    const wait = afterMs ?? this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.maxBackoffMs ?? 30_000);
    this.retry = this.opts.scheduler.after(wait, () => this.connect());
  }

  private closePort(): void {
    const port = this.port;
    this.port = null;
    if (port) {
      port.removeAllListeners();
      port.on('error', () => {});
      if (port.isOpen) port.close(() => {});
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const path = this.opts.path;
    if (!existsSync(path)) {
      this.problem('serial_missing', `no device at ${path}: plug the radio in (Mandala keeps looking), or list candidates with \`mandala ports\``);
      this.scheduleRetry();
      return;
    }
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    this.port = port;
    port.open((err) => {
      if (this.port !== port) {
        // Stopped (or reconnected) while the open was under way: let this port go at once.
        if (!err) port.close(() => {});
        return;
      }
      if (err) {
        const e = serialOpenError(path, err);
        this.problem(e.code, e.message);
        this.closePort();
        this.scheduleRetry();
        return;
      }
      port.on('data', (d: Buffer) => this.onData(d));
      const gone = () => this.lost(`the radio on ${path} disconnected (unplugged?); waiting for it to come back`);
      port.on('close', gone);
      port.on('end', gone); // a read of 0 bytes (end of file) ends the stream without closing it
      port.on('error', (e: Error) => this.lost(`the serial port ${path} failed (${e.message}); reconnecting`));
      this.startSession(this.opts.bootWaitMs ?? 2000);
    });
  }

  private startSession(afterMs: number): void {
    const port = this.port!;
    this.session?.stop();
    const session = new RNodeSession(
      { config: this.opts.config, scheduler: this.opts.scheduler, detectTimeoutMs: this.opts.detectTimeoutMs ?? 1000, replyTimeoutMs: this.opts.replyTimeoutMs ?? 1000 },
      {
        write: (bytes) => {
          if (this.port === port && port.isOpen) port.write(Buffer.from(bytes), (e) => e && this.lost(`writing to ${this.opts.path} failed (${e.message}); reconnecting`));
        },
        online: ({ firmware }) => {
          this.firmware = firmware;
          this.online = true;
          this.backoffMs = 1000;
          this.lastProblem = '';
          this.armWatchdog();
          this.events.emit('online');
        },
        packet: (p, rssi, snr) => this.events.emit('packet', p, rssi, snr),
        stats: (s) => this.events.emit('stats', s),
        warn: (code, message) => this.events.emit('problem', code, message),
        failed: (code, message, retryAfterMs) => {
          this.problem(code, `${this.opts.path}: ${message}`);
          this.goOffline(code);
          this.closePort();
          this.scheduleRetry(retryAfterMs);
        },
        rebooted: () => {
          this.goOffline('device_reset');
          this.startSession(this.opts.bootWaitMs ?? 2000);
        },
      },
    );
    this.session = session;
    this.retry?.cancel();
    this.retry = this.opts.scheduler.after(afterMs, () => this.session === session && session.begin());
  }

  private onData(d: Buffer): void {
    this.armWatchdog();
    this.session?.feed(new Uint8Array(d));
  }

  private armWatchdog(): void {
    this.watchdog?.cancel();
    if (!this.online) return;
    this.watchdog = this.opts.scheduler.after(this.opts.silenceTimeoutMs ?? 10_000, () =>
      this.lost(`the radio on ${this.opts.path} stopped answering; resetting the connection`),
    );
  }

  private lost(message: string): void {
    if (this.stopped) return;
    this.problem('radio_lost', message);
    this.session?.stop();
    this.watchdog?.cancel();
    this.goOffline('radio_lost');
    this.closePort();
    this.scheduleRetry();
  }
}
