// A truck kit's serial GPS: reads NMEA lines from PATH and appends that truck's fixes to this
// node's own feed. Every trouble is a problem in words (no device, no fix, garbled lines, a pulled
// cable, a silent receiver), never fatal: the port is reopened with a backoff when it goes away.
import { existsSync } from 'node:fs';
import { ReadlineParser, SerialPort } from 'serialport';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { KINDS } from '../../core/events/kinds';
import { degreesToE6 } from '../../core/geo/geo';
import type { LocalDraft } from '../../core/store/feed-log';
import type { ProblemLog } from '../problems/problem-log';
import { serialOpenError } from '../transports/lora/serial-errors';
import { NmeaFixes, type GpsFix } from './nmea-fixes';

export interface SerialGpsOptions {
  readonly path: string;
  readonly truck: string;
  readonly baudRate?: number;
  readonly intervalS?: number;
  readonly minMoveM?: number | null;
  readonly scheduler: Scheduler;
  readonly problems: ProblemLog;
  /** Appends this node's own events (writing/node-writer.ts). */
  readonly append: (drafts: LocalDraft[]) => void;
}

const SILENT_MS = 10_000;

export class SerialGps {
  private port: SerialPort | null = null;
  private retry: TimerHandle | null = null;
  private silence: TimerHandle | null = null;
  private backoffMs = 1000;
  private stopped = false;
  private reading = false;
  private readonly fixes: NmeaFixes;
  readonly counts = { lines: 0, fixes: 0, bad: 0 };

  constructor(private readonly opts: SerialGpsOptions) {
    this.fixes = new NmeaFixes({ intervalS: opts.intervalS ?? 10, minMoveM: opts.minMoveM ?? null });
  }

  start(): void {
    this.connect();
  }

  /** Whether the port is open and being read (lines sent before that are the device's to keep). */
  get open(): boolean {
    return this.reading;
  }

  stop(): void {
    this.stopped = true;
    this.retry?.cancel();
    this.silence?.cancel();
    this.closePort();
  }

  private problem(code: string, message: string): void {
    this.opts.problems.warn(code, `${this.opts.path} (GPS of ${this.opts.truck}): ${message}`);
  }

  private clear(...codes: string[]): void {
    for (const c of codes) this.opts.problems.clear(c);
  }

  private connect(): void {
    if (this.stopped) return;
    const { path } = this.opts;
    if (!existsSync(path)) {
      this.problem('gps_missing', 'no device here: plug the GPS in (Mandala keeps looking), or list candidates with `mandala ports`');
      return this.scheduleRetry();
    }
    const port = new SerialPort({ path, baudRate: this.opts.baudRate ?? 9600, autoOpen: false });
    this.port = port;
    port.open((err) => {
      if (this.port !== port) return;
      if (err) {
        const e = serialOpenError(path, err);
        this.problem('gps_open_failed', e.message);
        this.closePort();
        return this.scheduleRetry();
      }
      this.backoffMs = 1000;
      this.clear('gps_missing', 'gps_open_failed', 'gps_lost');
      const lines = port.pipe(new ReadlineParser({ delimiter: '\n' }));
      lines.on('data', (line: string) => this.onLine(line));
      const gone = () => this.lost();
      port.on('close', gone);
      port.on('end', gone);
      port.on('error', gone);
      this.reading = true;
      this.armSilence();
    });
  }

  private onLine(line: string): void {
    this.counts.lines++;
    this.armSilence();
    const out = this.fixes.line(line);
    if (out.kind === 'bad_line') {
      this.counts.bad++;
      return this.problem(out.code, `${out.message} (${this.counts.bad} bad lines so far)`);
    }
    if (out.kind === 'no_fix') return this.problem('gps_no_fix', out.message);
    if (out.kind !== 'fix') return;
    // Fixes flow again: earlier bad lines are history (a new one is reported afresh).
    this.clear('gps_no_fix', 'gps_silent', 'gps_garbled', 'gps_checksum');
    this.record(out.fix);
  }

  private record(fix: GpsFix): void {
    const payload: Record<string, string | number> = {
      truck: this.opts.truck,
      fix_ms: fix.fixMs,
      lat_e6: degreesToE6(fix.lat),
      lon_e6: degreesToE6(fix.lon),
      speed_kmh: Math.min(2000, Math.round(fix.speedKmh)),
      heading_deg: Math.round(fix.headingDeg) % 360,
      source: 'gps',
    };
    if (fix.accuracyM !== null) payload['accuracy_m'] = Math.round(fix.accuracyM);
    this.counts.fixes++;
    this.opts.append([{ kind: KINDS.truckPosition, payload }]);
  }

  private armSilence(): void {
    this.silence?.cancel();
    this.silence = this.opts.scheduler.after(SILENT_MS, () => this.problem('gps_silent', `nothing received for ${SILENT_MS / 1000} s: check the cable and the baud rate`));
  }

  private lost(): void {
    if (this.stopped) return;
    this.silence?.cancel();
    this.problem('gps_lost', 'the GPS disconnected (unplugged?); waiting for it to come back');
    this.closePort();
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.retry?.cancel();
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 15_000);
    this.retry = this.opts.scheduler.after(wait, () => this.connect());
  }

  private closePort(): void {
    const port = this.port;
    this.port = null;
    this.reading = false;
    if (!port) return;
    port.removeAllListeners();
    port.on('error', () => {});
    if (port.isOpen) port.close(() => {});
  }
}
