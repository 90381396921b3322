// Makes sure the simulator's socat processes and links never outlive it: on process exit, and on
// SIGINT/SIGTERM/SIGHUP, every registered port is disposed synchronously. It owns only its process
// listeners. If nobody else listens for the signal, the default action (termination) follows, so
// installing the guard never turns Ctrl-C into a no-op; if someone does (the CLI's own graceful
// stop), they decide what happens next.

export interface SyncDisposable {
  disposeNow(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Marks our own signal listeners, so several guards in one process do not count each other. */
const GUARD_LISTENER = Symbol('radio-sim exit guard');

function isGuardListener(l: unknown): boolean {
  return typeof l === 'function' && GUARD_LISTENER in l;
}

export class ExitGuard {
  private installed = false;

  constructor(private readonly members: readonly SyncDisposable[]) {}

  private readonly onExit = (): void => this.disposeAll();

  private readonly onSignal = Object.assign(
    (signal: NodeJS.Signals): void => {
      // Registered with prependListener, so every other listener is still counted here.
      const foreign = process.listeners(signal).filter((l) => !isGuardListener(l)).length;
      this.disposeAll();
      if (foreign > 0) return; // someone else (the CLI) handles the signal
      this.uninstall();
      // The last guard standing restores the default action: the process ends as it would have.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    },
    { [GUARD_LISTENER]: true },
  );

  install(): void {
    if (this.installed) return;
    this.installed = true;
    process.on('exit', this.onExit);
    for (const s of SIGNALS) process.prependListener(s, this.onSignal);
  }

  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    process.off('exit', this.onExit);
    for (const s of SIGNALS) process.off(s, this.onSignal);
  }

  private disposeAll(): void {
    for (const m of this.members) {
      try {
        m.disposeNow();
      } catch {
        // keep going: the rest must still be cleaned up
      }
    }
  }
}
