// The radio simulator: N emulated RNode radios on one simulated RF channel, each behind its own
// pseudo-terminal at DIR/radioN, so the app's serial driver talks to them exactly as to USB
// radios. This module composes the parts (RfChannel, FirmwareEmulator, PtyPort, the reach file,
// stats) and owns the simulator's own state: who hears whom, injected faults and the run's
// clock. It never speaks KISS itself and never starts a process directly.
//
// Reach is layered: a base (all-to-all at -90 dBm / 8 dB, or DIR/reach.json, or setReach(); the
// latest of those wins) minus the links cut by partition() until heal(). The format is described
// in reach-spec.ts. As on air, a radio hears another only if the reach allows it and both hosts
// tuned them alike; the simulator's sf/bw/cr/frequency are what its stats assume, not what the
// radios use: every host must still configure its radio.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MonotonicClock } from '../../core/clock/clock';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { validateConfig } from '../../core/lora/rnode';
import { RealScheduler } from '../../node/clock/real-scheduler';
import { SystemClock } from '../../node/clock/system-clock';
import { MandalaError } from '../../node/errors';
import { ExitGuard } from './exit-guard';
import { FirmwareEmulator } from './firmware';
import { PtyPort } from './pty-port';
import { dutyCyclePct, MeteredChannel, statsLine, writeStatsFile, type RadioStats, type SimulatorStats } from './radio-stats';
import { ReachFileWatcher } from './reach-file';
import { allToAll, describeReach, reachMatrix, type ReachMatrix, type ReachSpec } from './reach-spec';
import { socatCommand } from './socat';

export interface RadioSimulatorOptions {
  readonly nodes: number;
  /** Where radio0..radioN-1, reach.json and stats.json live. Created if missing. */
  readonly dir: string;
  readonly sf?: number;
  readonly bwHz?: number;
  readonly cr?: number;
  readonly frequencyHz?: number;
  /** Probability that a reception is lost at random, 0..1. */
  readonly loss?: number;
  readonly seed?: number;
  /** Real time by default; the ptys are real, so a virtual scheduler only suits in-process use. */
  readonly scheduler?: Scheduler;
  /** Opening a port reboots its device and it announces `C0 55 F8 C0` (ESP32 reset on DTR). */
  readonly bootBanner?: boolean;
  /** How long a (re)boot takes before the firmware listens and announces itself. */
  readonly bootDelayMs?: number;
  /** How often to log one line per radio through onLog (0 = never). stats.json is written every second. */
  readonly statsEveryMs?: number;
  /** Stats lines, port events and problems, for a person. */
  readonly onLog?: (line: string) => void;
  readonly reachPollMs?: number;
}

const STATS_FILE_EVERY_MS = 1000;

interface Radio {
  readonly index: number;
  readonly firmware: FirmwareEmulator;
  readonly port: PtyPort;
}

export class RadioSimulator {
  readonly nodes: number;
  readonly dir: string;
  private readonly scheduler: Scheduler;
  private readonly nominal: SimulatorStats['nominal'];
  private readonly channel: MeteredChannel;
  private readonly radios: Radio[] = [];
  private readonly guard: ExitGuard;
  private readonly watcher: ReachFileWatcher;
  private readonly log: (line: string) => void;
  private base: ReachMatrix;
  private readonly cuts = new Set<string>();
  private startedAtMs = 0;
  private lastLogMs = 0;
  private statsTimer: TimerHandle | null = null;
  private state: 'new' | 'running' | 'stopped' = 'new';

