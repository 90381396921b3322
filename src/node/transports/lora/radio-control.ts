// The radio attached to a running node, chosen from the console's port picker (or given at start
// with `serve --lora`): attach one on a serial port with its settings, swap it for another, detach
// it. The transport joins the replicator while the node runs; its neighbours' links close when it
// goes. The port list is read on every ask, so a radio plugged in shows up at once.
import type { Scheduler } from '../../../core/clock/scheduler';
import { validateConfig, type RadioConfig } from '../../../core/lora/rnode';
import type { Transport } from '../../../core/sync/transport';
import type { AttachedRadioDto, RadioSetupDto, RadioStatusDto, SerialPortDto } from '../../../shared/api-radio';
import { MandalaError } from '../../errors';
import { LoraTransport } from './lora-transport';
import { RNodeRadioPort } from './rnode-radio-port';

/** What `serve --lora` takes (runtime.ts), and what the console's picker attaches. */
export interface LoraOptions {
  readonly path: string;
  readonly config: RadioConfig;
  readonly dutyCyclePct: number;
  /** This node's new positions wait this long, so one signed run carries them all (0: at once). */
  readonly freshnessMs?: number;
  /** For simulators and tests: shorter waits than real ESP32 boards need. */
  readonly bootWaitMs?: number;
  readonly beaconEveryMs?: number;
}

/** The part of the replicator a radio joins and leaves. */
export interface TransportHost {
  addTransport(t: Transport, opts: { readonly freshnessMs?: number }): Promise<void>;
  removeTransport(t: Transport): Promise<void>;
}

export interface RadioControlOptions {
  readonly host: TransportHost;
  readonly scheduler: Scheduler;
  /** This node's author key (hex). */
  readonly self: string;
  readonly listPorts: () => Promise<readonly SerialPortDto[]>;
  /** The attached radio changed (attached, detached, online, offline, a problem). */
  readonly changed?: () => void;
}

export const DEFAULT_RADIO: Omit<RadioSetupDto, 'path'> = { frequencyHz: 868_100_000, bandwidthHz: 125_000, sf: 9, cr: 5, txPowerDbm: 14, dutyCyclePct: 1, freshnessS: 30 };

interface Attached {
  readonly options: LoraOptions;
  readonly port: RNodeRadioPort;
  readonly transport: LoraTransport;
  readonly atMs: number;
  problem: string | null;
}

/** Checks a setup from the console; the error says what is allowed. */
export function radioOptions(setup: Partial<RadioSetupDto> & { readonly path?: unknown }): LoraOptions {
  const s = { ...DEFAULT_RADIO, ...setup };
  if (typeof s.path !== 'string' || s.path.trim() === '') throw new MandalaError('bad_radio_setting', 'choose the serial port the radio is on');
  const config: RadioConfig = { frequencyHz: s.frequencyHz, bandwidthHz: s.bandwidthHz, sf: s.sf, cr: s.cr, txPowerDbm: s.txPowerDbm };
  for (const [name, v] of Object.entries(config)) if (typeof v !== 'number') throw new MandalaError('bad_radio_setting', `${name} must be a number`);
  const problem = validateConfig(config);
  if (problem) throw new MandalaError('bad_radio_setting', problem);
  if (typeof s.dutyCyclePct !== 'number' || !(s.dutyCyclePct > 0 && s.dutyCyclePct <= 100)) throw new MandalaError('bad_radio_setting', `duty cycle ${String(s.dutyCyclePct)} must be a percentage above 0 and at most 100`);
  if (typeof s.freshnessS !== 'number' || !(s.freshnessS >= 0 && s.freshnessS <= 3600)) throw new MandalaError('bad_radio_setting', `freshness ${String(s.freshnessS)} must be a number of seconds from 0 (send each position at once) to 3600`);
  return { path: s.path.trim(), config, dutyCyclePct: s.dutyCyclePct, freshnessMs: Math.round(s.freshnessS * 1000) };
}

export class RadioControl {
  private current: Attached | null = null;
  /** Attach and detach run one at a time, in the order asked. */
  private queue: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(private readonly opts: RadioControlOptions) {}

  /** The attached radio's transport (null when none). */
  get transport(): LoraTransport | null {
    return this.current?.transport ?? null;
  }

  /** The attached radio's setup (what the desktop app remembers), or null. */
  setup(): RadioSetupDto | null {
    const a = this.describe();
    if (!a) return null;
    return { path: a.path, frequencyHz: a.frequencyHz, bandwidthHz: a.bandwidthHz, sf: a.sf, cr: a.cr, txPowerDbm: a.txPowerDbm, dutyCyclePct: a.dutyCyclePct, freshnessS: a.freshnessS };
  }

  async status(): Promise<RadioStatusDto> {
    return { ports: await this.opts.listPorts(), attached: this.describe(), defaults: DEFAULT_RADIO };
  }

  /** Attaches a radio (detaching the one attached before). */
  attach(options: LoraOptions): Promise<RadioStatusDto> {
    return this.serially(async () => {
      if (this.stopping) throw new MandalaError('node_stopping', 'the node is stopping; attach the radio after it started again');
      await this.stopCurrent();
      const port = new RNodeRadioPort({ path: options.path, config: options.config, scheduler: this.opts.scheduler, bootWaitMs: options.bootWaitMs });
      const transport = new LoraTransport({ radio: port, scheduler: this.opts.scheduler, self: this.opts.self, dutyCyclePct: options.dutyCyclePct, beaconEveryMs: options.beaconEveryMs });
      const attached: Attached = { options, port, transport, atMs: this.opts.scheduler.nowMs(), problem: null };
      const changed = () => !this.stopping && this.opts.changed?.();
      port.events.on('problem', (_code, message) => {
        attached.problem = message;
        changed();
      });
      port.events.on('online', () => {
        attached.problem = null;
        changed();
      });
      port.events.on('offline', changed);
      await this.opts.host.addTransport(transport, { freshnessMs: options.freshnessMs });
      this.current = attached;
      this.opts.changed?.();
    });
  }

  detach(): Promise<RadioStatusDto> {
    return this.serially(() => this.stopCurrent());
  }

  /** The node is stopping: the radio lets its port go, and no change is reported (it stays the choice). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.detach();
  }

  private async stopCurrent(): Promise<void> {
    const was = this.current;
    if (!was) return;
    this.current = null;
    await this.opts.host.removeTransport(was.transport);
    if (!this.stopping) this.opts.changed?.();
  }

  private serially(step: () => Promise<void>): Promise<RadioStatusDto> {
    const run = this.queue.then(step).then(() => this.status());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private describe(): AttachedRadioDto | null {
    const a = this.current;
    if (!a) return null;
    const c = a.options.config;
    return {
      path: a.options.path,
      frequencyHz: c.frequencyHz,
      bandwidthHz: c.bandwidthHz,
      sf: c.sf,
      cr: c.cr,
      txPowerDbm: c.txPowerDbm,
      dutyCyclePct: a.options.dutyCyclePct,
      freshnessS: (a.options.freshnessMs ?? DEFAULT_RADIO.freshnessS * 1000) / 1000,
      online: a.port.online,
      firmware: a.port.firmware ?? null,
      problem: a.problem,
      attachedAtMs: a.atMs,
    };
  }
}
