// One emulated serial port at a fixed path (DIR/radioN), which stays available across any number
// of opens and closes by the app, exactly as a plugged-in USB radio does. It owns the socat
// processes behind that path and the symlink itself; it knows nothing of KISS or radios.
//
// A socat with wait-slave serves exactly one open of the port and exits when the app closes it
// (see socat.ts). So the path always points at a standby socat's pty that nobody has open: when
// the app opens it, that socat becomes the session, a new standby is spawned and the link is
// swung to it atomically (symlink + rename). An app that closes and at once reopens the path thus
// always finds a pty, even before the old session's socat has exited. A new open while the
// previous session is still open is held for a short grace period (the old one may be closing);
// if the old one is still open after it, the newcomer is a second program, and it is hung up
// (a real device would refuse it with "Cannot lock port"; serialport cannot be told apart here).
// Unplugging kills every socat and removes the link; only unplug and stop end the port's life.
import { lstatSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { MandalaError } from '../../node/errors';
import { SocatProcess, type SocatCommand } from './socat';

export interface PtyPortEvents {
  /** A program opened the port. */
  onOpen(): void;
  /** Bytes that program wrote. */
  onData(bytes: Uint8Array): void;
  /** That program closed the port, or it was unplugged under it. */
  onClose(): void;
  /** Something the person running the simulator should hear about. */
  onProblem(message: string): void;
}

export type PtyPortState = 'stopped' | 'unplugged' | 'waiting' | 'open';

const READY_TIMEOUT_MS = 5000;
const MAX_QUICK_FAILURES = 5;
const QUICK_FAILURE_MS = 1000;
/**
 * How long a new open may wait for the previous session to finish closing (its socat's exit can
 * take a second to be seen on a starved machine; a second program is hung up after this).
 */
const REOPEN_GRACE_MS = 1500;

interface PendingSession {
  readonly proc: SocatProcess;
  readonly early: Uint8Array[];
  readonly timer: TimerHandle;
}

export class PtyPort {
  private active: SocatProcess | null = null;
  private pending: PendingSession | null = null;
  private standby: SocatProcess | null = null;
  private plugged = false;
  private stopped = false;
  private quickFailures = 0;
  private readonly spawnedAt = new Map<SocatProcess, number>();
  private whenLinked: { resolve: () => void; reject: (e: Error) => void } | null = null;

  constructor(
    readonly linkPath: string,
    private readonly command: SocatCommand,
    private readonly scheduler: Scheduler,
    private readonly events: PtyPortEvents,
  ) {}

  get state(): PtyPortState {
    if (this.stopped) return 'stopped';
    if (!this.plugged) return 'unplugged';
    return this.active ? 'open' : 'waiting';
  }

  /** Creates the pty and the link; resolves once the path can be opened. */
  async start(): Promise<void> {
    this.clearStaleLink();
    await this.plugIn();
  }

  /** Device bytes for the app; dropped while no program has the port open, as on a real line. */
  write(bytes: Uint8Array): void {
    this.active?.write(bytes);
  }

  /** The cable is pulled: the path disappears and an open session ends with an I/O error. */
  async unplug(): Promise<void> {
    if (!this.plugged) return;
    this.plugged = false;
    this.removeLink();
    await this.killAll();
  }

  /** The cable goes back in: the path reappears (a new pty behind it, as after a real replug). */
  async replug(): Promise<void> {
    if (this.plugged || this.stopped) return;
    this.quickFailures = 0;
    await this.plugIn();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.plugged = false;
    this.removeLink();
    await this.killAll();
  }

  /** Synchronous last resort for process exit and signals: signal every socat, drop the link. */
  disposeNow(): void {
    this.stopped = true;
    this.plugged = false;
    for (const p of this.processes()) p.kill('SIGTERM');
    this.removeLink();
  }

  private processes(): SocatProcess[] {
    return [this.active, this.pending?.proc ?? null, this.standby].filter((p): p is SocatProcess => p !== null);
  }

  private plugIn(): Promise<void> {
    this.plugged = true;
    const linked = new Promise<void>((resolve, reject) => (this.whenLinked = { resolve, reject }));
    const timer = this.scheduler.after(READY_TIMEOUT_MS, () => this.failLinking(`no pseudo-terminal appeared within ${READY_TIMEOUT_MS} ms`));
    this.spawnStandby();
    return linked.finally(() => timer.cancel());
  }

  private failLinking(detail: string): void {
    const waiter = this.whenLinked;
    this.whenLinked = null;
    waiter?.reject(new MandalaError('radio_sim_pty_failed', `could not create the pseudo-terminal for ${this.linkPath} (${detail}); check that socat works: socat -d -d pty,raw,echo=0 STDIO`));
  }

  private spawnStandby(): void {
    if (!this.plugged || this.stopped || this.standby) return;
    const proc: SocatProcess = new SocatProcess(this.command, {
      onPty: (path) => {
        if (proc === this.standby) this.link(path);
      },
      onSession: () => this.sessionBegan(proc),
      onData: (bytes) => {
        if (proc === this.active) this.events.onData(bytes);
        else if (proc === this.pending?.proc) this.pending.early.push(bytes.slice());
      },
      onExit: (detail) => this.exited(proc, detail),
    });
    this.standby = proc;
    this.spawnedAt.set(proc, this.scheduler.nowMs());
  }

  private sessionBegan(proc: SocatProcess): void {
    if (proc !== this.standby || this.pending) {
      proc.kill(); // opened by its /dev/pts name, behind the link's back
      return;
    }
    this.standby = null;
    this.quickFailures = 0;
    this.spawnStandby(); // the link moves to the new standby as soon as its pty exists
    if (!this.active) return this.promote(proc, []);
    // The previous session's socat has not exited yet: a quick reopen, or a second program.
    const timer = this.scheduler.after(REOPEN_GRACE_MS, () => {
      if (this.pending?.proc !== proc) return;
      this.pending = null;
      proc.kill();
      this.events.onProblem('a second program opened the port while it was in use; it was hung up (a real device refuses it: "Cannot lock port")');
    });
    this.pending = { proc, early: [], timer };
  }

  private promote(proc: SocatProcess, early: readonly Uint8Array[]): void {
    this.active = proc;
    this.events.onOpen();
    for (const bytes of early) this.events.onData(bytes);
  }

  private exited(proc: SocatProcess, detail: string | null): void {
    const startedAt = this.spawnedAt.get(proc) ?? 0;
    this.spawnedAt.delete(proc);
    if (proc === this.pending?.proc) {
      this.pending.timer.cancel();
      this.pending = null;
      return;
    }
    if (proc === this.active) {
      this.active = null;
      this.events.onClose();
      const next = this.pending;
      this.pending = null;
      if (next) {
        next.timer.cancel();
        this.promote(next.proc, next.early);
      }
      return;
    }
    if (proc !== this.standby) return;
    this.standby = null;
    if (!this.plugged || this.stopped) return;
    // socat died while waiting for the app: respawn, but not in a tight loop.
    if (this.scheduler.nowMs() - startedAt < QUICK_FAILURE_MS) this.quickFailures++;
    if (!proc.ptyPath || this.quickFailures > MAX_QUICK_FAILURES) {
      const why = detail ?? 'socat exited';
      if (this.whenLinked) return this.failLinking(why);
      if (this.quickFailures > MAX_QUICK_FAILURES) return this.events.onProblem(`socat keeps exiting (${why}); the port stays unavailable`);
    }
    this.scheduler.after(50 * this.quickFailures, () => this.spawnStandby());
  }

  private link(ptyPath: string): void {
    if (!this.plugged) return;
    const tmp = `${this.linkPath}.${process.pid}.tmp`;
    try {
      this.unlinkQuietly(tmp);
      symlinkSync(ptyPath, tmp);
      renameSync(tmp, this.linkPath);
    } catch (e) {
      this.events.onProblem(`could not link ${this.linkPath} to ${ptyPath}: ${(e as Error).message}`);
      return;
    }
    const waiter = this.whenLinked;
    this.whenLinked = null;
    waiter?.resolve();
  }

  private clearStaleLink(): void {
    let isLink: boolean;
    try {
      isLink = lstatSync(this.linkPath).isSymbolicLink();
    } catch {
      return; // nothing there
    }
    if (!isLink) {
      throw new MandalaError('radio_sim_path_taken', `${this.linkPath} exists and is not a link the radio simulator made; remove it or choose another --dir`);
    }
    this.unlinkQuietly(this.linkPath); // left behind by a simulator that was killed
  }

  private removeLink(): void {
    this.unlinkQuietly(this.linkPath);
  }

  private unlinkQuietly(path: string): void {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }

  private async killAll(): Promise<void> {
    this.pending?.timer.cancel();
    await Promise.all(this.processes().map((p) => p.terminate()));
  }
}
