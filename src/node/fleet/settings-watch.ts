// Takes up fleet filters changed beside the running node (`mandala fleet-config` writes the data
// folder's settings file): every few seconds the file is read, and filters that differ from the
// ones in force are applied, which judges every truck again.
import { every, type Scheduler, type TimerHandle } from '../../core/clock/scheduler';
import { DEFAULT_SETTINGS, sameSettings, type FleetSettings } from '../../core/projections/fleet-settings';
import { readConfig } from '../datadir';
import type { ProblemLog } from '../problems/problem-log';

export interface FleetSettingsWatchOptions {
  readonly dir: string;
  readonly scheduler: Scheduler;
  readonly problems: ProblemLog;
  readonly current: () => FleetSettings;
  readonly apply: (next: FleetSettings) => Promise<void>;
  readonly everyMs?: number;
}

export class FleetSettingsWatch {
  private timer: TimerHandle | null = null;
  private applying = false;

  constructor(private readonly opts: FleetSettingsWatchOptions) {}

  start(): void {
    this.timer = every(this.opts.scheduler, this.opts.everyMs ?? 2000, () => this.check(), (e) => this.opts.problems.internalError('reading the fleet filters', e));
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private check(): void {
    if (this.applying) return;
    let next: FleetSettings;
    try {
      next = readConfig(this.opts.dir).fleetSettings ?? DEFAULT_SETTINGS;
    } catch (e) {
      this.opts.problems.warn('fleet_settings_unreadable', `the fleet filters in the settings file cannot be used (${(e as Error).message}); the node keeps the ones in force`);
      return;
    }
    this.opts.problems.clear('fleet_settings_unreadable');
    if (sameSettings(next, this.opts.current())) return;
    this.applying = true;
    this.opts.apply(next).then(
      () => (this.applying = false),
      (e: unknown) => {
        this.applying = false;
        this.opts.problems.internalError('judging the trucks again under new fleet filters', e);
      },
    );
  }
}