  constructor(private readonly opts: RadioSimulatorOptions) {
    this.nodes = opts.nodes;
    this.dir = opts.dir;
    this.nominal = { frequencyHz: opts.frequencyHz ?? 868_100_000, bwHz: opts.bwHz ?? 125_000, sf: opts.sf ?? 9, cr: opts.cr ?? 5 };
    validateOptions(opts, this.nominal);
    this.scheduler = opts.scheduler ?? new RealScheduler(new MonotonicClock(new SystemClock()));
    this.log = opts.onLog ?? (() => {});
    const seed = opts.seed ?? 1;
    this.channel = new MeteredChannel(this.scheduler, { loss: opts.loss ?? 0, seed });
    const command = socatCommand();
    for (let index = 0; index < opts.nodes; index++) {
      const port: PtyPort = new PtyPort(join(opts.dir, `radio${index}`), command, this.scheduler, {
        onOpen: () => {
          this.log(`radio${index}: port opened${opts.bootBanner === false ? '' : ' (device reboots)'}`);
          if (opts.bootBanner !== false) firmware.boot();
        },
        onData: (bytes) => firmware.feed(bytes),
        onClose: () => this.log(`radio${index}: port closed`),
        onProblem: (m) => this.log(`radio${index}: ${m}`),
      });
      const firmware: FirmwareEmulator = new FirmwareEmulator({
        id: index,
        channel: this.channel,
        scheduler: this.scheduler,
        seed: (seed * 1_000_003 + index) >>> 0,
        write: (bytes) => port.write(bytes),
        bootDelayMs: opts.bootDelayMs,
      });
      this.radios.push({ index, firmware, port });
    }
    this.guard = new ExitGuard(this.radios.map((r) => r.port));
    this.base = allToAll(opts.nodes);
    this.applyReach();
    this.watcher = new ReachFileWatcher(join(opts.dir, 'reach.json'), opts.nodes, this.scheduler, {
      onReach: (m) => {
        this.base = m ?? allToAll(this.nodes);
        this.applyReach();
        this.log(`reach ${m ? 'from reach.json' : 'back to all-to-all (reach.json removed)'}: ${describeReach(this.effectiveReach())}`);
      },
      onProblem: (m) => this.log(m),
    }, opts.reachPollMs);
  }

  /** radioN's path (a symlink to its current pty). */
  path(index: number): string {
    return this.radio(index).port.linkPath;
  }

  get paths(): string[] {
    return this.radios.map((r) => r.port.linkPath);
  }

  /** Creates every pty and starts watching reach.json; resolves when every path can be opened. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new MandalaError('radio_sim_restarted', 'this radio simulator was already started; create a new one');
    this.state = 'running';
    mkdirSync(this.dir, { recursive: true });
    this.guard.install();
    try {
      await Promise.all(this.radios.map((r) => r.port.start()));
      await this.watcher.start();
    } catch (e) {
      await this.stop();
      throw e;
    }
    this.startedAtMs = this.lastLogMs = this.scheduler.nowMs();
    this.scheduleStats();
  }

  /** Kills every socat, removes the links, writes stats.json a last time. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const wasRunning = this.state === 'running' && this.startedAtMs !== 0;
    this.state = 'stopped';
    this.statsTimer?.cancel();
    this.watcher.stop();
    for (const r of this.radios) r.firmware.stop();
    await Promise.all(this.radios.map((r) => r.port.stop()));
    this.guard.uninstall();
    if (wasRunning) await writeStatsFile(join(this.dir, 'stats.json'), this.stats()).catch(() => {});
  }

  // --- reach -------------------------------------------------------------------------------------

  /** Replaces the base reach (same format as reach.json). Partitions stay until heal(). */
  setReach(spec: ReachSpec): void {
    this.base = reachMatrix(spec, this.nodes);
    this.applyReach();
  }

  /** Cuts every link between `side` and `other` (default: every radio not in `side`), both ways. */
  partition(side: readonly number[], other?: readonly number[]): void {
    const a = side.map((i) => this.radio(i).index);
    const b = other ? other.map((i) => this.radio(i).index) : this.radios.map((r) => r.index).filter((i) => !a.includes(i));
    for (const x of a) {
      for (const y of b) {
        this.cuts.add(`${x}>${y}`);
        this.cuts.add(`${y}>${x}`);
      }
    }
    this.applyReach();
  }

  /** Undoes every partition(); the base reach applies again. */
  heal(): void {
    this.cuts.clear();
    this.applyReach();
  }

  /** Does `to` hear `from` right now (reach only; tuning is the hosts' business)? */
  canHear(from: number, to: number): boolean {
    return this.channel.reachOf(from, to) !== null;
  }

  // --- faults -------------------------------------------------------------------------------------

  /** The device hangs: no replies, no received packets, no channel reports. */
  freeze(index: number): void {
    this.radio(index).firmware.freeze();
  }

  thaw(index: number): void {
    this.radio(index).firmware.thaw();
  }

  /** Reboots the device now (e.g. mid-transfer): it announces the reset and forgets config and queue. */
  resetDevice(index: number): void {
    this.radio(index).firmware.boot();
  }

  /** Writes raw bytes to the host as if the device (or a flaky cable) sent them: serial noise. */
  injectSerialNoise(index: number, bytes: Uint8Array): void {
    this.radio(index).port.write(bytes);
  }

  /** Pulls the cable: the path disappears, an open port fails, the device loses power. */
  async unplug(index: number): Promise<void> {
    const r = this.radio(index);
    await r.port.unplug();
    r.firmware.powerOff();
  }

  /** Plugs it back: the path reappears; the device boots when the app opens it. */
  async replug(index: number): Promise<void> {
    await this.radio(index).port.replug();
  }

  // --- stats --------------------------------------------------------------------------------------

  stats(): SimulatorStats {
    const now = this.scheduler.nowMs();
    const elapsedMs = this.startedAtMs ? now - this.startedAtMs : 0;
    const radios = this.radios.map((r): RadioStats => {
      const fw = r.firmware.snapshot();
      const c = this.channel.counters.get(r.index)!;
      return {
        index: r.index,
        path: r.port.linkPath,
        port: r.port.state,
        frozen: fw.frozen,
        on: fw.on,
        tuning: fw.tuning,
        txPowerDbm: fw.txPowerDbm,
        sent: this.channel.sent(r.index),
        received: c.delivered,
        collided: c.collided,
        lost: c.lost,
        dropped: r.firmware.counters.dropped,
        queued: fw.queued,
        txAirtimeMs: c.txAirtimeMs,
        dutyCyclePct: dutyCyclePct(c.txAirtimeMs, elapsedMs),
        airtimeLastMinutePct: r.firmware.radio.stats().airtimeShortPct,
      };
    });
    return { atMs: now, elapsedMs, nominal: this.nominal, reach: describeReach(this.effectiveReach()), radios };
  }

  private scheduleStats(): void {
    this.statsTimer = this.scheduler.after(STATS_FILE_EVERY_MS, () => {
      if (this.state !== 'running') return;
      const stats = this.stats();
      const every = this.opts.statsEveryMs ?? 10_000;
      if (every > 0 && stats.atMs - this.lastLogMs >= every - STATS_FILE_EVERY_MS / 2) {
        this.lastLogMs = stats.atMs;
        for (const r of stats.radios) this.log(statsLine(r));
      }
      void writeStatsFile(join(this.dir, 'stats.json'), stats).catch((e: Error) => this.log(`cannot write stats.json: ${e.message}`));
      this.scheduleStats();
    });
  }

  private radio(index: number): Radio {
    const r = this.radios[index];
    if (!r) throw new MandalaError('radio_sim_no_such_radio', `there is no radio ${index}; this simulator has radios 0..${this.nodes - 1}`);
    return r;
  }

  private effectiveReach(): ReachMatrix {
    return this.base.map((row, from) => row.map((e, to) => (this.cuts.has(`${from}>${to}`) ? null : e)));
  }

  private applyReach(): void {
    this.channel.setMatrix(this.effectiveReach());
  }
}

function validateOptions(opts: RadioSimulatorOptions, nominal: SimulatorStats['nominal']): void {
  const fail = (m: string) => {
    throw new MandalaError('radio_sim_bad_option', m);
  };
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1 || opts.nodes > 64) fail(`--nodes ${opts.nodes} must be a whole number from 1 to 64`);
  const problem = validateConfig({ frequencyHz: nominal.frequencyHz, bandwidthHz: nominal.bwHz, sf: nominal.sf, cr: nominal.cr, txPowerDbm: 17 });
  if (problem) fail(problem);
  const loss = opts.loss ?? 0;
  if (!(loss >= 0 && loss < 1)) fail(`--loss ${loss} must be a probability from 0 up to (not including) 1`);
  if (opts.seed !== undefined && !Number.isInteger(opts.seed)) fail(`--seed ${opts.seed} must be a whole number`);
  if (opts.statsEveryMs !== undefined && !(opts.statsEveryMs >= 0)) fail(`the stats interval must be zero or more seconds`);
}
